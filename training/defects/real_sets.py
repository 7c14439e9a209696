"""The real labelled damage sets (../shared/data/damage-labelled) and their fixed split.

Each folder (film-frames, film-scans) holds `<stem>.<ext>` with `<stem>_mask.png`
(255 = damage). The split is by position in the folder's pairs sorted by stem:
index % 4 == 0 is validation (scored, never trained on, never tuned on),
index % 4 == 2 is calibration (the threshold is chosen there, never trained on),
the rest is training. training/defects/evaluate_real.ts applies the same rule.

Read in place; nothing is copied into the repository.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

ROOT = Path(__file__).resolve().parents[2]
LABELLED_DIR = ROOT.parent / "shared" / "data" / "damage-labelled"
SETS = ("film-frames", "film-scans")
EXTS = (".png", ".jpg", ".jpeg", ".tif", ".tiff")
# Tolerance of the scores: px per 1000 px of the image's long side (hand masks are a few px wide).
TOLERANCE_PER_1000 = 3.0


@dataclass(frozen=True)
class Pair:
    set: str
    stem: str
    image: Path
    mask: Path
    split: str  # "validation" | "calibration" | "train"


PRINTS_ROOT = ROOT.parent / "shared" / "data" / "damaged"
PRINT_LABELS = ROOT / "training" / "defects" / "labels"


@dataclass(frozen=True)
class PrintPair:
    image: Path
    mask: Path
    split: str  # "validation" | "train", fixed in labels/prints.json
    damaged: bool


def print_pairs(split: str | None = None) -> list[PrintPair]:
    """The labelled real prints (training/defects/labels/PROTOCOL.md); masks rendered by npm run defects:labels."""
    labels = json.loads((PRINT_LABELS / "prints.json").read_text())
    out = []
    for label in labels:
        name = label["image"].rsplit(".", 1)[0].replace("/", "__") + ".png"
        pair = PrintPair(PRINTS_ROOT / label["image"], PRINT_LABELS / "prints" / name, label["split"], bool(label["marks"]))
        if split is None or pair.split == split:
            out.append(pair)
    return out


def split_of(index: int) -> str:
    return {0: "validation", 2: "calibration"}.get(index % 4, "train")


def pairs(set_name: str, root: Path = LABELLED_DIR) -> list[Pair]:
    folder = root / set_name
    images = sorted(p for p in folder.iterdir()
                    if p.suffix.lower() in EXTS and not p.stem.endswith("_mask") and p.is_file())
    return [Pair(set_name, p.stem, p, folder / f"{p.stem}_mask.png", split_of(i)) for i, p in enumerate(images)]


def all_pairs(split: str | None = None) -> list[Pair]:
    return [p for s in SETS for p in pairs(s) if split is None or p.split == split]


def read(pair: Pair | PrintPair) -> tuple[np.ndarray, np.ndarray]:
    """(uint8 RGB (H, W, 3), bool mask (H, W)); grey frames repeated into three channels."""
    bgr = cv2.imread(str(pair.image), cv2.IMREAD_COLOR)
    mask = cv2.imread(str(pair.mask), cv2.IMREAD_GRAYSCALE)
    if bgr is None or mask is None:
        raise ValueError(f"cannot read {pair.image} or its mask")
    return cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB), mask > 127


def tolerance_px(width: int, height: int) -> int:
    return max(1, round(TOLERANCE_PER_1000 * max(width, height) / 1000))


def _near(mask: np.ndarray, tol: int) -> np.ndarray:
    """Pixels within `tol` px (Euclidean) of a pixel of `mask`."""
    if not mask.any():
        return np.zeros_like(mask)
    dist = cv2.distanceTransform((~mask).astype(np.uint8), cv2.DIST_L2, 5)
    return dist <= tol


def tolerant_counts(pred: np.ndarray, truth: np.ndarray, tol: int) -> np.ndarray:
    """(predicted near truth, predicted, truth near prediction, truth) pixel counts."""
    return np.array([int((pred & _near(truth, tol)).sum()), int(pred.sum()),
                     int((truth & _near(pred, tol)).sum()), int(truth.sum())])


def prf(counts: np.ndarray) -> tuple[float, float, float]:
    """Tolerant precision, recall and F1 of summed tolerant_counts."""
    pn, p, tn, t = counts
    precision = pn / p if p else 0.0
    recall = tn / t if t else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return float(precision), float(recall), float(f1)
