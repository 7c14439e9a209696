"""Validation metrics and the classical baseline.

Images are float64 (H, W, 3) RGB in [0, 1]; masks uint8 (H, W) with 1 = hole.
"""
from __future__ import annotations

import cv2
import numpy as np


def psnr(a: np.ndarray, b: np.ndarray) -> float:
    mse = float(np.mean((a - b) ** 2))
    return 100.0 if mse <= 1e-12 else 10.0 * np.log10(1.0 / mse)


def ssim(a: np.ndarray, b: np.ndarray) -> float:
    """Mean SSIM of the luma channel with the usual 11x11 Gaussian window (sigma 1.5)."""
    wts = np.array([0.299, 0.587, 0.114])
    x, y = a @ wts, b @ wts
    c1, c2 = 0.01 ** 2, 0.03 ** 2
    blur = lambda z: cv2.GaussianBlur(z, (11, 11), 1.5, borderType=cv2.BORDER_REFLECT)  # noqa: E731
    mx, my = blur(x), blur(y)
    sxx, syy, sxy = blur(x * x) - mx * mx, blur(y * y) - my * my, blur(x * y) - mx * my
    s = ((2 * mx * my + c1) * (2 * sxy + c2)) / ((mx * mx + my * my + c1) * (sxx + syy + c2))
    return float(s.mean())


def l1_hole(a: np.ndarray, b: np.ndarray, mask: np.ndarray) -> float:
    sel = mask.astype(bool)
    return float(np.abs(a[sel] - b[sel]).mean()) if sel.any() else 0.0


def telea(img_u8: np.ndarray, mask: np.ndarray, radius: int = 5) -> np.ndarray:
    """OpenCV Telea fill of an RGB uint8 image; returns uint8 RGB."""
    bgr = cv2.cvtColor(img_u8, cv2.COLOR_RGB2BGR)
    out = cv2.inpaint(bgr, (mask > 0).astype(np.uint8) * 255, radius, cv2.INPAINT_TELEA)
    return cv2.cvtColor(out, cv2.COLOR_BGR2RGB)


def hole_psnr(a: np.ndarray, b: np.ndarray, mask: np.ndarray) -> float:
    """PSNR over the hole's pixels only: unlike the whole-photo PSNR it does not rise
    with the share of the photo left untouched, so scratch and box scores compare."""
    sel = mask.astype(bool)
    return psnr(a[sel], b[sel]) if sel.any() else 100.0


# Texture: high-frequency energy of the grey image, the image minus its Gaussian blur at this sigma.
TEXTURE_SIGMA = 1.5
# Floor on the original's high-frequency std (8-bit units / 255): a flat, noise-free hole (clear
# sky) would otherwise give a ratio of any size for the faintest fill texture.
TEXTURE_FLOOR = 0.5 / 255.0


def high_pass(img: np.ndarray) -> np.ndarray:
    """Grey (Rec. 601 luma) minus its Gaussian blur at TEXTURE_SIGMA, over the whole photo."""
    grey = img @ np.array([0.299, 0.587, 0.114])
    return grey - cv2.GaussianBlur(grey, (0, 0), TEXTURE_SIGMA, borderType=cv2.BORDER_REFLECT)


def texture_ratio(a: np.ndarray, b: np.ndarray, mask: np.ndarray) -> float:
    """Std over the hole of a's high-pass / b's (b the original): 1 = as much fine texture and
    grain as the truth had, toward 0 = a smooth smear. Average it geometrically (mean_of does):
    a ratio of 2 and one of 0.5 are equally far from right."""
    sel = mask.astype(bool)
    if not sel.any():
        return 1.0
    return float(high_pass(a)[sel].std() / max(float(high_pass(b)[sel].std()), TEXTURE_FLOOR))


METRICS = ("psnr", "holePsnr", "ssim", "l1_hole", "texture")
# Metrics that are ratios, averaged over photos as a geometric mean.
GEOMETRIC = frozenset({"texture"})


def score(pred_u8: np.ndarray, gt_u8: np.ndarray, mask: np.ndarray) -> dict[str, float]:
    """Metrics on 8-bit results, as a user would save them."""
    p, g = pred_u8.astype(np.float64) / 255.0, gt_u8.astype(np.float64) / 255.0
    return {"psnr": psnr(p, g), "holePsnr": hole_psnr(p, g, mask), "ssim": ssim(p, g), "l1_hole": l1_hole(p, g, mask),
            "texture": texture_ratio(p, g, mask)}
