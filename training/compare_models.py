"""Models folders through the product path on the same damaged photos: hole PSNR per mask
kind for a baseline (A) and each candidate (B), and the paired difference (B - A) photo by
photo, as `patina run` restores them (training/patina_train/engine_eval.py; needs
`npm run build`).

    PYTHONPATH=training /usr/bin/python3 -m compare_models --b training/runs/int8/models --limit 20

One fill (white) is enough for a comparison: the engine's output does not depend on what
the holes hold (evaluate.py's modelByFill shows the three fills scoring alike).
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

from patina_train import engine_eval, validate

ROOT = Path(__file__).resolve().parents[1]


def paired(base: dict, run: dict, folder: Path) -> dict:
    kinds = {}
    for kind, rows_a in base["rows"].items():
        diffs = np.array([rb[2]["holePsnr"] - ra[2]["holePsnr"] for ra, rb in zip(rows_a, run["rows"][kind], strict=True)])
        kinds[kind] = {"holePsnrA": base["model"][kind]["holePsnr"], "holePsnrB": run["model"][kind]["holePsnr"],
                       "meanDiffDb": float(diffs.mean()), "diffRangeDb": [float(diffs.min()), float(diffs.max())]}
    # Parity of the two products: the largest 8-bit difference anywhere in the restored photos.
    worst = max(int(np.abs(base["outputs"][c.name].astype(int) - run["outputs"][c.name].astype(int)).max())
                for c in base["cases"])
    return {"b": str(folder), "kinds": kinds, "maxPixelDiff8bit": worst, "outsideChanged": run["outsideChanged"]}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--a", type=Path, default=ROOT / "models", help="baseline models folder")
    ap.add_argument("--b", type=Path, nargs="+", required=True, help="candidate models folder(s)")
    ap.add_argument("--limit", type=int, default=None, help="first N validation photos (all 61 when left out)")
    ap.add_argument("--fills", nargs="+", default=["white"], choices=list(engine_eval.FILLS))
    ap.add_argument("--quality-mode", choices=["fast", "best"], default=None, help="the engine's default when left out")
    ap.add_argument("--out", type=Path, default=None, help="write the result as JSON here")
    args = ap.parse_args()
    items = validate.load_items(limit=args.limit)
    base = engine_eval.evaluate(items, args.a, tuple(args.fills), quality_mode=args.quality_mode)
    print(f"a: {args.a} scored", file=sys.stderr)
    result: dict = {"a": str(args.a), "photos": len(items), "fills": args.fills,
                    "qualityMode": args.quality_mode or "engine default", "outsideChangedA": base["outsideChanged"],
                    "candidates": []}
    for folder in args.b:
        run = engine_eval.evaluate(items, folder, tuple(args.fills), quality_mode=args.quality_mode)
        print(f"b: {folder} scored", file=sys.stderr)
        result["candidates"].append(paired(base, run, folder))
    text = json.dumps(result, indent=1)
    print(text)
    if args.out:
        args.out.write_text(text + "\n")


if __name__ == "__main__":
    main()
