"""Training photos: the split, an in-memory cache and random crops.

Photos are read in place from ../shared/data/train. Decoding ~1,500 JPEGs every
epoch would cost more CPU than the network on 2 cores, so the first run decodes
them once, scales to a short side of CACHE_SHORT px (train.py --cache-short) and keeps them in a
git-ignored .npz under training/.data.
"""
from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_DATA_DIR = ROOT.parent / "shared" / "data" / "train"
DATA_DIR = Path(os.environ.get("PATINA_TRAIN_DATA", DEFAULT_DATA_DIR))
CACHE_DIR = ROOT / "training" / ".data"
CACHE_SHORT = 384
VAL_SIZE = 512
EXTS = {".jpg", ".jpeg", ".png", ".webp", ".bmp", ".tif", ".tiff"}


def list_photos(data_dir: Path = DATA_DIR) -> list[str]:
    """Relative paths of all photos, sorted so the order is stable across machines."""
    out = []
    for p in sorted(data_dir.rglob("*")):
        if p.suffix.lower() in EXTS and p.is_file():
            out.append(p.relative_to(data_dir).as_posix())
    return out


def is_validation(rel_path: str) -> bool:
    """Fixed ~5 % split by a hash of the relative path: never depends on file order."""
    h = int(hashlib.sha1(rel_path.encode()).hexdigest()[:8], 16)
    return h % 100 < 5


def split(data_dir: Path = DATA_DIR) -> tuple[list[str], list[str]]:
    photos = list_photos(data_dir)
    val = [p for p in photos if is_validation(p)]
    train = [p for p in photos if not is_validation(p)]
    return train, val


def read_rgb(path: Path) -> np.ndarray:
    """uint8 (H, W, 3) RGB."""
    bgr = cv2.imread(str(path), cv2.IMREAD_COLOR)
    if bgr is None:
        raise ValueError(f"cannot decode {path}")
    return cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB)


def resize_short(img: np.ndarray, short: int) -> np.ndarray:
    """Scaled so its short side is `short` px (area when shrinking, bicubic when enlarging);
    left as it is when within 0.1 %."""
    h, w = img.shape[:2]
    s = short / min(h, w)
    if abs(s - 1) < 1e-3:
        return img
    interp = cv2.INTER_AREA if s < 1 else cv2.INTER_CUBIC
    return cv2.resize(img, (max(short, round(w * s)), max(short, round(h * s))), interpolation=interp)


def load_train_cache(data_dir: Path = DATA_DIR, short: int = CACHE_SHORT) -> list[np.ndarray]:
    """List of uint8 (H, W, 3) RGB arrays with short side `short` (one cache file per size)."""
    CACHE_DIR.mkdir(parents=True, exist_ok=True)
    # Another photo tree (PATINA_TRAIN_DATA, e.g. a GPU pack) gets its own cache file.
    default = data_dir.resolve() == DEFAULT_DATA_DIR.resolve()
    tag = "" if default else "-" + hashlib.sha1(str(data_dir.resolve()).encode()).hexdigest()[:8]
    cache = CACHE_DIR / f"train_{short}{tag}.npz"
    if cache.exists():
        z = np.load(cache)
        return [z[k] for k in sorted(z.files, key=lambda k: int(k[1:]))]
    train, _ = split(data_dir)
    imgs = [resize_short(read_rgb(data_dir / p), short) for p in train]
    np.savez(cache, **{f"i{i}": im for i, im in enumerate(imgs)})
    return imgs


def load_validation(data_dir: Path = DATA_DIR, size: int = VAL_SIZE) -> list[tuple[str, np.ndarray]]:
    """Validation photos as uint8 (size, size, 3) RGB: short side resized to size, centre crop."""
    _, val = split(data_dir)
    return load_centre_crops(val, data_dir, size)


def load_centre_crops(paths: list[str], data_dir: Path = DATA_DIR, size: int = VAL_SIZE) -> list[tuple[str, np.ndarray]]:
    """(path, uint8 (size, size, 3) RGB) per photo: short side resized to size, centre crop."""
    out = []
    for p in paths:
        im = resize_short(read_rgb(data_dir / p), size)
        h, w = im.shape[:2]
        y, x = (h - size) // 2, (w - size) // 2
        out.append((p, np.ascontiguousarray(im[y:y + size, x:x + size])))
    return out


@dataclass
class CropSampler:
    """Random crops with scale jitter and flips from the cached photos."""

    images: list[np.ndarray]
    rng: np.random.Generator

    def sample(self, size: int) -> np.ndarray:
        im = self.images[int(self.rng.integers(len(self.images)))]
        h, w = im.shape[:2]
        # Scale jitter: the crop side runs from 0.8x the output size (slight upscale)
        # up to the whole short side (a downscaled view of most of the photo).
        side = int(self.rng.integers(int(0.8 * size), max(int(0.8 * size), min(h, w)) + 1))
        side = min(side, h, w)
        y = int(self.rng.integers(0, h - side + 1))
        x = int(self.rng.integers(0, w - side + 1))
        crop = im[y:y + side, x:x + side]
        if side != size:
            crop = cv2.resize(crop, (size, size), interpolation=cv2.INTER_AREA if side > size else cv2.INTER_CUBIC)
        if self.rng.random() < 0.5:
            crop = crop[:, ::-1]
        return np.ascontiguousarray(crop)
