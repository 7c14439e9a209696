"""Function-preserving widening of the rough net (Net2Net-style, zero fan-out).

Frozen-refinement training runs the rough stage at ~20 images/s on two
threads, so its capacity, not the step rate, may be what holds the fills
back, and the latency budget (0.3 s at 512 px, 0.1 s used) has room for a
wider rough net. Training one from scratch would throw away 125,000 images of
training; widening keeps every trained weight: each layer gets extra output
channels (freshly initialised), and every layer that reads them starts with
zero weights on them, so the widened net computes exactly the old function
and the new channels join in as those zero weights are trained.
"""
from __future__ import annotations

from dataclasses import dataclass, replace

import torch
import torch.nn as nn

from .model import ROUGH_DECODER_LEVELS, ROUGH_IN_CHANNELS, NetConfig, PatinaCSA


@dataclass(frozen=True)
class Edge:
    """One rough-net convolution: the tensors it reads (in channel order) and the one it writes."""

    conv: str
    inputs: tuple[str, ...]
    output: str


# The rough net's dataflow (model.RoughNet.forward). The residual blocks write back
# into the e4 stream, so their second convolutions output "E4" again.
ROUGH_EDGES: tuple[Edge, ...] = (
    Edge("e1", ("x7",), "E1"), Edge("e2", ("E1",), "E2"), Edge("e3", ("E2",), "E3"), Edge("e4", ("E3",), "E4"),
    Edge("mid.0.c1", ("E4",), "M0"), Edge("mid.0.c2", ("M0",), "E4"),
    Edge("mid.2.c1", ("E4",), "M2"), Edge("mid.2.c2", ("M2",), "E4"),
    Edge("d3", ("E4", "E3"), "D3"), Edge("d2", ("D3", "E2"), "D2"), Edge("d1", ("D2", "E1"), "D1"),
    Edge("out", ("D1", "x7"), "Y"),
)


def rough_channels(cfg: NetConfig) -> dict[str, int]:
    """Channels of every rough-net tensor; the input and the pixel-shuffled output are fixed."""
    c1, c2, c3, c4 = cfg.rough
    return {"x7": ROUGH_IN_CHANNELS, "E1": c1, "E2": c2, "E3": c3, "E4": c4, "M0": c4, "M2": c4,
            "D3": c3, "D2": c2, "D1": c1, "Y": 12}


@torch.no_grad()
def _widen_conv(old: nn.Conv2d, new: nn.Conv2d, old_in: list[int], new_in: list[int]) -> None:
    """Copy old's weights into new's leading rows and each input segment's leading
    columns; zero what old outputs read from the added input channels."""
    out_old = old.out_channels
    s_old = s_new = 0
    for n_old, n_new in zip(old_in, new_in):
        new.weight[:out_old, s_new:s_new + n_old] = old.weight[:, s_old:s_old + n_old]
        new.weight[:out_old, s_new + n_old:s_new + n_new] = 0.0
        s_old, s_new = s_old + n_old, s_new + n_new
    assert s_old == old.in_channels and s_new == new.in_channels, "input segments do not cover the convolution"
    new.bias[:out_old] = old.bias


def widen(net: PatinaCSA, rough: tuple[int, int, int, int], seed: int = 0) -> PatinaCSA:
    """A copy of net whose rough net has the widths `rough` (each >= the old one) and the same outputs."""
    if any(n < o for n, o in zip(rough, net.cfg.rough)):
        raise ValueError(f"widths {rough} are narrower than {net.cfg.rough}")
    if net.cfg.rough_decoder_blocks and tuple(rough) != tuple(net.cfg.rough):
        # ROUGH_EDGES does not name the decoder's residual blocks, so their widths would not follow.
        raise ValueError("widen before deepening: this rough net has decoder blocks widen() cannot follow")
    torch.manual_seed(seed)
    wide = PatinaCSA(replace(net.cfg, rough=tuple(rough))).train(net.training)
    wide.refine.load_state_dict(net.refine.state_dict())
    old_ch, new_ch = rough_channels(net.cfg), rough_channels(wide.cfg)
    old_mods, new_mods = dict(net.rough.named_modules()), dict(wide.rough.named_modules())
    for edge in ROUGH_EDGES:
        _widen_conv(old_mods[edge.conv], new_mods[edge.conv],
                    [old_ch[t] for t in edge.inputs], [new_ch[t] for t in edge.inputs])
    for level in ROUGH_DECODER_LEVELS:  # widths unchanged when there are blocks (checked above)
        getattr(wide.rough, level).load_state_dict(getattr(net.rough, level).state_dict())
    return wide


def on_weights(weights: dict, cfg: NetConfig, transform) -> dict:
    """transform (a net -> net function) applied to a state dict: what a checkpoint's
    "model" and "train_model" hold."""
    net = PatinaCSA(cfg)
    net.load_state_dict({k: v.float() for k, v in weights.items()})
    return {k: v.clone() for k, v in transform(net).state_dict().items()}


def widen_weights(weights: dict, cfg: NetConfig, rough: tuple[int, int, int, int], seed: int = 0) -> dict:
    """widen() on a state dict."""
    return on_weights(weights, cfg, lambda net: widen(net, rough, seed))
