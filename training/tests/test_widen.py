"""Widening the rough net keeps the network's outputs and every trained weight."""
import unittest

import torch

from patina_train import widen
from patina_train.model import NetConfig, PatinaCSA

SMALL = NetConfig(rough=(8, 8, 16, 16), refine=(8, 8, 16, 16))
WIDER = (12, 16, 16, 24)


def batch() -> tuple[torch.Tensor, torch.Tensor]:
    g = torch.Generator().manual_seed(1)
    image = torch.rand(2, 3, 64, 64, generator=g)
    mask = torch.zeros(2, 1, 64, 64)
    mask[0, :, 16:40, 20:44] = 1.0
    mask[1, :, 5:9, :] = 1.0
    return image, mask


def trained_like(cfg: NetConfig) -> PatinaCSA:
    """Random non-zero biases too, so a bias that is not carried over shows."""
    torch.manual_seed(0)
    net = PatinaCSA(cfg).eval()
    with torch.no_grad():
        for m in net.modules():
            if isinstance(m, torch.nn.Conv2d):
                m.bias.normal_(0.0, 0.1)
    return net


class WidenTest(unittest.TestCase):
    def test_outputs_are_unchanged(self):
        net = trained_like(SMALL)
        wide = widen.widen(net, WIDER).eval()
        image, mask = batch()
        with torch.no_grad():
            a, b = net(image, mask), wide(image, mask)
        self.assertEqual(wide.cfg.rough, WIDER)
        for key in ("output", "rough", "refined"):
            self.assertLess(float((a[key] - b[key]).abs().max()), 1e-5, key)

    def test_the_added_channels_are_live_and_learn(self):
        """Zero fan-out, not zero channels: the added channels carry activations, so the
        zero weights that read them get a gradient and the new capacity can be trained."""
        wide = widen.widen(trained_like(SMALL), WIDER)
        image, mask = batch()
        out = wide(image, mask)
        ((out["rough"] - image) ** 2).mean().backward()
        grad = wide.rough.d3.weight.grad[:, SMALL.rough[3]:WIDER[3]]  # d3 reading the added e4 channels
        self.assertGreater(float(grad.abs().sum()), 0.0)

    def test_old_weights_are_kept_and_the_refinement_copied(self):
        net = trained_like(SMALL)
        wide = widen.widen(net, WIDER)
        c1 = SMALL.rough[0]
        self.assertTrue(torch.equal(wide.rough.e1.weight[:c1], net.rough.e1.weight))
        self.assertTrue(torch.equal(wide.rough.e1.bias[:c1], net.rough.e1.bias))
        for k, v in net.refine.state_dict().items():
            self.assertTrue(torch.equal(wide.refine.state_dict()[k], v), k)

    def test_same_seed_gives_the_same_new_channels(self):
        """export ships the average and the optimiser steps the raw weights: both copies
        must gain identical channels or the average stops tracking the raw weights."""
        net = trained_like(SMALL)
        a = widen.widen_weights(net.state_dict(), SMALL, WIDER, seed=3)
        b = widen.widen_weights(net.state_dict(), SMALL, WIDER, seed=3)
        self.assertTrue(all(torch.equal(a[k], b[k]) for k in a))

    def test_narrower_widths_are_refused(self):
        with self.assertRaises(ValueError):
            widen.widen(trained_like(SMALL), (4, 8, 16, 16))


if __name__ == "__main__":
    unittest.main()
