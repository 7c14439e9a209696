"""Procedural, seeded damage masks.

Every generator takes a numpy Generator and a (height, width) and returns a
uint8 array of shape (H, W) with 1 = damaged (to fill) and 0 = intact. Sizes
of strokes scale with the image so a mask drawn at 256 px looks like the same
damage as one drawn at 512 px.
"""
from __future__ import annotations

import math
from typing import Callable

import cv2
import numpy as np

Mask = np.ndarray
Rng = np.random.Generator


def _scale(h: int, w: int) -> float:
    return min(h, w) / 512.0


def _walk(rng: Rng, start: tuple[float, float], angle: float, steps: int,
          step_len: float, wiggle: float) -> np.ndarray:
    """Random-walk polyline; returns int32 points (N, 2) in (x, y)."""
    pts = [start]
    x, y = start
    for _ in range(steps):
        angle += rng.normal(0.0, wiggle)
        x += math.cos(angle) * step_len
        y += math.sin(angle) * step_len
        pts.append((x, y))
    return np.round(np.array(pts)).astype(np.int32)


def scratches(rng: Rng, h: int, w: int, count: int | None = None) -> Mask:
    """Long thin scratches, 1-4 px at 512 px, nearly straight, crossing the photo."""
    m = np.zeros((h, w), np.uint8)
    s = _scale(h, w)
    n = count if count is not None else int(rng.integers(1, 6))
    for _ in range(n):
        x0, y0 = rng.uniform(0, w), rng.uniform(0, h)
        angle = rng.uniform(0, 2 * math.pi)
        length = rng.uniform(0.3, 1.2) * max(h, w)
        steps = max(2, int(length / (20 * s + 1)))
        pts = _walk(rng, (x0, y0), angle, steps, length / steps, 0.03)
        thick = max(1, int(round(rng.uniform(1, 4) * s)))
        cv2.polylines(m, [pts], False, 1, thickness=thick, lineType=cv2.LINE_8)
    return m


def cracks(rng: Rng, h: int, w: int) -> Mask:
    """Branching cracks like emulsion crazing or a creased print, 1-8 px."""
    m = np.zeros((h, w), np.uint8)
    s = _scale(h, w)
    stack = []
    for _ in range(int(rng.integers(1, 3))):
        stack.append((rng.uniform(0, w), rng.uniform(0, h), rng.uniform(0, 2 * math.pi),
                      rng.uniform(3, 8) * s, 0))
    segments = 0
    while stack and segments < 40:
        x, y, angle, thick, depth = stack.pop()
        steps = int(rng.integers(6, 20))
        pts = _walk(rng, (x, y), angle, steps, rng.uniform(6, 14) * s, 0.35)
        cv2.polylines(m, [pts], False, 1, thickness=max(1, int(round(thick))))
        segments += 1
        if depth < 3:
            for _ in range(int(rng.integers(0, 3))):
                k = int(rng.integers(1, len(pts)))
                bx, by = pts[k]
                stack.append((float(bx), float(by), angle + rng.choice([-1, 1]) * rng.uniform(0.4, 1.2),
                              max(1.0, thick * rng.uniform(0.5, 0.8)), depth + 1))
    return m


def dust(rng: Rng, h: int, w: int) -> Mask:
    """Dust specks and small hairs."""
    m = np.zeros((h, w), np.uint8)
    s = _scale(h, w)
    for _ in range(int(rng.integers(5, 60))):
        cx, cy = int(rng.integers(0, w)), int(rng.integers(0, h))
        if rng.random() < 0.8:
            cv2.circle(m, (cx, cy), max(1, int(round(rng.uniform(0.5, 4) * s))), 1, -1)
        else:
            pts = _walk(rng, (cx, cy), rng.uniform(0, 2 * math.pi), int(rng.integers(3, 8)),
                        rng.uniform(3, 6) * s, 0.6)
            cv2.polylines(m, [pts], False, 1, thickness=1)
    return m


def torn_corner(rng: Rng, h: int, w: int) -> Mask:
    """A missing corner or a torn bite out of an edge, with a ragged boundary."""
    m = np.zeros((h, w), np.uint8)
    size = rng.uniform(0.08, 0.3) * min(h, w)
    corner = int(rng.integers(0, 4))
    cx = 0 if corner in (0, 3) else w - 1
    cy = 0 if corner in (0, 1) else h - 1
    n = 14
    pts = [(cx, cy)]
    for i in range(n + 1):
        t = i / n
        r = size * rng.uniform(0.6, 1.3)
        dx = (1 - t) * r
        dy = t * r
        pts.append((cx + (dx if cx == 0 else -dx), cy + (dy if cy == 0 else -dy)))
    cv2.fillPoly(m, [np.round(np.array(pts)).astype(np.int32)], 1)
    return m


def stain(rng: Rng, h: int, w: int) -> Mask:
    """Water stain or lifted emulsion: an irregular blob."""
    m = np.zeros((h, w), np.uint8)
    cx, cy = rng.uniform(0, w), rng.uniform(0, h)
    r = rng.uniform(0.03, 0.12) * min(h, w)
    n = 24
    pts = []
    phase = rng.uniform(0, 2 * math.pi, size=3)
    for i in range(n):
        a = 2 * math.pi * i / n
        rr = r * (1 + 0.25 * math.sin(2 * a + phase[0]) + 0.15 * math.sin(5 * a + phase[1])
                  + 0.1 * rng.normal())
        pts.append((cx + math.cos(a) * rr, cy + math.sin(a) * rr))
    cv2.fillPoly(m, [np.round(np.array(pts)).astype(np.int32)], 1)
    return m


def brush(rng: Rng, h: int, w: int) -> Mask:
    """Free-form brush strokes as a person paints over damage (DeepFill-style)."""
    m = np.zeros((h, w), np.uint8)
    s = _scale(h, w)
    for _ in range(int(rng.integers(1, 5))):
        x, y = rng.uniform(0, w), rng.uniform(0, h)
        width = int(round(rng.uniform(12, 40) * s))
        angle = rng.uniform(0, 2 * math.pi)
        for _ in range(int(rng.integers(3, 9))):
            angle += rng.uniform(-1.2, 1.2)
            length = rng.uniform(20, 90) * s
            nx = float(np.clip(x + math.cos(angle) * length, 0, w - 1))
            ny = float(np.clip(y + math.sin(angle) * length, 0, h - 1))
            cv2.line(m, (int(x), int(y)), (int(nx), int(ny)), 1, thickness=max(1, width))
            cv2.circle(m, (int(nx), int(ny)), max(1, width // 2), 1, -1)
            x, y = nx, ny
    return m


def box(rng: Rng, h: int, w: int, area: tuple[float, float] = (0.04, 0.25)) -> Mask:
    """One axis-aligned rectangle covering a fraction of the area."""
    m = np.zeros((h, w), np.uint8)
    frac = rng.uniform(*area)
    aspect = math.exp(rng.uniform(-0.6, 0.6))
    bh = int(min(h - 2, max(4, math.sqrt(frac * h * w / aspect))))
    bw = int(min(w - 2, max(4, frac * h * w / max(bh, 1))))
    y0 = int(rng.integers(0, h - bh + 1))
    x0 = int(rng.integers(0, w - bw + 1))
    m[y0:y0 + bh, x0:x0 + bw] = 1
    return m


def old_photo_damage(rng: Rng, h: int, w: int) -> Mask:
    """A realistic mix for training: some scratches, cracks, dust, maybe a corner or stain."""
    m = np.zeros((h, w), np.uint8)
    parts: list[Callable[[Rng, int, int], Mask]] = []
    if rng.random() < 0.7:
        parts.append(scratches)
    if rng.random() < 0.5:
        parts.append(cracks)
    if rng.random() < 0.5:
        parts.append(dust)
    if rng.random() < 0.15:
        parts.append(torn_corner)
    if rng.random() < 0.2:
        parts.append(stain)
    if not parts:
        parts.append(scratches)
    for p in parts:
        m |= p(rng, h, w)
    return m


# Shares of the training distribution; train.py --mask-mix overrides them.
DEFAULT_MIX: dict[str, float] = {"damage": 0.35, "brush": 0.35, "box": 0.18, "mixed": 0.12}


def parse_mix(spec: str) -> dict[str, float]:
    """"damage:0.2,brush:0.4,box:0.3,mixed:0.1" -> shares normalised to sum to 1."""
    mix = {}
    for part in spec.split(","):
        name, share = part.split(":")
        if name not in DEFAULT_MIX:
            raise ValueError(f"unknown mask family {name!r}; expected one of {sorted(DEFAULT_MIX)}")
        if float(share) < 0:
            raise ValueError(f"negative share for {name}")
        mix[name] = float(share)
    total = sum(mix.values())
    if total <= 0:
        raise ValueError("mask mix shares sum to 0")
    return {k: v / total for k, v in mix.items()}


def training_mask(rng: Rng, h: int, w: int, mix: dict[str, float] | None = None) -> Mask:
    """The training distribution: old-photo damage, brush strokes, boxes, and mixes."""
    mix = mix or DEFAULT_MIX
    names = list(mix)
    r, acc, family = rng.random(), 0.0, names[-1]
    for name in names:
        acc += mix[name]
        if r < acc:
            family = name
            break
    if family == "damage":
        m = old_photo_damage(rng, h, w)
    elif family == "brush":
        m = brush(rng, h, w)
    elif family == "box":
        m = box(rng, h, w)
    else:
        m = brush(rng, h, w) | old_photo_damage(rng, h, w)
    if m.sum() == 0:
        m = box(rng, h, w)
    return m


# --- fixed validation kinds, each held inside an area band -------------------

VAL_KINDS: dict[str, tuple[float, float]] = {
    "scratch": (0.01, 0.04),
    "brush": (0.08, 0.25),
    "box": (0.12, 0.20),
}


def _scratch_val(rng: Rng, h: int, w: int) -> Mask:
    m = scratches(rng, h, w) | cracks(rng, h, w)
    if rng.random() < 0.5:
        m |= dust(rng, h, w)
    return m


def validation_mask(kind: str, seed: int, h: int, w: int) -> Mask:
    """Deterministic mask of `kind` whose hole fraction lies in VAL_KINDS[kind]."""
    lo, hi = VAL_KINDS[kind]
    rng = np.random.default_rng(seed)
    for _ in range(200):
        if kind == "box":
            m = box(rng, h, w, area=(lo + 0.002, hi - 0.002))
        elif kind == "brush":
            m = brush(rng, h, w)
        else:
            m = _scratch_val(rng, h, w)
        frac = float(m.mean())
        if lo <= frac <= hi:
            return m
    raise RuntimeError(f"could not draw a {kind} mask in [{lo}, {hi}] for seed {seed}")
