#!/usr/bin/env python3
"""Rescale a checkpoint's refinement-net activations to ~1 without changing its outputs.

Usage: /usr/bin/python3 training/rebalance.py --checkpoint training/runs/X/best.pt --out training/runs/Y/start.pt

Both weight sets (the average export ships and the raw weights the optimiser
steps) get the same divisors, measured on the average, so the average keeps
tracking the raw weights after a resume. The optimiser state is dropped: Adam's
moments belong to the old scale. See patina_train/rebalance.py for why.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parent))
from export import load_net  # noqa: E402
from patina_train import masks, rebalance, validate  # noqa: E402
from patina_train.model import NetConfig, PatinaCSA  # noqa: E402

PROBE_PHOTOS = 6
PROBE_SIZE = 256


def probe_batch() -> tuple[torch.Tensor, torch.Tensor]:
    """Validation photos with brush masks: what the divisors are measured on."""
    items = validate.load_items(size=PROBE_SIZE, limit=PROBE_PHOTOS)
    image = torch.cat([validate.to_tensor(it.image) for it in items])
    mask = torch.stack([torch.from_numpy(masks.validation_mask("brush", 77 + i, PROBE_SIZE, PROBE_SIZE))
                        for i in range(len(items))])[:, None].float()
    return image, mask


def net_from(weights: dict, cfg: NetConfig) -> PatinaCSA:
    net = PatinaCSA(cfg)
    net.load_state_dict({k: v.float() for k, v in weights.items()})
    return net.eval()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--checkpoint", required=True)
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    torch.set_num_threads(2)

    avg, state = load_net(Path(args.checkpoint))
    cfg = avg.cfg
    image, mask = probe_batch()
    with torch.no_grad():
        before = avg(image, mask)["output"]
    scales = rebalance.rebalance(avg, image, mask)
    with torch.no_grad():
        after = avg(image, mask)["output"]
    drift = float((after - before).abs().max())
    state["model"] = {k: v.clone() for k, v in avg.state_dict().items()}
    if "train_model" in state:
        raw = net_from(state["train_model"], cfg)
        rebalance.apply(raw, scales)
        state["train_model"] = {k: v.clone() for k, v in raw.state_dict().items()}
    state.pop("opt", None)
    state["rebalanced"] = {"from": args.checkpoint, "divisors": scales, "max_output_drift": drift}
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    torch.save(state, args.out)
    print(json.dumps({"out": args.out, "max_output_drift": drift,
                      "largest_divisor": max(scales.values()), "divisors": scales}))
    if drift > 1e-3:
        sys.exit(f"rebalancing changed the output by {drift:.2e}; not a pure rescale")


if __name__ == "__main__":
    main()
