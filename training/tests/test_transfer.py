"""Damage lifted off a print and laid over another photo (defects/transfer.py)."""
import unittest

import numpy as np

from defects import transfer


def cracked_print(rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """A mid-grey textured print with a bright 2-px crack down column 40 and across row 90."""
    img = np.clip(120 + rng.normal(0, 6, (160, 160, 3)), 0, 255).astype(np.uint8)
    mask = np.zeros((160, 160), bool)
    mask[:, 40:42] = True
    mask[90:92, :] = True
    img[mask] = 235
    return img, mask


class DamageLayerTest(unittest.TestCase):
    def test_layer_is_the_crack_and_nothing_outside_its_halo(self):
        img, mask = cracked_print(np.random.default_rng(0))
        layer, m = transfer.damage_layer(img, mask)
        self.assertTrue((m == mask).all())
        # Far from the damage nothing is lifted.
        self.assertEqual(float(np.abs(layer[:, 50:80][:80]).max()), 0.0)
        # On the crack the layer holds its brightness over the inpainted ground (about 235 - 120).
        self.assertGreater(float(layer[mask].mean()), 80)


class DamageTransferTest(unittest.TestCase):
    def test_samples_carry_visible_damage_marked_in_the_truth(self):
        rng = np.random.default_rng(1)
        photos = [np.full((200, 200, 3), 40, np.uint8), np.full((200, 200, 3), 90, np.uint8)]
        lifted = transfer.DamageTransfer([cracked_print(rng)], photos, rng, aged=0.0)
        damage_seen = 0
        for _ in range(8):
            img, gt = lifted.sample(64)
            self.assertEqual(img.shape, (64, 64, 3))
            self.assertEqual(gt.shape, (64, 64))
            self.assertTrue(set(np.unique(gt)) <= {0, 128, 255})
            if (gt == 255).any():
                damage_seen += 1
                # Marked pixels are brighter than the clean ground they were laid on.
                self.assertGreater(float(img[gt == 255].mean()), float(img[gt == 0].mean()) + 30)
        self.assertGreater(damage_seen, 4)

    def test_needs_a_damaged_print(self):
        blank = (np.zeros((64, 64, 3), np.uint8), np.zeros((64, 64), bool))
        with self.assertRaises(ValueError):
            transfer.DamageTransfer([blank], [np.zeros((64, 64, 3), np.uint8)], np.random.default_rng(0))


class SoftCopyTest(unittest.TestCase):
    def test_soft_copy_blurs_a_crack_and_keeps_the_crop(self):
        from defects.finetune_real import soft_copy
        img, mask = cracked_print(np.random.default_rng(2))
        soft = soft_copy(img, np.random.default_rng(3))
        self.assertEqual(soft.shape, img.shape)
        self.assertEqual(soft.dtype, np.uint8)
        # The crack's peak falls and its neighbours rise: the line is softer, still there.
        self.assertLess(float(soft[:, 40].mean()), float(img[:, 40].mean()) - 10)
        self.assertGreater(float(soft[:, 39].mean()), float(img[:, 39].mean()) + 5)
        self.assertGreater(float(soft[:, 40].mean()), float(soft[:, 60].mean()) + 20)


if __name__ == "__main__":
    unittest.main()
