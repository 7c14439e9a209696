#!/usr/bin/env python3
"""Widen a checkpoint's rough net, give it the unshuffled full-resolution input, or
deepen its decoder, without changing its outputs.

Usage: /usr/bin/python3 training/widen.py --checkpoint training/checkpoints/patina-csa.pt \
           [--rough 36,72,144,192] [--unshuffle] [--decoder-blocks 1] --out training/runs/wide/start.pt

Both weight sets (the average export ships and the raw weights the optimiser
steps) get the same change (the same fresh channels), so the average keeps
tracking the raw weights after a resume. The optimiser state is dropped: it has
no moments for the new weights. See patina_train/widen.py, unshuffle.py and deepen.py.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parent))
from patina_train import deepen, unshuffle, widen  # noqa: E402
from patina_train.model import count_params  # noqa: E402
from export import load_net  # noqa: E402
from rebalance import probe_batch  # noqa: E402

# The check is on the rough stage, the part widening touches: float32 sums in another
# order move it by ~1e-7, and downstream the CSA's argmax can flip between near-tied
# known positions on such a change, which moves a few output pixels by ~1e-4.
MAX_ROUGH_DRIFT = 1e-5


def parse_widths(spec: str) -> tuple[int, int, int, int]:
    widths = tuple(int(s) for s in spec.split(","))
    if len(widths) != 4 or min(widths) < 1:
        raise argparse.ArgumentTypeError(f"--rough needs four positive widths, got {spec!r}")
    return widths  # type: ignore[return-value]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--checkpoint", required=True)
    ap.add_argument("--rough", type=parse_widths, help="new rough-net widths, e.g. 36,72,144,192")
    ap.add_argument("--unshuffle", action="store_true",
                    help="feed the rough net pixel_unshuffle of the input instead of its 2x2 average")
    ap.add_argument("--decoder-blocks", type=int, default=None,
                    help="residual blocks per rough decoder level (zero-initialised: the identity)")
    ap.add_argument("--out", required=True)
    ap.add_argument("--seed", type=int, default=0, help="initialises the added channels")
    args = ap.parse_args()
    if not args.rough and not args.unshuffle and args.decoder_blocks is None:
        ap.error("nothing to do: give --rough, --unshuffle, --decoder-blocks or several")
    torch.set_num_threads(2)

    old, state = load_net(Path(args.checkpoint))
    cfg = old.cfg
    rough = args.rough or cfg.rough
    image, mask = probe_batch()

    def reshape(net):
        net = widen.widen(net, rough, args.seed)
        net = unshuffle.to_unshuffle(net) if args.unshuffle else net
        return deepen.deepen(net, args.decoder_blocks, args.seed) if args.decoder_blocks is not None else net

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
                        "roughInput": [cfg.rough_input, wide.cfg.rough_input],
                        "decoderBlocks": [cfg.rough_decoder_blocks, wide.cfg.rough_decoder_blocks],
                        "max_rough_drift": drift, "max_output_drift": output_drift}
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    torch.save(state, args.out)
    print(json.dumps({"out": args.out, "max_rough_drift": drift, "max_output_drift": output_drift,
                      "params": count_params(wide), "rough": list(rough),
                      "roughInput": wide.cfg.rough_input, "decoderBlocks": wide.cfg.rough_decoder_blocks}))
    if drift > MAX_ROUGH_DRIFT:
        sys.exit(f"widening changed the rough stage's output by {drift:.2e}; not function-preserving")


if __name__ == "__main__":
    main()
