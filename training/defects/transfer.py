"""Real damage lifted off the damaged training prints and laid over clean photos.

Only three damaged prints are in the training split, so the net sees their cracks
on three backgrounds only, and the held-out prints' misses are those same kinds of
crack on other grounds (light cracks over a dark patterned backdrop, a hairline
through a face). Here each print's damage becomes a layer: the print minus its own
inpainted estimate (OpenCV Telea) inside the labelled mask grown by a halo, so the
layer carries the real cracks' width, contrast profile and breaks. A sample lays a
rescaled, rotated crop of a layer over a clean photo (aged like an old print most
of the time), and the truth is the layer's mask where it visibly changed the photo
(strokes.ground_truth), the halo ignored like a hand mask's ring.
"""
from __future__ import annotations

import cv2
import numpy as np

from defects import old_look, strokes
from defects.train_net import damaged_crop_origin

HALO = 2
HALO_KERNEL = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (2 * HALO + 1, 2 * HALO + 1))
INPAINT_RADIUS = 5


def damage_layer(img: np.ndarray, mask: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(float32 HxWx3 layer, bool mask): the print minus its inpainted estimate, zero outside mask + halo."""
    m = mask.astype(bool)
    hole = cv2.dilate(m.astype(np.uint8), HALO_KERNEL)
    clean = cv2.inpaint(img, hole, INPAINT_RADIUS, cv2.INPAINT_TELEA)
    layer = img.astype(np.float32) - clean.astype(np.float32)
    layer[hole == 0] = 0
    return layer, m


class DamageTransfer:
    """Crops of clean photos carrying the real prints' damage layers."""

    def __init__(self, prints: list[tuple[np.ndarray, np.ndarray]], photos: list[np.ndarray],
                 rng: np.random.Generator, scale: tuple[float, float] = (0.6, 1.5), gain: tuple[float, float] = (0.6, 1.2),
                 aged: float = 0.6) -> None:
        self.layers = [damage_layer(img, mask) for img, mask in prints if mask.any()]
        if not self.layers:
            raise ValueError("no damaged print to lift damage from")
        self.photos = photos
        self.rng = rng
        self.scale = scale
        self.gain = gain
        self.aged = aged

    def _layer(self, crop: int) -> tuple[np.ndarray, np.ndarray]:
        layer, m = self.layers[int(self.rng.integers(len(self.layers)))]
        h, w = m.shape
        s = max(crop / min(h, w), float(self.rng.uniform(*self.scale)))
        size = (max(crop, round(w * s)), max(crop, round(h * s)))
        layer = cv2.resize(layer, size, interpolation=cv2.INTER_AREA if s < 1 else cv2.INTER_LINEAR)
        m = cv2.resize(m.astype(np.uint8), size, interpolation=cv2.INTER_NEAREST).astype(bool)
        k = int(self.rng.integers(4))
        layer, m = np.rot90(layer, k), np.rot90(m, k)
        y, x = damaged_crop_origin(np.where(m, 255, 0).astype(np.uint8), crop, self.rng, keep_clean=0.1)
        return layer[y:y + crop, x:x + crop], m[y:y + crop, x:x + crop]

    def _photo(self, crop: int) -> np.ndarray:
        photo = self.photos[int(self.rng.integers(len(self.photos)))]
        h, w = photo.shape[:2]
        y = int(self.rng.integers(0, h - crop + 1))
        x = int(self.rng.integers(0, w - crop + 1))
        patch = photo[y:y + crop, x:x + crop].astype(np.float32)
        return old_look.age_photo(patch, self.rng) if self.rng.random() < self.aged else patch

    def sample(self, crop: int) -> tuple[np.ndarray, np.ndarray]:
        """(uint8 RGB crop, uint8 truth 255 damage / 128 ignored / 0 clean)."""
        photo = self._photo(crop)
        layer, m = self._layer(crop)
        damaged = np.clip(photo + layer * float(self.rng.uniform(*self.gain)), 0, 255)
        img = strokes.jpeg_pass(damaged.astype(np.uint8), self.rng)
        gt = strokes.ground_truth(np.clip(photo, 0, 255).astype(np.uint8), img, m.astype(np.uint8))
        ring = (cv2.dilate(m.astype(np.uint8), HALO_KERNEL) > 0) & ~m
        gt[ring] = 128
        return img, gt
