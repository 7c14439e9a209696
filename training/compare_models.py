"""Two models folders through the product path on the same damaged photos: hole PSNR per
mask kind for each, and the paired difference (B - A) photo by photo, as `patina run`
restores them (training/patina_train/engine_eval.py; needs `npm run build`).

    /usr/bin/python3 training/compare_models.py --b training/runs/int8/models --limit 20

One fill (white) is enough for a comparison: the engine's output does not depend on what
the holes hold (evaluate.py's modelByFill shows the three fills scoring alike).
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from patina_train import engine_eval, validate  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--a", type=Path, default=ROOT / "models", help="baseline models folder")
    ap.add_argument("--b", type=Path, required=True, help="candidate models folder")
    ap.add_argument("--limit", type=int, default=None, help="first N validation photos (all 61 when left out)")
    ap.add_argument("--fills", nargs="+", default=["white"], choices=list(engine_eval.FILLS))
    ap.add_argument("--quality-mode", choices=["fast", "best"], default=None, help="the engine's default when left out")
    ap.add_argument("--out", type=Path, default=None, help="write the result as JSON here")
    args = ap.parse_args()
    items = validate.load_items(limit=args.limit)
    runs = {}
    for label, folder in (("a", args.a), ("b", args.b)):
        runs[label] = engine_eval.evaluate(items, folder, tuple(args.fills), quality_mode=args.quality_mode)
        print(f"{label}: {folder} scored", file=sys.stderr)
    result: dict = {"a": str(args.a), "b": str(args.b), "photos": len(items), "fills": args.fills,
                    "qualityMode": args.quality_mode or "engine default", "kinds": {}}
    for kind, rows_a in runs["a"]["rows"].items():
        rows_b = runs["b"]["rows"][kind]
        diffs = np.array([rb[2]["holePsnr"] - ra[2]["holePsnr"] for ra, rb in zip(rows_a, rows_b, strict=True)])
        result["kinds"][kind] = {
            "holePsnrA": runs["a"]["model"][kind]["holePsnr"],
            "holePsnrB": runs["b"]["model"][kind]["holePsnr"],
            "meanDiffDb": float(diffs.mean()),
            "diffRangeDb": [float(diffs.min()), float(diffs.max())],
        }
    # Parity of the two products: largest 8-bit difference anywhere in the restored photos.
    worst = max(int(np.abs(runs["a"]["outputs"][c.name].astype(int) - runs["b"]["outputs"][c.name].astype(int)).max())
                for c in runs["a"]["cases"])
    result["maxPixelDiff8bit"] = worst
    result["outsideChanged"] = {"a": runs["a"]["outsideChanged"], "b": runs["b"]["outsideChanged"]}
    text = json.dumps(result, indent=1)
    print(text)
    if args.out:
        args.out.write_text(text + "\n")


if __name__ == "__main__":
    main()
