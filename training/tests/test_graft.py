"""A graft runs one checkpoint's rough stage and another's refinement."""
import unittest
from dataclasses import replace

import torch

from patina_train.csa import grid_mask
from patina_train.graft import graft_states, graft_weights
from patina_train.model import PatinaCSA
from tests.test_widen import SMALL, batch, trained_like


def other_like(cfg):
    torch.manual_seed(5)
    net = PatinaCSA(cfg).eval()
    with torch.no_grad():
        for p in net.parameters():
            p.add_(torch.randn_like(p) * 0.05)
    return net


class GraftTest(unittest.TestCase):
    def test_the_graft_computes_each_stage_of_its_source(self):
        a, b = trained_like(SMALL), other_like(SMALL)
        weights, cfg = graft_weights(a.state_dict(), a.cfg, b.state_dict(), b.cfg)
        g = PatinaCSA(cfg).eval()
        g.load_state_dict(weights)
        image, mask = batch()
        with torch.no_grad():
            ya, yg = a(image, mask), g(image, mask)
            torch.testing.assert_close(yg["rough"], ya["rough"])
            # The refinement is b's, run on a's rough composite.
            c = a.coarse(image, mask)
            x7 = torch.cat([c["comp1"], c["xm"], c["hole"]], 1)
            res, _, _ = b.refine(x7, grid_mask(c["hole"]))
            torch.testing.assert_close(yg["refined"], (c["comp1"] + res + 1.0) * 0.5)
        self.assertFalse(torch.equal(yg["refined"], ya["refined"]))

    def test_the_rough_side_may_differ_but_the_refinement_must_match(self):
        deep = replace(SMALL, rough_decoder_blocks=1)
        a, b = trained_like(deep), other_like(SMALL)
        _, cfg = graft_weights(a.state_dict(), a.cfg, b.state_dict(), b.cfg)
        self.assertEqual(cfg.rough_decoder_blocks, 1)
        wider = other_like(replace(SMALL, refine=(8, 8, 16, 24)))
        with self.assertRaises(ValueError):
            graft_weights(a.state_dict(), a.cfg, wider.state_dict(), wider.cfg)

    def test_the_checkpoint_counts_both_runs_and_names_both_phases(self):
        a, b = trained_like(SMALL), other_like(SMALL)
        rough = {"model": a.state_dict(), "cfg": a.cfg, "step": 1300, "images_seen": 5000,
                 "losses": {"psnr": 1.0, "freeze_refine": True}}
        refine = {"model": b.state_dict(), "cfg": b.cfg, "step": 1100, "images_seen": 3000,
                  "losses": {"psnr": 1.0, "freeze_rough": True, "consistency": 0.0}}
        out = graft_states(rough, refine, {"step": 1000, "images_seen": 2000})
        self.assertEqual((out["step"], out["images_seen"]), (1400, 6000))
        self.assertFalse(out["losses"]["freeze_refine"])
        self.assertTrue(out["losses"]["refine_phase"]["freeze_rough"])
        self.assertNotIn("train_model", out)


if __name__ == "__main__":
    unittest.main()
