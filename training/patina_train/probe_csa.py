"""Is the CSA layer doing anything? The share of live CSA input features on held-out photos.

The CSA layer reads e3 = relu(s3(...)), the refinement encoder's 1/8-resolution features.
When every e3 activation is zero on real photos the layer copies zeros into the hole: the
refinement's deep path (e4, the dilated middle blocks, d3) then receives constants and the
stage is a shallow U-Net on e1/e2. Nothing else reports that, since the output stays a
plausible fill; this probe does.

Usage (from the repository root):
  PYTHONPATH=training /usr/bin/python3 -m patina_train.probe_csa --checkpoint training/checkpoints/patina-csa.pt
  PYTHONPATH=training /usr/bin/python3 -m patina_train.probe_csa --onnx old.onnx   # weights of any exported version
  PYTHONPATH=training /usr/bin/python3 -m patina_train.probe_csa --onnx models/patina-csa.onnx --into-manifest
      (records the shipped model's figures as csaActivity.probe in models/manifest.json, for the model card)

Figures (over every held-out photo and validation mask kind, all feature positions):
  active       share of e3 activations > 0 (0 = the CSA path is dead)
  liveChannels e3 channels positive anywhere in the probe set
  holeActive   share of the CSA output's hole positions (what it copies in) that are non-zero
  s3PreMax     the largest s3 pre-activation seen: how far below zero a dead layer sits
"""
from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np
import torch

from . import validate
from .checkpoint import load_net, net_from_onnx
from .model import PatinaCSA

# Below this share of live e3 activations the CSA layer counts as dead. A trained, working
# encoder sits far above it (about half its ReLU outputs are positive); a dead one is 0.
MIN_ACTIVE = 0.01
PROBE_SIZE = 256
MANIFEST = Path(__file__).resolve().parents[2] / "models" / "manifest.json"


@torch.no_grad()
def csa_activity(net: PatinaCSA, images: list[torch.Tensor], masks: list[torch.Tensor]) -> dict:
    """Activity of the CSA input over (image (1,3,S,S), mask (1,1,S,S)) pairs, in order."""
    pre_max = -float("inf")

    def hook(_m, _i, out):
        nonlocal pre_max
        pre_max = max(pre_max, float(out.max()))

    handle = net.refine.s3.register_forward_hook(hook)
    positive, total, hole_live, hole_total = 0, 0, 0, 0
    live_channels = torch.zeros(net.refine.s3.out_channels, dtype=torch.bool)
    try:
        for image, mask in zip(images, masks):
            out = net(image, mask)
            e3, csa, gm = out["e3"], out["csa"], out["grid_mask"]
            positive += int((e3 > 0).sum())
            total += e3.numel()
            live_channels |= (e3 > 0).flatten(2).any(2).any(0).cpu()
            hole = (gm > 0.5).expand_as(csa)
            hole_live += int((csa[hole] != 0).sum())
            hole_total += int(hole.sum())
    finally:
        handle.remove()
    active = positive / max(total, 1)
    return {
        "active": active,
        "live": active >= MIN_ACTIVE,
        "liveChannels": int(live_channels.sum()),
        "channels": int(live_channels.numel()),
        "holeActive": hole_live / hole_total if hole_total else None,
        "s3PreMax": pre_max,
        "pairs": len(images),
    }


def validation_pairs(items: list[validate.ValItem]) -> tuple[list[torch.Tensor], list[torch.Tensor]]:
    """Every held-out photo with each of its validation masks."""
    images, masks = [], []
    for it in items:
        x = validate.to_tensor(it.image)
        for kind in validate.KINDS:
            images.append(x)
            masks.append(torch.from_numpy(it.masks[kind])[None, None].float())
    return images, masks


def held_out_activity(net: PatinaCSA, limit: int | None = 12, size: int = PROBE_SIZE) -> dict:
    """csa_activity on the first `limit` held-out photos at `size` px, every validation mask kind."""
    images, masks = validation_pairs(validate.load_items(size=size, limit=limit))
    return {**csa_activity(net.eval(), images, masks), "photos": len(images) // len(validate.KINDS), "size": size}


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(prog="python3 -m patina_train.probe_csa", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    src = ap.add_mutually_exclusive_group(required=True)
    src.add_argument("--checkpoint", help="a training checkpoint (.pt); its shipped weights are probed")
    src.add_argument("--onnx", help="an exported model (.onnx), e.g. an older version from git history")
    ap.add_argument("--limit", type=int, default=12, help="held-out photos (0 = all 61)")
    ap.add_argument("--size", type=int, default=PROBE_SIZE, help="photo size in px (a multiple of 32)")
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--into-manifest", action="store_true",
                    help="with --onnx models/patina-csa.onnx: record the figures in the manifest's inpaint entry")
    args = ap.parse_args(argv)
    if args.into_manifest and (not args.onnx or Path(args.onnx).resolve() != (MANIFEST.parent / "patina-csa.onnx").resolve()):
        ap.error("--into-manifest records the shipped model's figures: use it with --onnx models/patina-csa.onnx")
    torch.set_num_threads(args.threads)
    net = load_net(args.checkpoint)[0] if args.checkpoint else net_from_onnx(args.onnx)
    res = held_out_activity(net, args.limit or None, args.size)
    print(json.dumps({"source": args.checkpoint or args.onnx, **res}))
    if args.into_manifest:
        record_in_manifest(res)


def record_in_manifest(res: dict) -> None:
    """csaActivity.probe of the inpaint entry; its other keys (the history by version, the cause) stay."""
    manifest = json.loads(MANIFEST.read_text())
    entry = next(m for m in manifest["models"] if m["role"] == "inpaint")
    entry["csaActivity"] = {**entry.get("csaActivity", {}), "probe": res}
    MANIFEST.write_text(json.dumps(manifest, indent=2) + "\n")


if __name__ == "__main__":
    main()
