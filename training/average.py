#!/usr/bin/env python3
"""Average the shipped weights of several checkpoints of one run (a weight soup).

Usage: /usr/bin/python3 training/average.py --out training/runs/deep/soup.pt training/runs/snaps/deep-*.pt

Late snapshots of one annealing run sit in one basin; their mean scored as
well as the best of them on brush and +0.02 dB better on box (v0.10.0). The
output keeps the last checkpoint's step, config and losses, and drops its
optimiser state and raw weights, which belong to that one snapshot.
"""
from __future__ import annotations

import argparse
import json
from pathlib import Path

import torch


def mean_weights(weights: list[dict]) -> dict:
    """Element-wise mean of float tensors; other tensors (counters) come from the last dict."""
    if not weights:
        raise ValueError("nothing to average")
    keys = weights[-1].keys()
    if any(w.keys() != keys for w in weights):
        raise ValueError("the checkpoints hold different networks")
    return {k: (sum(w[k].float() for w in weights) / len(weights)) if weights[-1][k].dtype.is_floating_point
            else weights[-1][k] for k in keys}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", required=True)
    ap.add_argument("checkpoints", nargs="+")
    args = ap.parse_args()
    states = [torch.load(p, map_location="cpu", weights_only=False) for p in args.checkpoints]  # our own files
    out = {k: v for k, v in states[-1].items() if k not in ("opt", "train_model", "disc")}
    out["model"] = mean_weights([s["model"] for s in states])
    out["averaged"] = {"checkpoints": args.checkpoints, "steps": [s.get("step") for s in states]}
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    torch.save(out, args.out)
    print(json.dumps({"out": args.out, "steps": out["averaged"]["steps"]}))


if __name__ == "__main__":
    main()
