#!/usr/bin/env python3
"""Pack training and validation photos for a GPU session of `device`.

Only the repository travels to the GPU machine (64 MiB in all, the repo
included), not ../shared. This writes a git-ignored copy of the photo tree,
smaller: validation photos at a short side of 512 px (what validation uses),
training photos at the crop cache's short side (384 px, or --train-short:
512 for runs with --cache-short 512, fewer photos in the same bytes), as JPEG bytes under
each photo's own relative path, so the split by path hash and the validation
set stay the same; OpenCV decodes by content, not by extension. Training
photos are taken in a fixed hash order until the byte budget is spent.

  PYTHONPATH=training /usr/bin/python3 -m gpu_pack [--budget-mb 38] [--train-short 384] [--out training/.gpu/train]

Then, on the device: PATINA_TRAIN_DATA=training/.gpu/train PYTHONPATH=training python3 -m train --device cuda ...
with `training/.gpu` named in carry.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import shutil
from pathlib import Path

import cv2

from patina_train import data

ROOT = Path(__file__).resolve().parents[1]


def encode(rel: str, short: int, quality: int) -> bytes:
    img = data.resize_short(data.read_rgb(data.DATA_DIR / rel), short)
    ok, buf = cv2.imencode(".jpg", cv2.cvtColor(img, cv2.COLOR_RGB2BGR), [cv2.IMWRITE_JPEG_QUALITY, quality])
    if not ok:
        raise ValueError(f"cannot encode {rel}")
    return buf.tobytes()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default=str(ROOT / "training" / ".gpu" / "train"))
    ap.add_argument("--budget-mb", type=float, default=38.0)
    ap.add_argument("--quality", type=int, default=90)
    ap.add_argument("--train-short", type=int, default=data.CACHE_SHORT,
                    help="short side of the packed training photos; match train.py --cache-short")
    args = ap.parse_args()
    out = Path(args.out)
    if out.exists():
        shutil.rmtree(out)
    train, val = data.split()
    budget = int(args.budget_mb * 1e6)
    used, kept = 0, {"validation": 0, "train": 0}
    order = [(p, data.VAL_SIZE, "validation") for p in val] + \
        [(p, args.train_short, "train") for p in sorted(train, key=lambda p: hashlib.sha1(p.encode()).hexdigest())]
    for rel, short, role in order:
        blob = encode(rel, short, args.quality)
        if used + len(blob) > budget:
            if role == "validation":
                raise SystemExit(f"--budget-mb {args.budget_mb} does not hold the validation photos")
            break
        dest = out / rel
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.write_bytes(blob)
        used += len(blob)
        kept[role] += 1
    summary = {"out": str(out), "bytes": used, **kept, "trainAvailable": len(train), "trainShort": args.train_short}
    (out.parent / "pack.json").write_text(json.dumps(summary, indent=1))
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
