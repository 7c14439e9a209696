#!/usr/bin/env python3
"""Validation of a model through the engine, against OpenCV Telea, plus a contact sheet.

Usage: PYTHONPATH=training /usr/bin/python3 -m evaluate --checkpoint training/runs/main/best.pt [--mirror]
           [--hole-reach 128] [--out training/eval/latest.json] [--sheet training/eval/sheet.jpg] [--limit N]
       PYTHONPATH=training /usr/bin/python3 -m evaluate --models-dir models --checkpoint training/checkpoints/patina-csa.pt
           --into-manifest        (re-score the shipped model and record it in models/manifest.json)

The score that counts is the product path's (training/patina_train/engine_eval.py): every
held-out photo at 512x512 with the three fixed mask kinds, the holes holding white, black
and noise, restored by the built CLI (`patina run`, so `npm run build` first) from the
models folder given, or from the checkpoint exported to a temporary one; Telea runs on the
same damaged photos. Beside PSNR and SSIM each kind gets a texture ratio (the fill's
high-frequency energy over the original's in the hole, geometric mean over photos;
patina_train/metrics.texture_ratio): under 1, a fill smoother than the photo was. With a
checkpoint the network alone is scored too, on clean inputs and composited here: a proxy, kept under "proxy" (it never saw the engine's crops and paste).
"""
from __future__ import annotations

import argparse
import hashlib
import json
import tempfile
import time
from pathlib import Path

import torch

from patina_train import engine_eval, reach, validate
from export import export_onnx, torch_output
from patina_train.checkpoint import load_net

ROOT = Path(__file__).resolve().parents[1]


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


def proxy_scores(net, items, mirror: bool, reaches: list[float]) -> dict:
    """The network alone on clean inputs, composited here: not the product path."""
    raw = memoized(torch_output(net, mirror))
    direct = validate.model_scores(items, raw)
    rough = validate.model_scores(items, rough_stage(net))
    return {
        "what": "network only, holes holding the true picture, composited in Python (a proxy)",
        "networkAt512": direct,
        "networkByReach": {str(r): validate.model_scores(items, reach.with_reach(raw, r)) for r in reaches if r},
        "roughStageAt512": rough,
        "refineGainDb": {k: direct[k]["holePsnr"] - rough[k]["holePsnr"] for k in direct},
        "teleaOnCleanInputs": validate.telea_scores(items, ROOT / "training" / "runs" / f"telea_{len(items)}.json"),
    }


def shipped_settings(models_dir: Path) -> tuple[float | None, bool]:
    entry = next(m for m in json.loads((models_dir / "manifest.json").read_text())["models"] if m["role"] == "inpaint")
    return entry.get("holeReach"), bool(entry.get("architecture", {}).get("mirrorEnsemble"))


def record_in_manifest(res: dict) -> None:
    path = ROOT / "models" / "manifest.json"
    manifest = json.loads(path.read_text())
    entry = next(m for m in manifest["models"] if m["role"] == "inpaint")
    entry["validation"] = res
    path.write_text(json.dumps(manifest, indent=2) + "\n")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--checkpoint", help="score this checkpoint (exported to a temporary models folder "
                                         "unless --models-dir is given), and the network alone as a proxy")
    ap.add_argument("--models-dir", help="score the ONNX model this folder's manifest names, as shipped")
    ap.add_argument("--out", default=str(ROOT / "training" / "eval" / "latest.json"))
    ap.add_argument("--sheet", default=str(ROOT / "training" / "eval" / "sheet.jpg"))
    ap.add_argument("--limit", type=int, default=None)
    ap.add_argument("--hole-reach", type=float, nargs="*", default=[128.0],
                    help="holeReach for the exported checkpoint (the first value; 0 = none); every value is "
                         "also scored on the network-only proxy")
    ap.add_argument("--mirror", action="store_true",
                    help="export the mirror self-ensemble into the graph (export --mirror); the engine's "
                         "--quality-mode best runs the same ensemble on a one-pass model")
    ap.add_argument("--quality-mode", choices=("fast", "best"), default="best",
                    help="the engine's quality mode for the product-path scores")
    ap.add_argument("--grain", choices=("auto", "on", "off"), default=None,
                    help="the engine's grain matching for the product-path scores (default: the engine's)")
    ap.add_argument("--texture", choices=("on", "off"), default=None,
                    help="the engine's detail transfer for the product-path scores (default: the engine's)")
    ap.add_argument("--into-manifest", action="store_true",
                    help="with --models-dir models: record the result as the shipped model's validation")
    args = ap.parse_args()
    if not args.checkpoint and not args.models_dir:
        ap.error("give --checkpoint, --models-dir, or both")
    if args.into_manifest and (not args.models_dir or Path(args.models_dir).resolve() != (ROOT / "models").resolve()):
        ap.error("--into-manifest records the shipped model's score: use it with --models-dir models")
    torch.set_num_threads(2)
    items = validate.load_items(limit=args.limit)
    t0 = time.time()
    net, state = load_net(Path(args.checkpoint)) if args.checkpoint else (None, {})
    with tempfile.TemporaryDirectory(prefix="patina-models-") as tmp:
        if args.models_dir:
            models_dir = Path(args.models_dir)
            hole_reach, mirror = shipped_settings(models_dir)
        else:
            hole_reach, mirror = (args.hole_reach[0] if args.hole_reach else 0) or None, args.mirror
            onnx_path = Path(tmp) / "patina-csa.onnx"
            export_onnx(net, onnx_path, mirror)
            models_dir = engine_eval.write_models_dir(onnx_path, Path(tmp), hole_reach, mirror)
        product = engine_eval.evaluate(items, models_dir, quality_mode=args.quality_mode, grain=args.grain,
                                          texture=args.texture)
    res = {
        "path": "engine: `patina run` on a folder of damaged photos (training/patina_train/engine_eval.py)",
        "fills": list(engine_eval.FILLS),
        "checkpoint": args.checkpoint, "step": state.get("step"), "imagesSeen": state.get("images_seen"),
        "photos": len(items), "size": 512, "kinds": {k: list(v) for k, v in validate.masks.VAL_KINDS.items()},
        "holeReach": hole_reach,
        "mirror": mirror,
        "qualityMode": args.quality_mode,
        "grain": args.grain,
        "texture": args.texture,
        **engine_eval.summary(product),
        "proxy": proxy_scores(net, items, mirror or args.quality_mode == "best", args.hole_reach) if net is not None else None,
        "seconds": time.time() - t0,
    }
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(res, indent=2))
    engine_eval.contact_sheet(product, Path(args.sheet))
    if args.into_manifest:
        record_in_manifest(res)
    print(json.dumps({k: res[k] for k in ("model", "telea", "gainDb", "outsideChanged")}))
    print(engine_eval.texture_table(res))


if __name__ == "__main__":
    main()
