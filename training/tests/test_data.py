"""The training-photo cache: one file per cache size, photos scaled to that short side."""
import tempfile
import unittest
from pathlib import Path
from unittest import mock

import cv2
import numpy as np

from patina_train import data


class TrainCacheTest(unittest.TestCase):
    def test_each_short_side_gets_its_own_cache(self):
        with tempfile.TemporaryDirectory() as d:
            photos, cache_dir = Path(d) / "photos", Path(d) / "cache"
            photos.mkdir()
            rng = np.random.default_rng(0)
            for i in range(40):  # ~5 % are held out, so some always remain for training
                cv2.imwrite(str(photos / f"p{i}.png"), rng.integers(0, 256, (90, 120, 3), dtype=np.uint8))
            with mock.patch.object(data, "CACHE_DIR", cache_dir):
                small = data.load_train_cache(photos, short=48)
                large = data.load_train_cache(photos, short=72)
                again = data.load_train_cache(photos, short=48)
            train, _ = data.split(photos)
            self.assertEqual(len(small), len(train))
            self.assertTrue(all(min(im.shape[:2]) == 48 for im in small))
            self.assertTrue(all(min(im.shape[:2]) == 72 for im in large))
            self.assertEqual(len(list(cache_dir.glob("train_48-*.npz"))), 1)
            self.assertEqual(len(list(cache_dir.glob("train_72-*.npz"))), 1)
            self.assertTrue(all(np.array_equal(a, b) for a, b in zip(small, again)))


if __name__ == "__main__":
    unittest.main()
