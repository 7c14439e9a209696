"""Rebalancing rescales the refinement net's activations and leaves its output alone."""
import unittest

import torch

from patina_train import rebalance
from patina_train.model import NetConfig, PatinaCSA
from train import feature_anchor

SMALL = NetConfig(rough=(8, 8, 16, 16), refine=(8, 8, 16, 16))


def inflated_net() -> PatinaCSA:
    """A small net whose encoder convolutions each multiply their input's scale by
    ~30, the state the consistency loss had driven v0.6.0's weights into."""
    torch.manual_seed(0)
    net = PatinaCSA(SMALL).eval()
    with torch.no_grad():
        for name in ("e1", "e2", "e3", "s3"):
            conv = dict(net.refine.named_modules())[name]
            conv.weight.mul_(30.0)
            conv.bias.mul_(30.0)
        # Compensate at the decoder's end so the output stays a small residual.
        net.refine.out.weight.mul_(1e-5)
    return net


def batch() -> tuple[torch.Tensor, torch.Tensor]:
    g = torch.Generator().manual_seed(1)
    image = torch.rand(2, 3, 64, 64, generator=g)
    mask = torch.zeros(2, 1, 64, 64)
    mask[:, :, 16:40, 20:44] = 1.0
    return image, mask


def refine_scales(net: PatinaCSA, image: torch.Tensor, mask: torch.Tensor) -> dict[str, float]:
    return rebalance.measure(net, image, mask)


class RebalanceTest(unittest.TestCase):
    def test_output_is_unchanged_and_every_refinement_tensor_is_near_one(self):
        net = inflated_net()
        image, mask = batch()
        with torch.no_grad():
            before = net(image, mask)
        self.assertGreater(float(before["e3"].abs().mean()), 100.0)
        rebalance.rebalance(net, image, mask)
        with torch.no_grad():
            after = net(image, mask)
        self.assertLess(float((after["output"] - before["output"]).abs().max()), 1e-4)
        self.assertLess(float((after["refined"] - before["refined"]).abs().max()), 1e-4)
        scales = refine_scales(net, image, mask)
        # The residual blocks' second convolutions add onto e4's stream and the last
        # one writes the residual image: those keep their own scales.
        for conv, scale in scales.items():
            if conv not in ("mid.0.c2", "mid.2.c2", "out"):
                self.assertAlmostEqual(scale, 1.0, delta=0.05, msg=conv)
        # Measured before the ReLU that CSA's input passes through, so a little below 1.
        self.assertTrue(0.2 < float(after["e3"].abs().mean()) <= 1.0)

    def test_divisors_measured_on_one_copy_apply_to_another(self):
        net, twin = inflated_net(), inflated_net()
        image, mask = batch()
        with torch.no_grad():
            want = twin(image, mask)["output"]
        rebalance.apply(twin, rebalance.rebalance(net, image, mask))
        with torch.no_grad():
            self.assertLess(float((twin(image, mask)["output"] - want).abs().max()), 1e-4)
        for a, b in zip(net.state_dict().values(), twin.state_dict().values()):
            self.assertTrue(torch.allclose(a, b))

    def test_the_feature_anchor_is_zero_at_scale_one_and_grows_both_ways(self):
        ones = torch.ones(1, 4, 2, 2)
        self.assertAlmostEqual(float(feature_anchor(ones)), 0.0, places=6)
        self.assertGreater(float(feature_anchor(ones * 1e3)), 40.0)
        self.assertGreater(float(feature_anchor(ones * 1e-3)), 40.0)
        self.assertAlmostEqual(float(feature_anchor(ones * 10)), float(feature_anchor(ones * 0.1)), places=5)


if __name__ == "__main__":
    unittest.main()
