#!/usr/bin/env python3
"""Join the rough stage of one checkpoint with the refinement of another (same parent).

Usage: /usr/bin/python3 training/graft.py --rough training/runs/A/best.pt --refine training/runs/B/best.pt \
           --parent training/checkpoints/patina-csa.pt --out training/runs/graft/best.pt

Run A trained the rough stage alone (train.py --freeze-refine), run B the
refinement alone (--freeze-rough), both from --parent; the graft counts the
steps and images of both runs. Its losses are A's, with B's under
"refine_phase". See patina_train/graft.py.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parent))
from export import load_net  # noqa: E402
from patina_train.graft import graft_weights  # noqa: E402
from patina_train.model import PatinaCSA, count_params  # noqa: E402


def graft_states(rough: dict, refine: dict, parent: dict) -> dict:
    """The checkpoint dict of the graft; each argument is a loaded checkpoint with a parsed "cfg"."""
    weights, cfg = graft_weights(rough["model"], rough["cfg"], refine["model"], refine["cfg"])
    PatinaCSA(cfg).load_state_dict(weights)  # strict: the two halves cover the net exactly
    out = {"model": weights, "cfg": cfg.to_dict(),
           "step": rough["step"] + refine["step"] - parent.get("step", 0),
           "images_seen": rough["images_seen"] + refine["images_seen"] - parent.get("images_seen", 0),
           "losses": {**(rough.get("losses") or {}), "freeze_refine": False, "grafted": True,
                      "refine_phase": refine.get("losses") or {}}}
    if "train_model" in rough and "train_model" in refine:
        out["train_model"], _ = graft_weights(rough["train_model"], rough["cfg"], refine["train_model"], refine["cfg"])
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rough", required=True, help="checkpoint whose rough stage is kept")
    ap.add_argument("--refine", required=True, help="checkpoint whose refinement stage is kept")
    ap.add_argument("--parent", required=True, help="the checkpoint both runs started from")
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    states = {}
    for role in ("rough", "refine", "parent"):
        net, state = load_net(Path(getattr(args, role)))
        states[role] = {**state, "cfg": net.cfg}
    out = graft_states(states["rough"], states["refine"], states["parent"])
    out["grafted"] = {"rough": args.rough, "refine": args.refine, "parent": args.parent,
                      "roughStep": states["rough"]["step"], "refineStep": states["refine"]["step"]}
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    torch.save(out, args.out)
    print(json.dumps({"out": args.out, "step": out["step"], "images_seen": out["images_seen"],
                      "params": count_params(load_net(Path(args.out))[0])}))


if __name__ == "__main__":
    main()
