"""Switching the rough net to the unshuffled input keeps the outputs and adds live detail."""
import sys
import unittest
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from patina_train import unshuffle  # noqa: E402
from patina_train.model import NetConfig, PatinaCSA  # noqa: E402
from tests.test_widen import SMALL, batch, trained_like  # noqa: E402


class UnshuffleTest(unittest.TestCase):
    def test_outputs_are_unchanged(self):
        net = trained_like(SMALL)
        new = unshuffle.to_unshuffle(net).eval()
        image, mask = batch()
        with torch.no_grad():
            a, b = net(image, mask), new(image, mask)
        self.assertEqual(new.cfg.rough_input, "unshuffle")
        self.assertEqual(new.rough.e1.in_channels, 28)
        for key in ("output", "rough", "refined"):
            self.assertLess(float((a[key] - b[key]).abs().max()), 1e-5, key)

    def test_the_unshuffled_net_sees_detail_the_pooled_one_cannot(self):
        """A pattern that averages to zero over every 2x2 block is invisible to the pooled
        input; once the sub-pixel weights differ, the unshuffled rough net responds to it."""
        pooled = trained_like(SMALL).eval()
        net = unshuffle.to_unshuffle(pooled).eval()
        with torch.no_grad():
            # read only the top-left pixel of each 2x2 block, as nearest-neighbour sampling would
            net.rough.e1.weight[:, 0::4] *= 4.0
            for k in (1, 2, 3):
                net.rough.e1.weight[:, k::4] = 0.0
        full = torch.rand(1, 7, 64, 64, generator=torch.Generator().manual_seed(2))
        checker = ((torch.arange(64)[:, None] + torch.arange(64)[None, :]) % 2 - 0.5) * 0.4
        busy = full + checker
        fold = torch.nn.functional.pixel_unshuffle
        pool = torch.nn.functional.avg_pool2d
        with torch.no_grad():
            unseen = (pooled.rough(pool(full, 2)) - pooled.rough(pool(busy, 2))).abs().max()
            seen = (net.rough(fold(full, 2)) - net.rough(fold(busy, 2))).abs().max()
        self.assertLess(float(unseen), 1e-5)
        self.assertGreater(float(seen), 0.01)

    def test_sub_pixel_weights_learn_apart(self):
        net = unshuffle.to_unshuffle(trained_like(SMALL))
        image, mask = batch()
        ((net(image, mask)["rough"] - image) ** 2).mean().backward()
        g = net.rough.e1.weight.grad
        self.assertGreater(float((g[:, 0::4] - g[:, 1::4]).abs().sum()), 0.0)

    def test_config_round_trips_and_checks_its_value(self):
        cfg = unshuffle.to_unshuffle(trained_like(SMALL)).cfg
        self.assertEqual(NetConfig(**cfg.to_dict()), cfg)
        old = {k: v for k, v in SMALL.to_dict().items() if k != "rough_input"}
        self.assertEqual(NetConfig(**old).rough_input, "pool")  # checkpoints from before the key
        with self.assertRaises(ValueError):
            NetConfig(rough_input="bicubic")

    def test_an_unshuffled_net_is_not_converted_twice(self):
        with self.assertRaises(ValueError):
            unshuffle.to_unshuffle(PatinaCSA(NetConfig(rough=SMALL.rough, refine=SMALL.refine, rough_input="unshuffle")))

    def test_state_dict_form_matches_the_module_form(self):
        net = trained_like(SMALL)
        a = unshuffle.unshuffle_weights(net.state_dict(), SMALL)
        b = unshuffle.to_unshuffle(net).state_dict()
        self.assertTrue(all(torch.equal(a[k], b[k]) for k in a))


if __name__ == "__main__":
    unittest.main()
