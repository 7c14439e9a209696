"""Training-loop helpers: the PSNR-aligned loss, the learning-rate schedule and the weight average."""
import math
import unittest

import torch
import torch.nn as nn

from patina_train.model import NetConfig, PatinaCSA
from train import (Ema, cosine_lr, forward_for_training, freeze_stages, hole_l1, hole_log_mse,
                   refinement_loss_weights, warmup_factor)


class TrainHelpersTest(unittest.TestCase):
    def test_log_mse_is_per_sample_ln_mse_inside_the_hole(self):
        gt = torch.zeros(2, 3, 4, 4)
        pred = gt.clone()
        hole = torch.zeros(2, 1, 4, 4)
        hole[0, :, :2, :2] = 1  # 4 hole pixels, error 0.5 there
        hole[1, :, :, :] = 1  # 16 hole pixels, error 0.1 everywhere
        pred[0, :, :2, :2] = 0.5
        pred[0, :, 3, 3] = 9.0  # outside the hole: ignored
        pred[1] = 0.1
        want = (math.log(0.25 * 4 / 5 + 1e-5) + math.log(0.01 * 16 / 17 + 1e-5)) / 2
        self.assertAlmostEqual(float(hole_log_mse(pred, gt, hole)), want, places=5)

    def test_cosine_lr_runs_from_base_to_final_and_holds(self):
        self.assertAlmostEqual(cosine_lr(1e-3, 1e-5, 0.0), 1e-3)
        self.assertAlmostEqual(cosine_lr(1e-3, 1e-5, 0.5), (1e-3 + 1e-5) / 2)
        self.assertAlmostEqual(cosine_lr(1e-3, 1e-5, 1.0), 1e-5)
        self.assertAlmostEqual(cosine_lr(1e-3, 1e-5, 3.0), 1e-5)

    def test_warmup_ramps_linearly_then_holds(self):
        self.assertAlmostEqual(warmup_factor(0, 4), 0.25)
        self.assertAlmostEqual(warmup_factor(3, 4), 1.0)
        self.assertAlmostEqual(warmup_factor(100, 4), 1.0)
        self.assertEqual(warmup_factor(0, 0), 1.0)

    def test_ema_averages_and_restores_the_raw_weights(self):
        net = nn.Linear(1, 1, bias=False)
        with torch.no_grad():
            net.weight.fill_(0.0)
        ema = Ema(net, decay=0.5)
        with torch.no_grad():
            net.weight.fill_(1.0)
        ema.update(net)  # 0.5 * 0 + 0.5 * 1
        with torch.no_grad():
            net.weight.fill_(3.0)
        ema.update(net)  # 0.5 * 0.5 + 0.5 * 3
        with ema.applied(net):
            self.assertAlmostEqual(float(net.weight), 1.75)
        self.assertAlmostEqual(float(net.weight), 3.0)

    def test_frozen_refine_trains_the_rough_stage_on_its_composite(self):
        torch.manual_seed(0)
        net = PatinaCSA(NetConfig(rough=(8, 8, 8, 8), refine=(8, 8, 8, 8)))
        net.refine.requires_grad_(False)
        x = torch.rand(2, 3, 64, 64)
        m = torch.zeros(2, 1, 64, 64)
        m[:, :, 16:40, 20:44] = 1
        out = forward_for_training(net, x, m, freeze_refine=True)
        full = net(x, m)
        hole = (m > 0.5).float()
        # The stand-in for the refined output is the rough composite: known pixels exact.
        torch.testing.assert_close(out["refined"] * (1 - hole), x * (1 - hole))
        torch.testing.assert_close(out["refined"] * hole, full["rough"] * hole)
        hole_l1(out["refined"], x, hole).backward()
        self.assertTrue(all(p.grad is None for p in net.refine.parameters()))
        self.assertGreater(sum(float(p.grad.abs().sum()) for p in net.rough.parameters()), 0.0)

    def test_frozen_rough_trains_the_refinement_alone(self):
        torch.manual_seed(0)
        net = PatinaCSA(NetConfig(rough=(8, 8, 8, 8), refine=(8, 8, 8, 8)))
        freeze_stages(net, refine=False, rough=True)
        x = torch.rand(2, 3, 64, 64)
        m = torch.zeros(2, 1, 64, 64)
        m[:, :, 16:40, 20:44] = 1
        out = forward_for_training(net, x, m, freeze_refine=False)
        hole = (m > 0.5).float()
        self.assertFalse(out["rough"].requires_grad)
        (hole_l1(out["refined"], x, hole) + hole_log_mse(out["refined"], x, hole)).backward()
        self.assertTrue(all(p.grad is None for p in net.rough.parameters()))
        self.assertGreater(sum(float(p.grad.abs().sum()) for p in net.refine.parameters()), 0.0)

    def test_a_frozen_phase_records_the_refinement_losses_it_inherited(self):
        trained = {"consistency": 0.01, "feature_anchor": 0.01}
        self.assertEqual(refinement_loss_weights(0.01, 0.01, True, trained), trained)
        # The flags of the frozen run itself do not shape the refinement.
        self.assertEqual(refinement_loss_weights(0.5, 0.0, True, trained), trained)
        self.assertEqual(refinement_loss_weights(0.01, 0.01, True, None),
                         {"consistency": 0.0, "feature_anchor": 0.0})
        self.assertEqual(refinement_loss_weights(0.02, 0.01, False, trained),
                         {"consistency": 0.02, "feature_anchor": 0.01})
        self.assertEqual(refinement_loss_weights(0.0, 0.01, False, trained),
                         {"consistency": 0.0, "feature_anchor": 0.0})


if __name__ == "__main__":
    unittest.main()
