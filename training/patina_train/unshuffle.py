"""Function-preserving switch of the rough net's input from 2x2 averaging to pixel_unshuffle.

The rough net runs at half resolution and used to see the photo averaged 2x2:
at a hole's edge that average mixes the last known pixels with the zeros of
the hole, so the net never saw the pixels a fill has to continue. Unshuffling
folds each 2x2 block into channels instead (7 -> 28), keeping every pixel for
~0.3 GMAC more at 512 px. The average is a linear function of the four
sub-pixels, so giving each sub-pixel a quarter of the old weight computes the
old function exactly; training then makes the weights of the four differ.
"""
from __future__ import annotations

from dataclasses import replace

import torch
import torch.nn as nn

from .model import NetConfig, PatinaCSA
from .widen import on_weights

# pixel_unshuffle(x, 2) puts input channel c, sub-pixel k (row-major in the 2x2
# block) at output channel c * 4 + k.
SUBPIXELS = 4


@torch.no_grad()
def _spread(old: nn.Conv2d, new: nn.Conv2d, lead: int) -> None:
    """new reads [lead channels, the unshuffled input]; old read [lead, the pooled input]."""
    cin = old.in_channels - lead
    assert new.in_channels == lead + cin * SUBPIXELS, "convolution is not an unshuffled copy"
    new.weight[:, :lead] = old.weight[:, :lead]
    spread = old.weight[:, lead:].repeat_interleave(SUBPIXELS, dim=1) / SUBPIXELS
    new.weight[:, lead:] = spread
    new.bias.copy_(old.bias)


def to_unshuffle(net: PatinaCSA) -> PatinaCSA:
    """A copy of a "pool" net that reads the unshuffled input and has the same outputs."""
    if net.cfg.rough_input != "pool":
        raise ValueError(f"the rough net already reads {net.cfg.rough_input!r} input")
    new = PatinaCSA(replace(net.cfg, rough_input="unshuffle")).train(net.training)
    new.refine.load_state_dict(net.refine.state_dict())
    old_mods, new_mods = dict(net.rough.named_modules()), dict(new.rough.named_modules())
    for name, mod in old_mods.items():
        if isinstance(mod, nn.Conv2d) and name not in ("e1", "out"):
            new_mods[name].load_state_dict(mod.state_dict())
    _spread(net.rough.e1, new.rough.e1, lead=0)
    _spread(net.rough.out, new.rough.out, lead=net.cfg.rough[0])  # out reads [up2(d1), input]
    return new


def unshuffle_weights(weights: dict, cfg: NetConfig) -> dict:
    """to_unshuffle() on a state dict."""
    return on_weights(weights, cfg, to_unshuffle)
