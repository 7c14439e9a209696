"""Function-preserving revival of a dead CSA input layer.

The CSA layer reads e3 = relu(s3(h)), h the refinement encoder's 1/8-resolution
features. Once every s3 pre-activation is negative on real photos (probe_csa.py)
no gradient reaches s3 or the convolution before it again, and the layer copies
zeros into the hole, so the deep path behind it (e4, the middle blocks, d3) gets
constants. Reviving it:

* s3 gets fresh random weights, and biases that put each channel's median
  pre-activation on the calibration photos at zero (half of each channel is
  live), scaled so the mean |e3| is 1 (what train.py's feature anchor holds);
* what reads the CSA output starts at zero: all of e4's weights (its only input
  is the CSA output) and d3's weights on the CSA channels. A dead layer fed
  those readers zeros, so the network computes exactly what it did; the first
  training step then gives the readers a gradient, and through them s3.
"""
from __future__ import annotations

import torch
import torch.nn as nn

from .model import PatinaCSA


@torch.no_grad()
def s3_inputs(net: PatinaCSA, image: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
    """What s3 reads on (image, mask): (B, C, h, w)."""
    seen: list[torch.Tensor] = []
    handle = net.refine.s3.register_forward_hook(lambda _m, i, _o: seen.append(i[0].detach()))
    try:
        net(image, mask)
    finally:
        handle.remove()
    return torch.cat(seen)


@torch.no_grad()
def calibrate_s3(s3: nn.Conv2d, h: torch.Tensor, seed: int) -> None:
    """Fresh s3 weights whose channels are each half live on h, mean |relu| 1."""
    gen = torch.Generator().manual_seed(seed)
    fan_in = s3.in_channels * s3.kernel_size[0] * s3.kernel_size[1]
    s3.weight.copy_(torch.randn(s3.weight.shape, generator=gen) * (2.0 / fan_in) ** 0.5)
    s3.bias.zero_()
    pre = s3(h).transpose(0, 1).flatten(1)  # (C, positions)
    s3.bias.copy_(-pre.median(dim=1).values)
    scale = float(torch.relu(s3(h)).mean())
    if scale <= 0:
        raise ValueError("the calibration features are constant; s3 cannot be calibrated on them")
    s3.weight.div_(scale)
    s3.bias.div_(scale)


@torch.no_grad()
def revive(net: PatinaCSA, image: torch.Tensor, mask: torch.Tensor, seed: int = 0) -> PatinaCSA:
    """net (changed in place and returned) with a live s3 and zeroed readers of the CSA output."""
    ref = net.refine
    calibrate_s3(ref.s3, s3_inputs(net, image, mask), seed)
    ref.e4.weight.zero_()
    deep = ref.d3.in_channels - ref.s3.out_channels  # d3 reads cat([up2(b), csa])
    ref.d3.weight[:, deep:].zero_()
    return net
