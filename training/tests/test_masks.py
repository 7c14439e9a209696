"""Procedural masks: seeded, and the validation kinds stay inside their area bands."""
import unittest

import numpy as np

from patina_train import data, masks


class MasksTest(unittest.TestCase):
    def test_validation_masks_are_deterministic_and_in_band(self):
        for kind, (lo, hi) in masks.VAL_KINDS.items():
            for seed in range(6):
                a = masks.validation_mask(kind, seed, 256, 320)
                self.assertTrue(np.array_equal(a, masks.validation_mask(kind, seed, 256, 320)))
                self.assertEqual(a.shape, (256, 320))
                self.assertTrue(lo <= a.mean() <= hi, f"{kind} seed {seed}: {a.mean():.4f}")

    def test_training_masks_are_binary_and_never_empty(self):
        rng = np.random.default_rng(3)
        for _ in range(40):
            m = masks.training_mask(rng, 128, 192)
            self.assertEqual(m.dtype, np.uint8)
            self.assertTrue(set(np.unique(m)) <= {0, 1})
            self.assertGreater(m.sum(), 0)

    def test_mask_mix_picks_only_the_named_families(self):
        # Boxes only: every mask is one filled axis-aligned rectangle.
        rng = np.random.default_rng(5)
        for _ in range(20):
            m = masks.training_mask(rng, 96, 128, masks.parse_mix("box:1"))
            ys, xs = np.nonzero(m)
            self.assertEqual(m.sum(), (ys.max() - ys.min() + 1) * (xs.max() - xs.min() + 1))
        # Thin damage only: never a 20 % box-like fill.
        rng = np.random.default_rng(6)
        self.assertTrue(all(masks.training_mask(rng, 128, 128, masks.parse_mix("damage:1")).mean() < 0.35
                            for _ in range(20)))

    def test_mask_mix_shares_are_normalised_and_checked(self):
        mix = masks.parse_mix("damage:1,brush:2,box:1")
        self.assertAlmostEqual(sum(mix.values()), 1.0)
        self.assertAlmostEqual(mix["brush"], 0.5)
        for bad in ("stain:1", "box:-1", "box:0", "box"):
            with self.assertRaises(ValueError, msg=bad):
                masks.parse_mix(bad)

    def test_default_mix_draws_the_same_masks_as_no_mix(self):
        a, b = np.random.default_rng(9), np.random.default_rng(9)
        for _ in range(30):
            self.assertTrue(np.array_equal(masks.training_mask(a, 96, 96), masks.training_mask(b, 96, 96, masks.DEFAULT_MIX)))

    def test_scratches_are_thin(self):
        m = masks.scratches(np.random.default_rng(1), 512, 512, count=1)
        self.assertLess(m.mean(), 0.02)

    def test_validation_split_is_fixed_by_name(self):
        self.assertTrue(data.is_validation("x/a.jpg") == data.is_validation("x/a.jpg"))
        names = [f"set/img_{i}.jpg" for i in range(2000)]
        share = sum(map(data.is_validation, names)) / len(names)
        self.assertTrue(0.03 < share < 0.07, share)


if __name__ == "__main__":
    unittest.main()
