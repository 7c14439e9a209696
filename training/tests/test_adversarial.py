"""The adversarial training pieces (patina_train/adversarial.py) and the device-sized batch stream."""
import unittest
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F

ROOT = Path(__file__).resolve().parents[2]
from patina_train import adversarial
from patina_train.model import NetConfig, PatinaCSA
from train import batch_stream, device_defaults


class FeatureNetTest(unittest.TestCase):
    def setUp(self):
        torch.manual_seed(0)
        self.net = PatinaCSA(NetConfig(rough_decoder_blocks=1))
        self.img = torch.rand(2, 3, 64, 64)

    def test_reads_a_whole_image_as_the_rough_stage_does_and_stays_frozen(self):
        feats = adversarial.FeatureNet(self.net.rough)
        x = self.img * 2 - 1
        # The rough stage's own input for an image without holes: (image, 0, push-pull = image).
        half = F.avg_pool2d(torch.cat([x, torch.zeros_like(x[:, :1]), x], 1), 2)
        e1 = F.leaky_relu(self.net.rough.e1(half), 0.2)
        want = F.leaky_relu(self.net.rough.e2(e1), 0.2)
        torch.testing.assert_close(feats(self.img), want)
        self.assertEqual(feats(self.img).shape[-1], 64 // 8)
        self.assertFalse(any(p.requires_grad for p in feats.parameters()))
        feats.train()
        self.assertFalse(feats.training)
        # Training the generator later does not move the copy.
        with torch.no_grad():
            self.net.rough.e1.weight.add_(1.0)
        torch.testing.assert_close(feats(self.img), want)

    def test_the_generator_gets_gradients_through_both_discriminators(self):
        adv = adversarial.Adversary(self.net.rough, 2e-4, torch.device("cpu"))
        fake = self.img.clone().requires_grad_(True)
        hole = torch.zeros(2, 1, 64, 64)
        hole[:, :, 16:48, 16:48] = 1
        li, lf = adv.generator_losses(fake, hole)
        (grad_i,) = torch.autograd.grad(li, fake, retain_graph=True)
        (grad_f,) = torch.autograd.grad(lf, fake)
        self.assertGreater(float(grad_i.abs().sum()), 0)
        self.assertGreater(float(grad_f.abs().sum()), 0)


class LossesTest(unittest.TestCase):
    def test_generator_loss_counts_only_patches_that_hold_hole_pixels(self):
        logits = torch.zeros(1, 1, 4, 4)
        logits[..., :2, :] = 3.0  # patches over the hole
        logits[..., 2:, :] = -50.0  # patches elsewhere: must not count
        hole = torch.zeros(1, 1, 32, 32)
        hole[..., :16, :] = 1
        self.assertAlmostEqual(float(adversarial.g_hinge(logits, hole)), -3.0, places=5)

    def test_discriminator_hinge(self):
        self.assertEqual(float(adversarial.d_hinge(torch.full((4,), 2.0), torch.full((4,), -2.0))), 0.0)
        self.assertEqual(float(adversarial.d_hinge(torch.zeros(4), torch.zeros(4))), 2.0)

    def test_schedule_waits_for_the_discriminators_then_ramps(self):
        self.assertEqual([adversarial.adv_ramp(s, 3, 4) for s in range(9)], [0, 0, 0, 0.25, 0.5, 0.75, 1, 1, 1])
        self.assertEqual(adversarial.adv_ramp(0, 0, 0), 1.0)


class ResumeTest(unittest.TestCase):
    def test_state_round_trip_restores_discriminators_optimiser_and_feature_copy(self):
        torch.manual_seed(1)
        net = PatinaCSA(NetConfig())
        a = adversarial.Adversary(net.rough, 2e-4, torch.device("cpu"))
        real, fake = torch.rand(2, 3, 64, 64), torch.rand(2, 3, 64, 64)
        hole = torch.ones(2, 1, 64, 64)
        a.step(real, fake, hole)
        b = adversarial.Adversary(PatinaCSA(NetConfig()).rough, 2e-4, torch.device("cpu"))
        b.load_state_dict(a.state_dict())
        self.assertEqual(a.step(real, fake, hole), b.step(real, fake, hole))
        torch.testing.assert_close(a.features(real), b.features(real))


class BatchStreamTest(unittest.TestCase):
    def setUp(self):
        rng = np.random.default_rng(0)
        self.images = [rng.integers(0, 256, (80, 96, 3), dtype=np.uint8) for _ in range(5)]
        self.sizes = ((32, 2, 0.5), (64, 1, 0.5))

    def take(self, first, workers, n=4, scale=1):
        stream = batch_stream(self.images, 3, first, self.sizes, None, scale, workers)
        return [next(stream) for _ in range(n)]

    def test_the_same_batches_with_any_number_of_workers_and_after_a_resume(self):
        inline = self.take(0, 0, 6)
        threaded = self.take(0, 2, 6)
        resumed = self.take(2, 0, 4)
        for (s1, x1, m1), (s2, x2, m2) in zip(inline, threaded):
            self.assertEqual(s1, s2)
            torch.testing.assert_close(x1, x2)
            torch.testing.assert_close(m1, m2)
        for (_, x1, _), (_, x2, _) in zip(inline[2:], resumed):
            torch.testing.assert_close(x1, x2)

    def test_the_device_sets_batch_scale_and_workers(self):
        self.assertEqual(device_defaults("cpu"), (1, 0))
        scale, workers = device_defaults("cuda")
        self.assertEqual(scale, 8)
        self.assertGreaterEqual(workers, 1)
        batches = self.take(0, 0, 2, scale=8)
        self.assertTrue(all(x.shape[0] in (8, 16) for _, x, _ in batches))


if __name__ == "__main__":
    unittest.main()
