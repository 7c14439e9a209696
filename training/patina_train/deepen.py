"""Function-preserving deepening of the rough net's decoder.

The rough net fills brush strokes 12-40 px wide from three single convolutions
at 1/16, 1/8 and 1/4 of the photo; widening it (widen.py) cost more step time
than it won back on two CPU threads. A residual block after each of those
convolutions adds depth where the strokes are filled for ~0.5 GMAC at 512 px.
Each added block starts with its second convolution at zero, so it is the
identity and the deepened net computes the old function exactly; the first
convolution keeps its random start so the zero one gets gradients at once.
"""
from __future__ import annotations

from dataclasses import replace

import torch

from .model import ROUGH_DECODER_LEVELS, NetConfig, PatinaCSA
from .widen import on_weights


def deepen(net: PatinaCSA, blocks: int, seed: int = 0) -> PatinaCSA:
    """A copy of net with `blocks` residual blocks per rough decoder level and the same outputs."""
    have = net.cfg.rough_decoder_blocks
    if blocks < have:
        raise ValueError(f"the rough decoder already has {have} blocks a level; cannot go to {blocks}")
    torch.manual_seed(seed)
    new = PatinaCSA(replace(net.cfg, rough_decoder_blocks=blocks)).train(net.training)
    result = new.load_state_dict(net.state_dict(), strict=False)
    assert not result.unexpected_keys, result.unexpected_keys
    with torch.no_grad():
        for level in ROUGH_DECODER_LEVELS:
            for block in list(getattr(new.rough, level))[have:]:
                block.c2.weight.zero_()
                block.c2.bias.zero_()
    return new


def deepen_weights(weights: dict, cfg: NetConfig, blocks: int, seed: int = 0) -> dict:
    """deepen() on a state dict."""
    return on_weights(weights, cfg, lambda net: deepen(net, blocks, seed))
