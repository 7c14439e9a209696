"""Patina's two-stage CSA inpainting network, scaled for a 2-core CPU.

I/O (same as the ONNX model): image float32 (B,3,H,W) RGB in [0,1], mask
float32 (B,1,H,W) with 1 = fill; H and W multiples of MULTIPLE. Output float32
(B,3,H,W) RGB in [0,1], composited so known pixels equal the input.

Stage 0, push-pull fill: a classical pyramid fill computed in the graph from
standard ops (avg-pool down, bilinear up). It gives the rough net a smooth
guess of every hole for free.
Stage 1, rough U-Net: 4x4 stride-2 convolutions with skips, run at half
resolution (coarse colour and layout need no more) on its input averaged 2x2;
predicts a residual over the push-pull fill.
Stage 2, refinement U-Net: dilated 4x4 stride-2 convolutions each followed by
a (depthwise-separable) 3x3 convolution; the CSA layer sits right after the
1/8-resolution convolution; predicts a residual over the rough composite.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass

import torch
import torch.nn as nn
import torch.nn.functional as F

from .csa import CSAFunction, csa_batched, grid_mask

MULTIPLE = 32  # rough net: /2 input then four stride-2 levels
# Channels the rough net reads at half resolution: masked image (3), mask (1) and
# push-pull fill (3), averaged 2x2.
ROUGH_IN_CHANNELS = 7


@dataclass(frozen=True)
class NetConfig:
    rough: tuple[int, int, int, int] = (24, 48, 96, 128)
    refine: tuple[int, int, int, int] = (16, 32, 64, 128)
    pushpull_levels: int = 5
    use_csa: bool = True
    # Residual blocks after each of the rough decoder's three convolutions (before
    # v0.10 there were none): depth where brush strokes are filled, at ~0.17 GMAC
    # a level at 512 px. `python -m patina_train.surgery deepen --decoder-blocks` (patina_train/deepen.py) adds them
    # without changing the outputs.
    rough_decoder_blocks: int = 0

    def to_dict(self) -> dict:
        return asdict(self)


def act() -> nn.Module:
    return nn.LeakyReLU(0.2, inplace=True)


def down(cin: int, cout: int, dilation: int = 1) -> nn.Conv2d:
    """4x4 stride-2 convolution that halves even sizes exactly."""
    return nn.Conv2d(cin, cout, 4, stride=2, padding=(3 * dilation) // 2, dilation=dilation)


def sep3(cin: int, cout: int) -> nn.Sequential:
    """Depthwise-separable 3x3: cheap at high resolution."""
    return nn.Sequential(nn.Conv2d(cin, cout, 1), nn.Conv2d(cout, cout, 3, padding=1, groups=cout))


class DilatedRes(nn.Module):
    """Residual block of two dilated 3x3 convolutions (wide context at the bottleneck)."""

    def __init__(self, ch: int, dilation: int):
        super().__init__()
        self.c1 = nn.Conv2d(ch, ch, 3, padding=dilation, dilation=dilation)
        self.c2 = nn.Conv2d(ch, ch, 3, padding=1)

    def forward(self, x):
        return x + self.c2(F.leaky_relu(self.c1(x), 0.2))


def up2(x: torch.Tensor) -> torch.Tensor:
    return F.interpolate(x, scale_factor=2.0, mode="bilinear", align_corners=False)


def pushpull(img: torch.Tensor, hole: torch.Tensor, levels: int) -> torch.Tensor:
    """Fill holes from a premultiplied average pyramid. img (B,3,H,W), hole (B,1,H,W)."""
    known = 1.0 - hole
    vs, ws = [img * known], [known]
    for _ in range(levels):
        vs.append(F.avg_pool2d(vs[-1], 2))
        ws.append(F.avg_pool2d(ws[-1], 2))
    v, w = vs[-1], ws[-1]
    mean = v.sum(dim=(2, 3), keepdim=True) / (w.sum(dim=(2, 3), keepdim=True) + 1e-6)
    f = torch.where(w > 1e-3, v / torch.clamp(w, min=1e-3), mean)
    for lvl in range(levels - 1, -1, -1):
        f = vs[lvl] + (1.0 - ws[lvl]) * up2(f)
    return f


# RoughNet's residual stacks after d3, d2 and d1 (NetConfig.rough_decoder_blocks each).
ROUGH_DECODER_LEVELS = ("r3", "r2", "r1")


def res_stack(ch: int, blocks: int) -> nn.Sequential:
    """blocks dilated residual blocks (an empty Sequential, the identity, for 0)."""
    return nn.Sequential(*[DilatedRes(ch, 2) for _ in range(blocks)])


class RoughNet(nn.Module):
    def __init__(self, ch: tuple[int, int, int, int], cin: int = ROUGH_IN_CHANNELS, decoder_blocks: int = 0):
        super().__init__()
        c1, c2, c3, c4 = ch
        self.e1, self.e2, self.e3, self.e4 = down(cin, c1), down(c1, c2), down(c2, c3), down(c3, c4)
        self.mid = nn.Sequential(DilatedRes(c4, 2), act(), DilatedRes(c4, 4), act())
        self.d3 = nn.Conv2d(c4 + c3, c3, 3, padding=1)
        self.d2 = nn.Conv2d(c3 + c2, c2, 3, padding=1)
        self.d1 = nn.Conv2d(c2 + c1, c1, 3, padding=1)
        self.r3, self.r2, self.r1 = res_stack(c3, decoder_blocks), res_stack(c2, decoder_blocks), \
            res_stack(c1, decoder_blocks)
        self.out = nn.Conv2d(c1 + cin, 3 * 4, 3, padding=1)

    def forward(self, x7: torch.Tensor) -> torch.Tensor:
        """x7: (B,cin,H/2,W/2) = masked image, mask, push-pull, all in [-1,1] or {0,1},
        averaged to half resolution. Returns a residual (B,3,H,W)."""
        e1 = F.leaky_relu(self.e1(x7), 0.2)
        e2 = F.leaky_relu(self.e2(e1), 0.2)
        e3 = F.leaky_relu(self.e3(e2), 0.2)
        e4 = F.leaky_relu(self.e4(e3), 0.2)
        b = self.mid(e4)
        d3 = self.r3(F.leaky_relu(self.d3(torch.cat([up2(b), e3], 1)), 0.2))
        d2 = self.r2(F.leaky_relu(self.d2(torch.cat([up2(d3), e2], 1)), 0.2))
        d1 = self.r1(F.leaky_relu(self.d1(torch.cat([up2(d2), e1], 1)), 0.2))
        return F.pixel_shuffle(self.out(torch.cat([up2(d1), x7], 1)), 2)


class RefineNet(nn.Module):
    def __init__(self, ch: tuple[int, int, int, int], use_csa: bool):
        super().__init__()
        c1, c2, c3, c4 = ch
        self.use_csa = use_csa
        self.e1, self.s1 = down(7, c1, 2), sep3(c1, c1)
        self.e2, self.s2 = down(c1, c2, 2), sep3(c2, c2)
        self.e3, self.s3 = down(c2, c3, 2), nn.Conv2d(c3, c3, 3, padding=1)
        self.e4 = down(c3, c4)
        self.mid = nn.Sequential(DilatedRes(c4, 2), act(), DilatedRes(c4, 4), act())
        self.d3 = nn.Conv2d(c4 + c3, c3, 3, padding=1)
        self.d2 = sep3(c3 + c2, c2)
        self.d1 = sep3(c2 + c1, c1)
        self.out = nn.Conv2d(c1, 3 * 4, 3, padding=1)

    def encode(self, x7: torch.Tensor):
        e1 = F.leaky_relu(self.s1(F.leaky_relu(self.e1(x7), 0.2)), 0.2)
        e2 = F.leaky_relu(self.s2(F.leaky_relu(self.e2(e1), 0.2)), 0.2)
        # ReLU (not leaky) before CSA: non-negative features keep the cosine
        # scores meaningful and the mixing weights in [0, 1].
        e3 = F.relu(self.s3(F.leaky_relu(self.e3(e2), 0.2)))
        return e1, e2, e3

    def forward(self, x7: torch.Tensor, gmask: torch.Tensor, export: bool = False):
        """x7: (B,7,H,W); gmask: (B,1,H/8,W/8) 1 = hole. Returns (residual, csa_out, e3)."""
        e1, e2, e3 = self.encode(x7)
        if not self.use_csa:
            c = e3
        elif export:
            c = CSAFunction.apply(e3, gmask)
        else:
            c = csa_batched(e3, gmask)
        e4 = F.leaky_relu(self.e4(c), 0.2)
        b = self.mid(e4)
        d3 = F.leaky_relu(self.d3(torch.cat([up2(b), c], 1)), 0.2)
        d2 = F.leaky_relu(self.d2(torch.cat([up2(d3), e2], 1)), 0.2)
        d1 = F.leaky_relu(self.d1(torch.cat([up2(d2), e1], 1)), 0.2)
        return F.pixel_shuffle(self.out(d1), 2), c, e3


class PatinaCSA(nn.Module):
    def __init__(self, cfg: NetConfig = NetConfig()):
        super().__init__()
        self.cfg = cfg
        self.rough = RoughNet(cfg.rough, ROUGH_IN_CHANNELS, cfg.rough_decoder_blocks)
        self.refine = RefineNet(cfg.refine, cfg.use_csa)

    def coarse(self, image: torch.Tensor, mask: torch.Tensor) -> dict:
        """Push-pull fill and rough stage, in [-1,1]: what the refinement stage starts from."""
        hole = (mask > 0.5).to(image.dtype)
        known = 1.0 - hole
        x = image * 2.0 - 1.0
        xm = x * known
        fill = pushpull(xm, hole, self.cfg.pushpull_levels)
        full = torch.cat([xm, hole, fill], 1)
        rough = fill + self.rough(F.avg_pool2d(full, 2))
        return {"hole": hole, "known": known, "x": x, "xm": xm, "rough": rough,
                "comp1": hole * rough + known * x}

    def forward(self, image: torch.Tensor, mask: torch.Tensor, export: bool = False) -> dict:
        c = self.coarse(image, mask)
        hole, known, x, xm, rough, comp1 = c["hole"], c["known"], c["x"], c["xm"], c["rough"], c["comp1"]
        gm = grid_mask(hole)
        res, csa_out, e3 = self.refine(torch.cat([comp1, xm, hole], 1), gm, export=export)
        refined = comp1 + res
        out = torch.clamp((hole * refined + known * x + 1.0) * 0.5, 0.0, 1.0)
        return {
            "output": out,
            "rough": (rough + 1.0) * 0.5,
            "refined": (refined + 1.0) * 0.5,
            "csa": csa_out,
            "e3": e3,
            "grid_mask": gm,
        }


def mirror_ensemble(run, image: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
    """Mean of the fill and the mirrored fill of the mirrored input (a self-ensemble).

    The two passes see the hole's context from opposite sides, so their errors are
    partly independent and the mean is closer to the truth in squared error; known
    pixels are identical in both, so the composite is unchanged outside the hole."""
    a = run(image, mask)
    b = torch.flip(run(torch.flip(image, [3]), torch.flip(mask, [3])), [3])
    return (a + b) * 0.5


class ExportWrapper(nn.Module):
    """(image, mask) -> output only, with the CSA emitted as a custom node."""

    def __init__(self, net: PatinaCSA, mirror: bool = False):
        super().__init__()
        self.net = net
        self.mirror = mirror

    def forward(self, image, mask):
        run = lambda i, m: self.net(i, m, export=True)["output"]  # noqa: E731
        return mirror_ensemble(run, image, mask) if self.mirror else run(image, mask)


def count_params(m: nn.Module) -> int:
    return sum(p.numel() for p in m.parameters())
