"""Checkpoint surgery: one command for the operations that reshape or combine
checkpoints without training them.

Run from the repository root (training/ on the module path):

  PYTHONPATH=training /usr/bin/python3 -m patina_train.surgery widen --checkpoint C.pt --rough 36,72,144,192 --out W.pt
  PYTHONPATH=training /usr/bin/python3 -m patina_train.surgery deepen --checkpoint C.pt --decoder-blocks 1 --out D.pt
  PYTHONPATH=training /usr/bin/python3 -m patina_train.surgery graft --rough A.pt --refine B.pt --parent START.pt --out G.pt
  PYTHONPATH=training /usr/bin/python3 -m patina_train.surgery average --out SOUP.pt A1.pt A2.pt ...
  PYTHONPATH=training /usr/bin/python3 -m patina_train.surgery rebalance --checkpoint OLD.pt --out NEW.pt
  PYTHONPATH=training /usr/bin/python3 -m patina_train.surgery revive (--checkpoint C.pt | --onnx M.onnx) --out R.pt

widen and deepen change the rough net without changing its outputs (added
channels and residual blocks start at zero where they are read); rebalance
rescales the refinement net's activations to ~1, again without changing its
outputs, before a resume of a checkpoint with inflated features; graft joins
one run's rough stage (train.py --freeze-refine) with another's refinement
(--freeze-rough), both from one parent; average is a weight soup of late
snapshots of one run; revive gives a dead CSA input layer (probe_csa.py)
fresh live weights and zeroes what reads the CSA output, again without
changing the outputs (revive.py). Where both weight sets exist (the average export ships
and the raw weights the optimiser steps) both get the same change, so the
average keeps tracking the raw weights after a resume; the optimiser state is
dropped, since its moments belong to the old weights.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import torch

from . import deepen, probe_csa, rebalance, revive, widen
from .average import mean_weights
from .checkpoint import config_of, load_net, net_from, net_from_onnx, read_checkpoint
from .graft import graft_states
from .model import count_params

# widen/deepen check the rough stage, the part they touch: float32 sums in another
# order move it by ~1e-7, and downstream the CSA's argmax can flip between near-tied
# known positions on such a change, which moves a few output pixels by ~1e-4.
MAX_ROUGH_DRIFT = 1e-5
# rebalance checks the output: a pure rescale moves it by rounding only.
MAX_REBALANCE_DRIFT = 1e-3
# revive zeroes what reads a layer that gave zeros: the output moves by rounding only.
MAX_REVIVE_DRIFT = 1e-5
MANIFEST = Path(__file__).resolve().parents[2] / "models" / "manifest.json"


def parse_widths(spec: str) -> tuple[int, int, int, int]:
    widths = tuple(int(s) for s in spec.split(","))
    if len(widths) != 4 or min(widths) < 1:
        raise argparse.ArgumentTypeError(f"--rough needs four positive widths, got {spec!r}")
    return widths  # type: ignore[return-value]


def save(state: dict, out: str) -> None:
    Path(out).parent.mkdir(parents=True, exist_ok=True)
    torch.save(state, out)


def reshape_rough(args: argparse.Namespace) -> None:
    """widen and deepen: new rough-net widths and/or residual blocks per decoder level."""
    torch.set_num_threads(2)
    old, state = load_net(args.checkpoint)
    cfg = old.cfg
    rough = getattr(args, "rough", None) or cfg.rough
    blocks = args.decoder_blocks
    image, mask = rebalance.probe_batch()

    def reshape(net):
        net = widen.widen(net, rough, args.seed)
        return deepen.deepen(net, blocks, args.seed) if blocks is not None else net

    wide = reshape(old).eval()
    with torch.no_grad():
        a, b = old(image, mask), wide(image, mask)
    drift = float((b["rough"] - a["rough"]).abs().max())
    output_drift = float((b["output"] - a["output"]).abs().max())
    state["model"] = {k: v.clone() for k, v in wide.state_dict().items()}
    if "train_model" in state:
        state["train_model"] = widen.on_weights(state["train_model"], cfg, reshape)
    state.pop("opt", None)
    state["cfg"] = wide.cfg.to_dict()
    state["widened"] = {"from": args.checkpoint, "rough": list(cfg.rough), "to": list(rough),
                        "decoderBlocks": [cfg.rough_decoder_blocks, wide.cfg.rough_decoder_blocks],
                        "max_rough_drift": drift, "max_output_drift": output_drift}
    save(state, args.out)
    print(json.dumps({"out": args.out, "max_rough_drift": drift, "max_output_drift": output_drift,
                      "params": count_params(wide), "rough": list(rough), "decoderBlocks": wide.cfg.rough_decoder_blocks}))
    if drift > MAX_ROUGH_DRIFT:
        sys.exit(f"reshaping changed the rough stage's output by {drift:.2e}; not function-preserving")


def graft(args: argparse.Namespace) -> None:
    states = {}
    for role in ("rough", "refine", "parent"):
        net, state = load_net(getattr(args, role))
        states[role] = {**state, "cfg": net.cfg}
    out = graft_states(states["rough"], states["refine"], states["parent"])
    out["grafted"] = {"rough": args.rough, "refine": args.refine, "parent": args.parent,
                      "roughStep": states["rough"]["step"], "refineStep": states["refine"]["step"]}
    save(out, args.out)
    print(json.dumps({"out": args.out, "step": out["step"], "images_seen": out["images_seen"],
                      "params": count_params(load_net(args.out)[0])}))


def average(args: argparse.Namespace) -> None:
    """The output keeps the last checkpoint's step, config and losses, and drops its optimiser
    state and raw weights, which belong to that one snapshot."""
    states = [read_checkpoint(p) for p in args.checkpoints]
    out = {k: v for k, v in states[-1].items() if k not in ("opt", "train_model", "disc")}
    out["model"] = mean_weights([s["model"] for s in states])
    out["averaged"] = {"checkpoints": args.checkpoints, "steps": [s.get("step") for s in states]}
    save(out, args.out)
    print(json.dumps({"out": args.out, "steps": out["averaged"]["steps"]}))


def rebalance_checkpoint(args: argparse.Namespace) -> None:
    """The divisors are measured on the shipped average and applied to both weight sets."""
    torch.set_num_threads(2)
    avg, state = load_net(args.checkpoint)
    image, mask = rebalance.probe_batch()
    with torch.no_grad():
        before = avg(image, mask)["output"]
    scales = rebalance.rebalance(avg, image, mask)
    with torch.no_grad():
        after = avg(image, mask)["output"]
    drift = float((after - before).abs().max())
    state["model"] = {k: v.clone() for k, v in avg.state_dict().items()}
    if "train_model" in state:
        raw = net_from(state["train_model"], avg.cfg)
        rebalance.apply(raw, scales)
        state["train_model"] = {k: v.clone() for k, v in raw.state_dict().items()}
    state.pop("opt", None)
    state["rebalanced"] = {"from": args.checkpoint, "divisors": scales, "max_output_drift": drift}
    save(state, args.out)
    print(json.dumps({"out": args.out, "max_output_drift": drift,
                      "largest_divisor": max(scales.values()), "divisors": scales}))
    if drift > MAX_REBALANCE_DRIFT:
        sys.exit(f"rebalancing changed the output by {drift:.2e}; not a pure rescale")


def onnx_state(path: str) -> dict:
    """A checkpoint dict for an exported model: its weights, and from the manifest entry with the
    same file hash (when there is one) the step, images seen and losses that a resume reports."""
    import hashlib

    net = net_from_onnx(path)
    digest = hashlib.sha256(Path(path).read_bytes()).hexdigest()
    entries = json.loads(MANIFEST.read_text())["models"] if MANIFEST.exists() else []
    training = next((m.get("training", {}) for m in entries if m.get("sha256") == digest), {})
    return {"model": net.state_dict(), "cfg": net.cfg.to_dict(), "step": training.get("steps", 0),
            "images_seen": training.get("imagesSeen", 0), "losses": training.get("losses", {}),
            "fromOnnx": path}


def revive_checkpoint(args: argparse.Namespace) -> None:
    """Both weight sets get the same fresh s3 (calibrated on the shipped average)."""
    torch.set_num_threads(2)
    state = read_checkpoint(args.checkpoint) if args.checkpoint else onnx_state(args.onnx)
    net = net_from(state["model"], config_of(state))
    image, mask = rebalance.probe_batch()
    with torch.no_grad():
        before = net(image, mask)["output"]
    revive.revive(net, image, mask, args.seed)
    with torch.no_grad():
        after = net(image, mask)["output"]
    drift = float((after - before).abs().max())
    fresh = {k: v for k, v in net.state_dict().items() if k.startswith(("refine.s3.", "refine.e4.weight", "refine.d3.weight"))}
    state["model"] = {k: v.clone() for k, v in net.state_dict().items()}
    if "train_model" in state:
        state["train_model"] = {**state["train_model"], **{k: v.clone() for k, v in fresh.items()}}
    state.pop("opt", None)
    activity = probe_csa.held_out_activity(net, limit=4)
    state["revived"] = {"from": args.checkpoint or args.onnx, "seed": args.seed, "max_output_drift": drift,
                        "active": activity["active"]}
    save(state, args.out)
    print(json.dumps({"out": args.out, "max_output_drift": drift, "csa": activity}))
    if drift > MAX_REVIVE_DRIFT:
        sys.exit(f"reviving changed the output by {drift:.2e}; the CSA layer was not dead")


def parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="python3 -m patina_train.surgery", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="operation", required=True)

    blocks_help = "residual blocks per rough decoder level (zero-initialised: the identity)"
    for name, help_text, widths in (("widen", "widen the rough net (and optionally deepen its decoder)", True),
                                    ("deepen", "add residual blocks to the rough net's decoder", False)):
        op = sub.add_parser(name, help=help_text)
        op.add_argument("--checkpoint", required=True)
        if widths:
            op.add_argument("--rough", type=parse_widths, required=True, help="new rough-net widths, e.g. 36,72,144,192")
        op.add_argument("--decoder-blocks", type=int, default=None, required=not widths,
                        help=("also: " if widths else "") + blocks_help)
        op.add_argument("--out", required=True)
        op.add_argument("--seed", type=int, default=0, help="initialises the added weights")
        op.set_defaults(run=reshape_rough)

    g = sub.add_parser("graft", help="one checkpoint's rough stage with another's refinement")
    g.add_argument("--rough", required=True, help="checkpoint whose rough stage is kept")
    g.add_argument("--refine", required=True, help="checkpoint whose refinement stage is kept")
    g.add_argument("--parent", required=True, help="the checkpoint both runs started from")
    g.add_argument("--out", required=True)
    g.set_defaults(run=graft)

    a = sub.add_parser("average", help="the mean of several snapshots of one run (a weight soup)")
    a.add_argument("--out", required=True)
    a.add_argument("checkpoints", nargs="+")
    a.set_defaults(run=average)

    r = sub.add_parser("rebalance", help="rescale the refinement net's activations to ~1")
    r.add_argument("--checkpoint", required=True)
    r.add_argument("--out", required=True)
    r.set_defaults(run=rebalance_checkpoint)

    v = sub.add_parser("revive", help="fresh live weights for a dead CSA input layer, its readers at zero")
    src = v.add_mutually_exclusive_group(required=True)
    src.add_argument("--checkpoint", help="a training checkpoint (.pt)")
    src.add_argument("--onnx", help="an exported model, e.g. models/patina-csa.onnx when no .pt is at hand")
    v.add_argument("--out", required=True)
    v.add_argument("--seed", type=int, default=0, help="initialises s3")
    v.set_defaults(run=revive_checkpoint)
    return ap


def main(argv: list[str] | None = None) -> None:
    args = parser().parse_args(argv)
    args.run(args)


if __name__ == "__main__":
    main()
