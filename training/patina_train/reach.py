"""The engine's deep-hole rule (src/main/imaging/crop-plan.ts), for evaluation.

A network trained on 128-384 px crops fills the middle of a hole much deeper
than the holes it saw with a flat guess. The engine therefore runs a crop
whose hole reaches deeper than the model's `holeReach` (pixels from the
hole's edge, recorded in the manifest) scaled down by reach / depth, and
scales the fill back up. Evaluation applies the same rule so the validation
table measures what users get; a 512-px validation photo is one crop.
"""
from __future__ import annotations

from typing import Callable

import cv2
import numpy as np
import torch
import torch.nn.functional as F

Run = Callable[[torch.Tensor, torch.Tensor], torch.Tensor]


def hole_depth(hole: np.ndarray) -> float:
    """Largest distance from a hole pixel to the nearest known pixel; the image edge is not context."""
    h = (hole > 0).astype(np.uint8)
    if not h.any():
        return 0.0
    if h.all():
        return float(max(h.shape))
    # Pad with hole so the border is not taken for known context (as hole-depth.ts does).
    padded = cv2.copyMakeBorder(h, 1, 1, 1, 1, cv2.BORDER_CONSTANT, value=1)
    d = cv2.distanceTransform(padded, cv2.DIST_L2, cv2.DIST_MASK_PRECISE)[1:-1, 1:-1]
    return float(min(d[h > 0].max(), max(h.shape)))


def with_reach(run: Run, reach: float | None, multiple: int = 32) -> Run:
    """run(image (1,3,H,W) [0,1], mask (1,1,H,W)) -> output, applying the deep-hole rule."""
    if not reach:
        return run

    def scaled(x: torch.Tensor, m: torch.Tensor) -> torch.Tensor:
        depth = hole_depth(m[0, 0].cpu().numpy())
        if depth <= reach:
            return run(x, m)
        H, W = x.shape[-2:]
        s = reach / depth
        sh, sw = max(1, round(H * s)), max(1, round(W * s))
        xs = F.interpolate(x, size=(sh, sw), mode="area")
        # Max, not mean: a hole never vanishes by being scaled down (crop-io.ts does the same).
        ms = (F.interpolate(m, size=(sh, sw), mode="area") > 0).to(m.dtype)
        ph, pw = (-sh) % multiple, (-sw) % multiple
        if ph or pw:
            xs = F.pad(xs, (0, pw, 0, ph), mode="reflect")
            ms = F.pad(ms, (0, pw, 0, ph), mode="reflect")
        out = run(xs, ms)[..., :sh, :sw]
        up = F.interpolate(out, size=(H, W), mode="bilinear", align_corners=False).clamp(0, 1)
        return m * up + (1 - m) * x

    return scaled
