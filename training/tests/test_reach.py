"""The deep-hole rule used by evaluation matches the engine's (src/main/imaging/crop-plan.ts)."""
import unittest

import numpy as np
import torch

from patina_train import reach


class ReachTest(unittest.TestCase):
    def test_hole_depth_is_distance_to_context_and_the_edge_is_not_context(self):
        box = np.zeros((80, 120), np.uint8)
        box[10:50, 20:80] = 1
        self.assertAlmostEqual(reach.hole_depth(box), 20.0, places=3)  # same case as hole-depth.test.ts
        corner = np.fromfunction(lambda y, x: (x + y < 30), (60, 60)).astype(np.uint8)
        self.assertAlmostEqual(reach.hole_depth(corner), 30 / np.sqrt(2), delta=0.75)
        self.assertEqual(reach.hole_depth(np.zeros((8, 8), np.uint8)), 0.0)
        self.assertEqual(reach.hole_depth(np.ones((5, 9), np.uint8)), 9.0)

    def test_deep_holes_run_scaled_down_and_known_pixels_stay(self):
        seen = []

        def run(x, m):
            seen.append(tuple(x.shape[-2:]))
            self.assertEqual(x.shape[-1] % 32, 0)
            return torch.full_like(x, 0.5)

        x = torch.rand(1, 3, 512, 512)
        m = torch.zeros(1, 1, 512, 512)
        m[..., 150:350, 160:360] = 1  # 100 deep
        out = reach.with_reach(run, 28)(x, m)
        self.assertEqual(seen, [(160, 160)])  # round(512 * 0.28) = 143 -> padded to 160
        self.assertTrue(torch.equal(out[m.expand_as(out) == 0], x[m.expand_as(x) == 0]))
        self.assertTrue(torch.allclose(out[m.expand_as(out) == 1], torch.tensor(0.5)))
        seen.clear()
        thin = torch.zeros(1, 1, 512, 512)
        thin[..., 200:203, 10:500] = 1
        reach.with_reach(run, 28)(x, thin)
        self.assertEqual(seen, [(512, 512)])


if __name__ == "__main__":
    unittest.main()
