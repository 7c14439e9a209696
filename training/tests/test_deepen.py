"""Deepening the rough decoder keeps the network's outputs and trains the added blocks."""
import unittest

import torch

from patina_train import deepen, widen
from patina_train.model import ROUGH_DECODER_LEVELS, NetConfig
from tests.test_widen import SMALL, batch, trained_like


class DeepenTest(unittest.TestCase):
    def test_outputs_are_unchanged(self):
        net = trained_like(SMALL)
        deep = deepen.deepen(net, 2).eval()
        image, mask = batch()
        with torch.no_grad():
            a, b = net(image, mask), deep(image, mask)
        self.assertEqual(deep.cfg.rough_decoder_blocks, 2)
        self.assertEqual(len(deep.rough.r2), 2)
        for key in ("output", "rough", "refined"):
            self.assertLess(float((a[key] - b[key]).abs().max()), 1e-6, key)

    def test_every_trained_weight_is_kept(self):
        net = trained_like(SMALL)
        deep = deepen.deepen(net, 1)
        got = deep.state_dict()
        for k, v in net.state_dict().items():
            torch.testing.assert_close(got[k], v, msg=k)

    def test_the_added_blocks_learn_at_once(self):
        deep = deepen.deepen(trained_like(SMALL), 1)
        image, mask = batch()
        ((deep(image, mask)["rough"] - image) ** 2).mean().backward()
        for level in ROUGH_DECODER_LEVELS:
            block = getattr(deep.rough, level)[0]
            self.assertGreater(float(block.c2.weight.grad.abs().sum()), 0.0, level)

    def test_deepening_twice_keeps_the_trained_blocks(self):
        once = trained_like(NetConfig(**{**SMALL.to_dict(), "rough_decoder_blocks": 1}))
        twice = deepen.deepen(once, 2)
        torch.testing.assert_close(twice.rough.r1[0].c2.weight, once.rough.r1[0].c2.weight)
        self.assertEqual(float(twice.rough.r1[1].c2.weight.abs().sum()), 0.0)
        with self.assertRaises(ValueError):
            deepen.deepen(twice, 1)

    def test_widen_refuses_a_deepened_net_and_old_configs_have_no_blocks(self):
        deep = deepen.deepen(trained_like(SMALL), 1)
        with self.assertRaises(ValueError):
            widen.widen(deep, (12, 16, 16, 24))
        # widen.py always runs widen(); at the same widths the blocks' weights must carry over.
        same = widen.widen(deep, SMALL.rough).eval()
        image, mask = batch()
        with torch.no_grad():
            torch.testing.assert_close(same(image, mask)["output"], deep.eval()(image, mask)["output"])
        old = {k: v for k, v in SMALL.to_dict().items() if k != "rough_decoder_blocks"}
        self.assertEqual(NetConfig(**old).rough_decoder_blocks, 0)


if __name__ == "__main__":
    unittest.main()
