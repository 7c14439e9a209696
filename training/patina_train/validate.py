"""Fixed validation: the held-out photos at 512x512, three mask kinds, Telea as baseline."""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import numpy as np
import torch

from . import data, masks, metrics

KINDS = tuple(masks.VAL_KINDS)


@dataclass
class ValItem:
    name: str
    image: np.ndarray  # uint8 (S, S, 3) RGB
    masks: dict[str, np.ndarray]  # kind -> uint8 (S, S), 1 = hole


def load_items(size: int = data.VAL_SIZE, limit: int | None = None) -> list[ValItem]:
    items = []
    for i, (name, im) in enumerate(data.load_validation(size=size)):
        ms = {k: masks.validation_mask(k, 10_000 * (j + 1) + i, size, size) for j, k in enumerate(KINDS)}
        items.append(ValItem(name, im, ms))
    return items[:limit] if limit else items


def telea_scores(items: list[ValItem], cache: Path | None = None) -> dict[str, dict[str, float]]:
    """Mean Telea metrics per kind; cached because they never change."""
    # The metric set is part of the key, so a cache from before a new metric is redone.
    key = f"{len(items)}:{items[0].image.shape[0] if items else 0}:{','.join(metrics.METRICS)}"
    if cache and cache.exists():
        c = json.loads(cache.read_text())
        if c.get("key") == key:
            return c["scores"]
    per = {k: [] for k in KINDS}
    for it in items:
        for k in KINDS:
            per[k].append(metrics.score(metrics.telea(it.image, it.masks[k]), it.image, it.masks[k]))
    out = {k: mean_of(v) for k, v in per.items()}
    if cache:
        cache.parent.mkdir(parents=True, exist_ok=True)
        cache.write_text(json.dumps({"key": key, "scores": out}))
    return out


def mean_of(rows: list[dict[str, float]]) -> dict[str, float]:
    """Mean of each metric over rows: arithmetic, geometric for ratios (metrics.GEOMETRIC)."""
    def mean(m: str) -> float:
        vals = np.array([r[m] for r in rows], dtype=np.float64)
        return float(np.exp(np.mean(np.log(np.maximum(vals, 1e-6))))) if m in metrics.GEOMETRIC else float(vals.mean())
    return {m: mean(m) for m in rows[0]} if rows else {}


def to_tensor(im: np.ndarray) -> torch.Tensor:
    return torch.from_numpy(im).permute(2, 0, 1)[None].float() / 255.0


def to_u8(t: torch.Tensor) -> np.ndarray:
    return (t[0].permute(1, 2, 0).clamp(0, 1).numpy() * 255.0 + 0.5).astype(np.uint8)


def model_rows(items: list[ValItem], run: Callable[[torch.Tensor, torch.Tensor], torch.Tensor],
               device: str = "cpu") -> dict[str, list[dict[str, float]]]:
    """Metrics of each photo, per kind, in item order.
    run(image (1,3,S,S) [0,1], mask (1,1,S,S)) -> output (1,3,S,S) [0,1]."""
    per = {k: [] for k in KINDS}
    with torch.no_grad():
        for it in items:
            x = to_tensor(it.image).to(device)
            for k in KINDS:
                m = torch.from_numpy(it.masks[k])[None, None].float().to(device)
                per[k].append(metrics.score(to_u8(run(x, m).cpu()), it.image, it.masks[k]))
    return per


def means(rows: dict[str, list[dict[str, float]]]) -> dict[str, dict[str, float]]:
    return {k: mean_of(v) for k, v in rows.items()}


def model_scores(items: list[ValItem], run: Callable[[torch.Tensor, torch.Tensor], torch.Tensor],
                 device: str = "cpu") -> dict[str, dict[str, float]]:
    """Mean metrics per kind; see model_rows."""
    return means(model_rows(items, run, device))
