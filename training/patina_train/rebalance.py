"""Function-preserving rescaling of the refinement net's activations.

The refinement net is positively homogeneous between its input and its output:
convolutions, (leaky) ReLUs, the residual blocks and the CSA layer all commute
with a positive scale (CSA mixes features by ratios of similarities). So every
intermediate tensor can be divided by a constant, and the layers that read it
multiplied back, without changing the output.

Why it matters: up to v0.6.0 the scale-invariant consistency loss let the
encoder's weights grow step after step, until its 1/8-resolution features were
~1e6. With inputs that large, one Adam step on the decoder moves the output by
far more than the loss can use, so training had kept the refinement residual
near zero: the whole second stage, CSA included, added 0.001 dB. Rebalancing
brings every tensor back to a mean magnitude of 1, where the decoder can learn.
"""
from __future__ import annotations

from dataclasses import dataclass

import torch
import torch.nn as nn

from . import masks, validate
from .model import PatinaCSA

PROBE_PHOTOS = 6
PROBE_SIZE = 256


@dataclass(frozen=True)
class Edge:
    """One convolution: which tensors feed it (in channel order) and which it writes."""

    conv: str
    inputs: tuple[str, ...]
    output: str


def _refine_edges(net: PatinaCSA) -> tuple[tuple[Edge, ...], dict[str, int]]:
    r = net.refine
    c1, c2, c3, c4 = (r.e1.out_channels, r.e2.out_channels, r.e3.out_channels, r.e4.out_channels)
    channels = {"x": r.e1.in_channels, "e1c": c1, "s10": c1, "E1": c1, "e2c": c2, "s20": c2, "E2": c2,
                "e3c": c3, "E3": c3, "E4": c4, "m0": c4, "m2": c4, "D3": c3, "d20": c2, "D2": c2,
                "d10": c1, "D1": c1, "y": r.out.out_channels}
    edges = (
        Edge("e1", ("x",), "e1c"), Edge("s1.0", ("e1c",), "s10"), Edge("s1.1", ("s10",), "E1"),
        Edge("e2", ("E1",), "e2c"), Edge("s2.0", ("e2c",), "s20"), Edge("s2.1", ("s20",), "E2"),
        Edge("e3", ("E2",), "e3c"), Edge("s3", ("e3c",), "E3"),
        # CSA keeps E3's scale; e4 reads its output.
        Edge("e4", ("E3",), "E4"),
        # Residual blocks: x + c2(act(c1(x))) keeps x's scale only if c2 writes at it.
        Edge("mid.0.c1", ("E4",), "m0"), Edge("mid.0.c2", ("m0",), "E4"),
        Edge("mid.2.c1", ("E4",), "m2"), Edge("mid.2.c2", ("m2",), "E4"),
        Edge("d3", ("E4", "E3"), "D3"),
        Edge("d2.0", ("D3", "E2"), "d20"), Edge("d2.1", ("d20",), "D2"),
        Edge("d1.0", ("D2", "E1"), "d10"), Edge("d1.1", ("d10",), "D1"),
        Edge("out", ("D1",), "y"),
    )
    return edges, channels


@torch.no_grad()
def measure(net: PatinaCSA, image: torch.Tensor, mask: torch.Tensor) -> dict[str, float]:
    """Mean |output| of every refinement convolution on one batch."""
    scales: dict[str, float] = {}
    hooks = []
    modules = dict(net.refine.named_modules())
    for edge in _refine_edges(net)[0]:
        def hook(_m, _i, out, name=edge.conv):
            scales[name] = float(out.abs().mean())
        hooks.append(modules[edge.conv].register_forward_hook(hook))
    try:
        net(image, mask)
    finally:
        for h in hooks:
            h.remove()
    return scales


def tensor_scales(net: PatinaCSA, conv_scales: dict[str, float]) -> dict[str, float]:
    """The divisor of each tensor: what its producing convolution measured, except that
    the network's input and output keep their scale and the residual stream keeps e4's."""
    out = {"x": 1.0, "y": 1.0}
    for edge in _refine_edges(net)[0]:
        if edge.output not in out:
            out[edge.output] = max(conv_scales[edge.conv], 1e-12)
    return out


@torch.no_grad()
def apply(net: PatinaCSA, scales: dict[str, float]) -> None:
    """Divide every refinement tensor t by scales[t], compensating in the convolutions."""
    edges, channels = _refine_edges(net)
    modules = dict(net.refine.named_modules())
    for edge in edges:
        conv: nn.Conv2d = modules[edge.conv]
        k_out = scales[edge.output]
        if conv.groups == conv.in_channels and conv.groups > 1:
            # Depthwise: channel i reads only input channel i, all of one tensor.
            conv.weight.mul_(scales[edge.inputs[0]] / k_out)
        else:
            start = 0
            for name in edge.inputs:
                n = channels[name]
                conv.weight[:, start:start + n].mul_(scales[name] / k_out)
                start += n
            assert start == conv.in_channels, f"{edge.conv}: inputs cover {start} of {conv.in_channels} channels"
        if conv.bias is not None:
            conv.bias.div_(k_out)


def rebalance(net: PatinaCSA, image: torch.Tensor, mask: torch.Tensor) -> dict[str, float]:
    """Rescale net in place so each refinement tensor has mean magnitude ~1 on this batch;
    returns the divisors applied (to apply to other copies of the same weights)."""
    scales = tensor_scales(net, measure(net, image, mask))
    apply(net, scales)
    return scales


def probe_batch() -> tuple[torch.Tensor, torch.Tensor]:
    """Validation photos with brush masks: what the divisors (and widening's drift) are measured on."""
    items = validate.load_items(size=PROBE_SIZE, limit=PROBE_PHOTOS)
    image = torch.cat([validate.to_tensor(it.image) for it in items])
    mask = torch.stack([torch.from_numpy(masks.validation_mask("brush", 77 + i, PROBE_SIZE, PROBE_SIZE))
                        for i in range(len(items))])[:, None].float()
    return image, mask
