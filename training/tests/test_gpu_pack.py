"""The GPU pack keeps the validation split and photo sizes that training and validation use."""
import subprocess
import sys
import tempfile
import unittest
from pathlib import Path

from patina_train import data

TRAINING = Path(__file__).resolve().parents[1]


@unittest.skipUnless(data.DATA_DIR.exists(), "training photos not present")
class GpuPackTest(unittest.TestCase):
    def test_pack_holds_every_validation_photo_and_the_same_split(self):
        with tempfile.TemporaryDirectory() as d:
            out = Path(d) / "train"
            subprocess.run([sys.executable, str(TRAINING / "gpu_pack.py"), "--out", str(out), "--budget-mb", "10"],
                           check=True, capture_output=True)
            train, val = data.split(out)
            _, val_all = data.split()
            self.assertEqual(val, val_all)
            self.assertGreater(len(train), 0)
            total = sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
            self.assertLessEqual(total, 10_000_000)
            v = data.read_rgb(out / val[0])
            t = data.read_rgb(out / train[0])
            self.assertEqual(min(v.shape[:2]), data.VAL_SIZE)
            self.assertEqual(min(t.shape[:2]), data.CACHE_SHORT)

    def test_training_photos_can_be_packed_at_the_512_cache_side(self):
        with tempfile.TemporaryDirectory() as d:
            out = Path(d) / "train"
            subprocess.run([sys.executable, str(TRAINING / "gpu_pack.py"), "--out", str(out), "--budget-mb", "8",
                            "--train-short", "512"], check=True, capture_output=True)
            train, val = data.split(out)
            self.assertEqual(val, data.split()[1])
            self.assertGreater(len(train), 0)
            self.assertEqual(min(data.read_rgb(out / train[0]).shape[:2]), 512)

    def test_refuses_a_budget_without_room_for_validation(self):
        with tempfile.TemporaryDirectory() as d:
            r = subprocess.run([sys.executable, str(TRAINING / "gpu_pack.py"), "--out", str(Path(d) / "t"),
                                "--budget-mb", "1"], capture_output=True, text=True)
            self.assertNotEqual(r.returncode, 0)
            self.assertIn("does not hold the validation photos", r.stderr)


if __name__ == "__main__":
    unittest.main()
