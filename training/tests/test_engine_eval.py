"""The product-path evaluation's inputs, and the quality gate's verdicts."""
import unittest
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
import quality_gate
from patina_train import engine_eval, masks, metrics, validate


class InputsTest(unittest.TestCase):
    def setUp(self):
        self.hole = masks.validation_mask("brush", 7, 128, 128)

    def test_the_soft_mask_reads_back_as_the_hole_only_at_the_documented_threshold(self):
        soft = engine_eval.soft_mask(self.hole, 3)
        np.testing.assert_array_equal(soft > 127, self.hole.astype(bool))
        # Its edge is really soft on both sides, so a threshold moved either way changes the hole.
        self.assertGreater(int(((soft > 0) & (soft <= 127)).sum()), 100)
        self.assertGreater(int(((soft > 127) & (soft < 200)).sum()), 100)
        np.testing.assert_array_equal(engine_eval.soft_mask(self.hole, 3), soft)

    def test_damage_replaces_the_hole_and_nothing_else(self):
        image = np.random.default_rng(0).integers(0, 256, (128, 128, 3), dtype=np.uint8)
        sel = self.hole.astype(bool)
        for fill in engine_eval.FILLS:
            out = engine_eval.damage(image, self.hole, fill, 5)
            np.testing.assert_array_equal(out[~sel], image[~sel])
            self.assertGreater(float(np.abs(out[sel].astype(int) - image[sel]).mean()), 20, fill)
        self.assertTrue((engine_eval.damage(image, self.hole, "white", 5)[sel] == 255).all())


class TextureTest(unittest.TestCase):
    def setUp(self):
        rng = np.random.default_rng(4)
        self.photo = np.clip(128 + 30 * rng.standard_normal((96, 96, 3)), 0, 255) / 255.0
        self.hole = np.zeros((96, 96), np.uint8)
        self.hole[30:70, 20:80] = 1

    def test_a_fill_as_textured_as_the_photo_scores_one_a_smear_far_less_and_grain_more(self):
        import cv2
        self.assertAlmostEqual(metrics.texture_ratio(self.photo, self.photo, self.hole), 1.0)
        smear = cv2.GaussianBlur(self.photo, (0, 0), 3)
        self.assertLess(metrics.texture_ratio(smear, self.photo, self.hole), 0.2)
        noisy = self.photo + 0.2 * np.random.default_rng(5).standard_normal(self.photo.shape)
        self.assertGreater(metrics.texture_ratio(noisy, self.photo, self.hole), 1.5)
        # Only the hole counts: a smear outside it changes nothing.
        outside = np.where(self.hole[..., None] == 1, self.photo, smear)
        self.assertAlmostEqual(metrics.texture_ratio(outside, self.photo, self.hole), 1.0, places=1)

    def test_ratios_average_geometrically(self):
        rows = [{"texture": 2.0, "holePsnr": 10.0}, {"texture": 0.5, "holePsnr": 20.0}]
        self.assertEqual(validate.mean_of(rows), {"texture": 1.0, "holePsnr": 15.0})


def result(lead_db: float, white_lead_db: float | None = None, outside: int = 0) -> dict:
    """An evaluate() summary with Telea at 20 dB and Patina `lead_db` ahead on every kind."""
    kinds = quality_gate.MARGINS_DB
    telea = {k: {"holePsnr": 20.0, "ssim": 0.9} for k in kinds}
    model = {k: {"holePsnr": 20.0 + lead_db, "ssim": 0.9} for k in kinds}
    by_fill = {f: {k: {"holePsnr": 20.0 + lead_db} for k in kinds} for f in engine_eval.FILLS}
    if white_lead_db is not None:
        by_fill["white"] = {k: {"holePsnr": 20.0 + white_lead_db} for k in kinds}
    return {"model": model, "telea": telea, "modelByFill": by_fill, "outsideChanged": outside}


class GateTest(unittest.TestCase):
    def test_passes_a_model_ahead_by_every_margin(self):
        text, failures = quality_gate.table(result(3.0), quality_gate.MARGINS_DB)
        self.assertEqual(failures, [])
        self.assertIn("| scratch | 20.00 | 23.00 | +3.00 |", text)
        self.assertIn("| n/a | n/a |", text)

    def test_fails_a_small_lead_a_fill_behind_telea_and_a_changed_outside(self):
        self.assertEqual(len(quality_gate.table(result(0.2), quality_gate.MARGINS_DB)[1]), 3)
        failures = quality_gate.table(result(3.0, white_lead_db=-0.5), quality_gate.MARGINS_DB)[1]
        self.assertTrue(all("with white under the holes" in f for f in failures) and len(failures) == 3)
        self.assertIn("12 pixels outside", quality_gate.table(result(3.0, outside=12), quality_gate.MARGINS_DB)[1][0])


if __name__ == "__main__":
    unittest.main()
