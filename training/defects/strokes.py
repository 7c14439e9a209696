"""The first damage renderer: seeded scratches, cracks, dust and torn corners
painted as smooth, even strokes onto a clean photo, the JPEG pass a saved
scan gets, and the ground truth judged against the undamaged photo.

make_eval.py writes the evaluation set with it, train_net.py trains on it,
and old_look.py paints its old prints with its primitives.
"""
from __future__ import annotations

import cv2
import numpy as np

from patina_train import masks

KINDS = ("scratch", "crack", "dust", "corner", "mixed")
VISIBLE = 12.0


def _luma(img: np.ndarray) -> np.ndarray:
    """float32 (H, W) luma of uint8/float RGB, 0..255."""
    f = img.astype(np.float32)
    return 0.299 * f[..., 0] + 0.587 * f[..., 1] + 0.114 * f[..., 2]


def _smooth_noise(rng: np.random.Generator, h: int, w: int, cell: float, lo: float, hi: float) -> np.ndarray:
    """Smooth random field in [lo, hi], float32 (H, W), features about `cell` px."""
    gh, gw = max(2, int(h / cell) + 2), max(2, int(w / cell) + 2)
    g = rng.random((gh, gw)).astype(np.float32)
    f = cv2.resize(g, (w, h), interpolation=cv2.INTER_CUBIC)
    return np.clip(lo + (hi - lo) * f, lo, hi)


def _paint(img: np.ndarray, alpha: np.ndarray, colour: np.ndarray) -> np.ndarray:
    """img float32 (H, W, 3) 0..255; alpha float32 (H, W) 0..1; colour (H, W, 3) or (3,)."""
    a = alpha[..., None]
    return img * (1 - a) + colour * a


def _bright_colour(rng: np.random.Generator) -> np.ndarray:
    """Exposed paper or lifted emulsion: near white, slightly warm."""
    v = rng.uniform(215, 250)
    return np.array([v, v * rng.uniform(0.96, 1.0), v * rng.uniform(0.88, 0.98)], np.float32)


def _dark_colour(rng: np.random.Generator) -> np.ndarray:
    v = rng.uniform(8, 55)
    return np.array([v, v * rng.uniform(0.9, 1.0), v * rng.uniform(0.85, 1.0)], np.float32)


def _strokes(img: np.ndarray, rng: np.random.Generator, parts: list[np.ndarray], blur: float,
             strength: tuple[float, float], bright_p: float) -> np.ndarray:
    """Paints each binary part (uint8 0/1) with its own polarity and a mottled opacity."""
    h, w = img.shape[:2]
    out = img
    for m in parts:
        if not m.any():
            continue
        colour = _bright_colour(rng) if rng.random() < bright_p else _dark_colour(rng)
        mottle = _smooth_noise(rng, h, w, rng.uniform(8, 40), 0.65, 1.0)
        alpha = m.astype(np.float32) * rng.uniform(*strength) * mottle
        if blur > 0:
            # A soft halo outside the stroke, while its own pixels keep most of their paint.
            alpha = np.maximum(cv2.GaussianBlur(alpha, (0, 0), blur), 0.85 * alpha)
        out = _paint(out, np.clip(alpha, 0, 1), colour)
    return out


def _split_scratches(rng: np.random.Generator, h: int, w: int) -> list[np.ndarray]:
    return [masks.scratches(rng, h, w, count=1) for _ in range(int(rng.integers(1, 5)))]


def _split_components(m: np.ndarray) -> list[np.ndarray]:
    n, labels = cv2.connectedComponents(m.astype(np.uint8), connectivity=8)
    return [(labels == i).astype(np.uint8) for i in range(1, n)]


def _torn_corner(img: np.ndarray, rng: np.random.Generator, m: np.ndarray) -> np.ndarray:
    h, w = m.shape
    if rng.random() < 0.65:
        base = _bright_colour(rng)
        grain = 3.0
    else:
        base = np.full(3, rng.uniform(5, 30), np.float32)
        grain = 1.5
    paper = base[None, None, :] + rng.normal(0, grain, (h, w, 1)).astype(np.float32)
    alpha = cv2.GaussianBlur(m.astype(np.float32), (0, 0), 0.7)
    alpha = np.maximum(alpha, m.astype(np.float32))
    return _paint(img, alpha, paper)


def render(kind: str, photo: np.ndarray, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Returns (damaged float32 RGB 0..255 before JPEG, binary mask uint8 0/1)."""
    h, w = photo.shape[:2]
    img = photo.astype(np.float32)
    if kind == "scratch":
        parts = _split_scratches(rng, h, w)
        img = _strokes(img, rng, parts, blur=0.5, strength=(0.55, 0.95), bright_p=0.6)
        m = np.bitwise_or.reduce(parts)
    elif kind == "crack":
        m = masks.cracks(rng, h, w)
        img = _strokes(img, rng, [m], blur=0.7, strength=(0.5, 0.9), bright_p=0.45)
    elif kind == "dust":
        m = masks.dust(rng, h, w)
        img = _strokes(img, rng, _split_components(m), blur=0.6, strength=(0.6, 1.0), bright_p=0.5)
    elif kind == "corner":
        m = masks.torn_corner(rng, h, w)
        img = _torn_corner(img, rng, m)
    elif kind == "mixed":
        parts = _split_scratches(rng, h, w)
        img = _strokes(img, rng, parts, blur=0.5, strength=(0.55, 0.95), bright_p=0.6)
        c = masks.cracks(rng, h, w) if rng.random() < 0.5 else np.zeros((h, w), np.uint8)
        img = _strokes(img, rng, [c], blur=0.7, strength=(0.5, 0.9), bright_p=0.45)
        d = masks.dust(rng, h, w)
        img = _strokes(img, rng, _split_components(d), blur=0.6, strength=(0.6, 1.0), bright_p=0.5)
        m = np.bitwise_or.reduce(parts) | c | d
        if rng.random() < 0.3:
            t = masks.torn_corner(rng, h, w)
            img = _torn_corner(img, rng, t)
            m |= t
    else:
        raise ValueError(kind)
    return img, m.astype(np.uint8)


def jpeg_pass(img: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Mild grain then a JPEG round trip, as a scan saved by a person would have."""
    noisy = img + rng.normal(0, 1.5, img.shape).astype(np.float32)
    u8 = np.clip(np.round(noisy), 0, 255).astype(np.uint8)
    return jpeg_round_trip(u8, int(rng.integers(85, 96)))


def jpeg_round_trip(rgb: np.ndarray, quality: int) -> np.ndarray:
    """uint8 RGB saved as a JPEG at `quality` and read back."""
    ok, buf = cv2.imencode(".jpg", cv2.cvtColor(rgb, cv2.COLOR_RGB2BGR), [cv2.IMWRITE_JPEG_QUALITY, quality])
    assert ok
    return cv2.cvtColor(cv2.imdecode(buf, cv2.IMREAD_COLOR), cv2.COLOR_BGR2RGB)


def ground_truth(photo: np.ndarray, damaged: np.ndarray, m: np.ndarray) -> np.ndarray:
    """uint8 (H, W): 255 visible damage, 128 invisible damage (ignored), 0 clean.

    Visible = some colour channel changed by at least VISIBLE levels: a white
    scratch over teal sky barely moves luma but is plain to see.
    """
    diff = np.abs(damaged.astype(np.float32) - photo.astype(np.float32)).max(axis=2)
    visible = diff >= VISIBLE
    # A stroke is judged as a whole: a 1-px line is visible along where its paint shows.
    visible = cv2.dilate(visible.astype(np.uint8), np.ones((3, 3), np.uint8)).astype(bool)
    gt = np.zeros(m.shape, np.uint8)
    gt[(m > 0) & visible] = 255
    gt[(m > 0) & ~visible] = 128
    return gt
