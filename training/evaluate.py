#!/usr/bin/env python3
"""Full validation of a checkpoint against OpenCV Telea, plus a contact sheet.

Usage: /usr/bin/python3 training/evaluate.py --checkpoint training/runs/main/best.pt
           [--out training/eval/latest.json] [--sheet training/eval/sheet.jpg] [--limit N]

Runs every held-out photo at 512x512 with the three fixed mask kinds and
reports mean PSNR / SSIM / L1-in-hole (8-bit results) for the model and Telea.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from pathlib import Path

import cv2
import numpy as np
import torch

sys.path.insert(0, str(Path(__file__).resolve().parent))
from patina_train import metrics, reach, validate  # noqa: E402
from export import load_net, torch_output  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


def contact_sheet(items, run, path: Path, n: int = 8, kind_cycle=("brush", "box", "scratch")) -> None:
    """Rows: damaged input | Telea | Patina | original, at 256 px per tile."""
    rows = []
    with torch.no_grad():
        for i, it in enumerate(items[:n]):
            k = kind_cycle[i % len(kind_cycle)]
            m = it.masks[k]
            shown = it.image.copy()
            shown[m > 0] = (255, 0, 255)
            ours = validate.to_u8(run(validate.to_tensor(it.image), torch.from_numpy(m)[None, None].float()))
            tiles = [shown, metrics.telea(it.image, m), ours, it.image]
            rows.append(np.hstack([cv2.resize(t, (256, 256), interpolation=cv2.INTER_AREA) for t in tiles]))
    sheet = np.vstack(rows)
    path.parent.mkdir(parents=True, exist_ok=True)
    cv2.imwrite(str(path), cv2.cvtColor(sheet, cv2.COLOR_RGB2BGR), [cv2.IMWRITE_JPEG_QUALITY, 88])


def memoized(run):
    """run, remembering each (image, mask) pair's output: the direct scores, every hole
    reach that leaves a hole at full size (all scratches and brush strokes) and the
    contact sheet then share one forward pass per photo and mask (about 3 MB each)."""
    seen: dict[bytes, torch.Tensor] = {}

    def cached(x: torch.Tensor, m: torch.Tensor) -> torch.Tensor:
        key = hashlib.sha1(x.numpy().tobytes() + m.numpy().tobytes()).digest()
        if key not in seen:
            seen[key] = run(x, m)
        return seen[key]

    return cached


def rough_stage(net):
    """The first stage alone, composited like the output: the refinement stage's gain is
    measured against it (v0.6.0's refinement, its features inflated, added 0.001 dB)."""
    def run(x: torch.Tensor, m: torch.Tensor) -> torch.Tensor:
        hole = (m > 0.5).to(x.dtype)
        return hole * net(x, m)["rough"] + (1.0 - hole) * x

    return run


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--checkpoint", required=True)
    ap.add_argument("--out", default=str(ROOT / "training" / "eval" / "latest.json"))
    ap.add_argument("--sheet", default=str(ROOT / "training" / "eval" / "sheet.jpg"))
    ap.add_argument("--limit", type=int, default=None)
    ap.add_argument("--hole-reach", type=float, nargs="*", default=[28.0],
                    help="the engine's deep-hole rule (training/patina_train/reach.py); several values: "
                         "report each, the first is the one exported (0 = model at 512 only)")
    ap.add_argument("--mirror", action="store_true",
                    help="score the mirror self-ensemble (what export --mirror ships)")
    args = ap.parse_args()
    torch.set_num_threads(2)
    net, state = load_net(Path(args.checkpoint))
    items = validate.load_items(limit=args.limit)
    t0 = time.time()
    telea = validate.telea_scores(items, ROOT / "training" / "runs" / f"telea_{len(items)}.json")
    raw = memoized(torch_output(net, args.mirror))
    direct = validate.model_scores(items, raw)
    rough = validate.model_scores(items, rough_stage(net))
    chosen = args.hole_reach[0] if args.hole_reach else 0
    ours_rows = validate.model_rows(items, reach.with_reach(raw, chosen or None))
    ours = validate.means(ours_rows)
    by_reach = {str(r): ours if r == chosen else validate.model_scores(items, reach.with_reach(raw, r))
                for r in args.hole_reach if r}
    res = {
        "checkpoint": args.checkpoint, "step": state.get("step"), "imagesSeen": state.get("images_seen"),
        "photos": len(items), "size": 512, "kinds": {k: list(v) for k, v in validate.masks.VAL_KINDS.items()},
        "holeReach": chosen or None,
        "mirror": args.mirror,
        "model": ours, "telea": telea,
        "modelAt512NoReach": direct,
        "modelByReach": by_reach,
        "roughStageAt512": rough,
        "refineGainDb": {k: direct[k]["psnr"] - rough[k]["psnr"] for k in direct},
        "hardest": validate.hardest(items, ours_rows, validate.telea_rows(items)),
        "gainDb": {k: ours[k]["psnr"] - telea[k]["psnr"] for k in ours},
        "seconds": time.time() - t0,
    }
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(res, indent=2))
    contact_sheet(items, reach.with_reach(raw, chosen or None), Path(args.sheet))
    print(json.dumps(res))


if __name__ == "__main__":
    main()
