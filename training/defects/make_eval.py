"""Synthetic damage evaluation set for the defect detector.

Paints seeded, realistic damage (bright and dark scratches, branching cracks,
dust specks, torn corners) onto the clean validation photos of the lead's
fixed split and writes, per photo and kind:

  <out>/<nnn>_<kind>.png     uint8 RGB (512, 512, 3), damaged photo (after a JPEG pass)
  <out>/<nnn>_<kind>_gt.png  uint8 grey (512, 512): 255 = damage, 128 = ignore, 0 = clean

and `<nnn>_clean.png` (same JPEG pass, no damage, no gt file) for the
false-positive rate. "ignore" marks damage pixels whose paint changed no colour
channel by VISIBLE levels or more (a white scratch over white sky): nobody can see
them, so they count neither as a miss nor as a false alarm.

Run with /usr/bin/python3 from the repository root:
  PYTHONPATH=training /usr/bin/python3 -m defects.make_eval [--out training/.data/defects-eval]
Photos are read in place from ../shared/data/train; nothing is copied into the repo.
"""
from __future__ import annotations

import argparse
import json
from pathlib import Path

import cv2
import numpy as np

from defects import old_look
# train_net and the tests take the renderer's names from here.
from defects.strokes import KINDS, VISIBLE, ground_truth, jpeg_pass, render  # noqa: F401
from patina_train import data

ROOT = Path(__file__).resolve().parents[2]

SEED = 20240607


def render_pair(kind: str, photo: np.ndarray, rng: np.random.Generator,
                old: bool) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(reference uint8 RGB the truth is judged against, damaged float32 before JPEG, mask).
    With `old` the reference is the aged print (old_look), so its grain and toning are never damage."""
    if not old:
        if kind == "clean":
            return photo, photo.astype(np.float32), np.zeros(photo.shape[:2], np.uint8)
        damaged, m = render(kind, photo, rng)
        return photo, damaged, m
    aged, damaged, m = old_look.render_old(kind, photo, rng)
    return np.clip(aged, 0, 255).astype(np.uint8), damaged, m


def training_order() -> tuple[list[str], np.ndarray]:
    """The training split and train_net's fixed permutation of it (start_run's seed 7): its held-out
    photos come first, and the detector's runs take their photos from the front after them."""
    train, _ = data.split()
    return train, np.random.default_rng(7).permutation(len(train))


def calibration_paths(train: list[str], order: np.ndarray) -> list[str]:
    """Clean training photos no detector trains on: train_net's 12 held-out ones and the last 24 of its
    permutation (finetune_real calibrates its threshold on them)."""
    return [train[i] for i in [*order[:12], *order[-24:]]]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default=str(ROOT / "training" / ".data" / "defects-eval"))
    ap.add_argument("--limit", type=int, default=0)
    ap.add_argument("--calibration", action="store_true",
                    help="render on the clean training photos no detector trains on (finetune_real's calibration "
                         "photos) instead of the validation photos, for choosing settings; default out "
                         "training/.data/defects-eval-cal")
    ap.add_argument("--old", action="store_true",
                    help="old prints (old_look.py: aged photo, relief cracks, crazing, worn edges); "
                         "default out training/.data/defects-eval-old")
    args = ap.parse_args()
    if args.old and args.out == ap.get_default("out"):
        args.out = args.out + "-old"
    if args.calibration and args.out == ap.get_default("out"):
        args.out = args.out + "-cal"
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    photos = data.load_centre_crops(calibration_paths(*training_order())) if args.calibration else data.load_validation()
    if args.limit:
        photos = photos[: args.limit]
    items = []
    for i, (rel, photo) in enumerate(photos):
        rng = np.random.default_rng([SEED, i, 1] if args.old else [SEED, i])
        reference, _, _ = render_pair("clean", photo, rng, args.old)
        clean = jpeg_pass(reference.astype(np.float32), rng)
        name = f"{i:03d}_clean"
        cv2.imwrite(str(out / f"{name}.png"), cv2.cvtColor(clean, cv2.COLOR_RGB2BGR))
        items.append({"name": name, "kind": "clean", "source": rel})
        for kind in KINDS:
            for _ in range(20):
                reference, damaged, m = render_pair(kind, photo, rng, args.old)
                if m.any():
                    break
            final = jpeg_pass(damaged, rng)
            gt = ground_truth(reference, final, m)
            name = f"{i:03d}_{kind}"
            cv2.imwrite(str(out / f"{name}.png"), cv2.cvtColor(final, cv2.COLOR_RGB2BGR))
            cv2.imwrite(str(out / f"{name}_gt.png"), gt)
            items.append({"name": name, "kind": kind, "source": rel,
                          "damaged": float((gt == 255).mean()), "ignored": float((gt == 128).mean())})
    (out / "manifest.json").write_text(json.dumps({"seed": SEED, "visible": VISIBLE, "old": args.old, "items": items}, indent=1))
    print(f"wrote {len(items)} images to {out}")


if __name__ == "__main__":
    main()
