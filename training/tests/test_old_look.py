"""The old-print renderer of the damage detector: aged photos, relief cracks, crack networks, worn edges."""
import unittest

import cv2
import numpy as np

from defects import make_eval
from defects import old_look


def photo(seed: int = 0, size: int = 160) -> np.ndarray:
    """A smooth colour gradient with a little texture: content, not noise."""
    rng = np.random.default_rng(seed)
    yy, xx = np.mgrid[0:size, 0:size].astype(np.float32) / size
    img = np.stack([200 * xx + 30, 180 * yy + 40, 120 * (1 - xx) + 60], -1) + rng.normal(0, 4, (size, size, 3))
    return np.clip(img, 0, 255).astype(np.uint8)


class OldLookTest(unittest.TestCase):
    def test_aged_photo_keeps_shape_and_range_and_is_seeded(self):
        a = old_look.age_photo(photo(), np.random.default_rng(1))
        b = old_look.age_photo(photo(), np.random.default_rng(1))
        self.assertEqual(a.shape, (160, 160, 3))
        self.assertTrue(np.array_equal(a, b))
        self.assertGreaterEqual(a.min(), 0)
        self.assertLessEqual(a.max(), 255)

    def test_most_aged_photos_lose_their_colour(self):
        grey = 0
        for seed in range(20):
            a = old_look.age_photo(photo(), np.random.default_rng(seed))
            # A toned monochrome print: every channel is a fixed multiple of one luma image.
            y = a.mean(-1, keepdims=True) + 1e-3
            grey += float(np.std(a / y, axis=(0, 1)).max()) < 0.08
        self.assertGreaterEqual(grey, 10)

    def test_every_damage_kind_paints_visible_damage_and_clean_paints_none(self):
        for kind in make_eval.KINDS:
            rng = np.random.default_rng(3)
            aged, damaged, m = old_look.render_old(kind, photo(), rng)
            self.assertTrue(m.any(), kind)
            final = make_eval.jpeg_pass(damaged, rng)
            gt = make_eval.ground_truth(np.clip(aged, 0, 255).astype(np.uint8), final, m)
            self.assertGreater((gt == 255).sum(), 0.3 * m.sum(), kind)
            # Away from the mask (strokes have a soft halo of a few px) the print is unchanged.
            near = cv2.dilate(m, np.ones((9, 9), np.uint8))
            self.assertLess(np.abs(damaged - aged)[near == 0].max(), 1e-3, kind)
        aged, damaged, m = old_look.render_old("clean", photo(), np.random.default_rng(4))
        self.assertFalse(m.any())
        self.assertTrue(np.array_equal(aged, damaged))

    def test_crack_networks_are_dense_and_connected(self):
        shares, largest = [], []
        for seed in range(6):
            img = old_look.age_photo(photo(seed, 256), np.random.default_rng(seed))
            _, m = old_look.crack_network(img, np.random.default_rng(seed + 100))
            shares.append(m.mean())
            n, labels, stats, _ = cv2.connectedComponentsWithStats(m, connectivity=8)
            areas = stats[1:, cv2.CC_STAT_AREA]
            largest.append(areas[areas >= 20].sum() / m.sum() if n > 1 else 0)
        # Far denser than one sparse crack (~0.3 % of the photo), and mostly runs of 20 px or
        # more, not specks (hairline networks drawn finer and reduced break up a little).
        self.assertGreater(float(np.median(shares)), 0.02)
        self.assertGreater(float(np.median(largest)), 0.7)

    def test_the_crisp_renders_are_unchanged_by_the_old_option(self):
        a = make_eval.render_pair("crack", photo(), np.random.default_rng(5), old=False)
        b = make_eval.render("crack", photo(), np.random.default_rng(5))
        self.assertTrue(np.array_equal(a[1], b[0]) and np.array_equal(a[2], b[1]))


if __name__ == "__main__":
    unittest.main()
