"""The CSA layer: training implementation vs the plain reference, and the grid mask."""
import unittest

import torch

from patina_train.csa import csa_batched, csa_reference, grid_mask


class CsaTest(unittest.TestCase):
    def setUp(self):
        torch.manual_seed(0)

    def test_batched_matches_reference_with_mixed_batch(self):
        f = torch.relu(torch.randn(5, 8, 12, 10))
        m = (torch.rand(5, 1, 12, 10) > 0.6).float()
        m[1] = 0  # no hole
        m[2] = 1  # no known position
        m[3] = 1
        m[3, 0, 4, 4] = 0  # a single known position
        diff = (csa_batched(f, m) - csa_reference(f, m)).abs().max().item()
        self.assertLess(diff, 1e-5)

    def test_identity_cases(self):
        f = torch.relu(torch.randn(1, 4, 6, 6))
        self.assertTrue(torch.equal(csa_batched(f, torch.zeros(1, 1, 6, 6)), f))
        self.assertTrue(torch.equal(csa_batched(f, torch.ones(1, 1, 6, 6)), f))

    def test_single_known_fills_every_hole_with_it(self):
        f = torch.relu(torch.randn(1, 4, 5, 5))
        m = torch.ones(1, 1, 5, 5)
        m[0, 0, 2, 3] = 0
        y = csa_batched(f, m)
        self.assertTrue(torch.allclose(y[0].reshape(4, -1), f[0, :, 2, 3][:, None].expand(4, 25)))

    def test_gradients_flow_to_known_features(self):
        f = torch.relu(torch.randn(2, 4, 6, 6)).requires_grad_()
        m = (torch.rand(2, 1, 6, 6) > 0.5).float()
        csa_batched(f, m).sum().backward()
        self.assertTrue(torch.isfinite(f.grad).all())
        self.assertGreater(f.grad.abs().sum().item(), 0)

    def test_grid_mask_drops_thin_strokes_and_keeps_blocks(self):
        thin = torch.zeros(1, 1, 64, 64)
        thin[..., 30:33] = 1
        self.assertEqual(grid_mask(thin).sum().item(), 0)
        block = torch.zeros(1, 1, 64, 64)
        block[..., 16:48, 16:48] = 1
        self.assertGreaterEqual(grid_mask(block).sum().item(), 9)
        self.assertEqual(tuple(grid_mask(block).shape), (1, 1, 8, 8))


if __name__ == "__main__":
    unittest.main()
