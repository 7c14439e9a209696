"""The learned tone estimator: a small network that looks at a 128 x 128
thumbnail of a faded photo and predicts each colour channel's black and white
point, so the engine (src/main/tone/) maps channel c through
(x - black_c) / (white_c - black_c) at full resolution: one global,
per-channel affine map per photo, exact in 16 bit.

ONNX contract: input `image` float32 [1, 3, 128, 128], RGB in [0, 1], the
photo resized to 128 x 128 ignoring its aspect; output `points` float32
[1, 2, 3]: row 0 the black points, row 1 the white points, 0..1 of full scale.

The net sees the thumbnail twice: its per-channel quantiles (sorted in the
graph, so the engine passes pixels only) and a small convolutional summary of
the content (on a 64 px copy), which is what lets it tell a misty scene from a faded one. It
predicts a correction to the channels' 0.2 / 99.8 % percentiles, starting at
exactly those (the last layer is zero at initialisation).
"""
from __future__ import annotations

import math

import torch
from torch import nn
import torch.nn.functional as F

SIDE = 128
QUANTILES = (0.002, 0.01, 0.03, 0.06, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.94, 0.97, 0.99, 0.998)
# The smallest white - black range the engine accepts (a flat photo must not be stretched without bound).
MIN_RANGE = 0.05
LUMA = (0.299, 0.587, 0.114)


class ToneNet(nn.Module):
    def __init__(self, width: int = 32, hidden: int = 128):
        super().__init__()
        n = SIDE * SIDE
        self.register_buffer("q_index", torch.tensor([min(n - 1, round(q * (n - 1))) for q in QUANTILES], dtype=torch.long), persistent=False)
        w = width
        self.conv = nn.Sequential(
            nn.Conv2d(3, w // 2, 3, 2, 1), nn.ReLU(inplace=True),
            nn.Conv2d(w // 2, w, 3, 2, 1), nn.ReLU(inplace=True),
            nn.Conv2d(w, w * 3 // 2, 3, 2, 1), nn.ReLU(inplace=True),
            nn.Conv2d(w * 3 // 2, w * 2, 3, 2, 1), nn.ReLU(inplace=True),
        )
        feats = 3 * len(QUANTILES) + 3 + w * 2
        self.head = nn.Sequential(nn.Linear(feats, hidden), nn.ReLU(inplace=True), nn.Linear(hidden, hidden), nn.ReLU(inplace=True), nn.Linear(hidden, 6))
        nn.init.zeros_(self.head[-1].weight)
        nn.init.zeros_(self.head[-1].bias)

    def forward(self, image: torch.Tensor) -> torch.Tensor:
        b = image.shape[0]
        flat = image.reshape(b, 3, SIDE * SIDE)
        q = torch.sort(flat, dim=2).values.index_select(2, self.q_index)  # b, 3, Q
        mean = flat.mean(dim=2)
        # The content branch looks at a 64 px copy: enough to tell a scene's kind, a quarter of the work.
        content = self.conv(F.avg_pool2d(image, 2) * 2 - 1).mean(dim=(2, 3))
        d = 0.1 * self.head(torch.cat([q.reshape(b, -1) * 2 - 1, mean * 2 - 1, content], dim=1))
        black = q[:, :, 0] + d[:, :3]
        white = q[:, :, -1] + d[:, 3:]
        return torch.stack([black, white], dim=1)


def _lab_of(x: torch.Tensor) -> torch.Tensor:
    """CIELAB (D65) of (b, 3, n) sRGB in 0..1, without einsum (plain matmul exports to every ONNX runtime)."""
    lin = torch.where(x <= 0.04045, x / 12.92, ((x.clamp(min=0.04045) + 0.055) / 1.055) ** 2.4)
    xyz = torch.matmul(_SRGB_TO_XYZ, lin) / _WHITE.view(1, 3, 1)
    f = torch.where(xyz > 0.008856, xyz.clamp(min=0.008856) ** (1 / 3), 7.787 * xyz + 16 / 116)
    return torch.stack([116 * f[:, 1] - 16, 500 * (f[:, 0] - f[:, 1]), 200 * (f[:, 1] - f[:, 2])], dim=1)


class ToneNetRich(ToneNet):
    """ToneNet with statistics in a perceptual space and a confidence, same ONNX contract.

    Added features: the thumbnail's L*, a*, b* and chroma quantiles (a cast shows as a shifted a* / b*
    median, a faded print as a narrow L* range), and the mean RGB of eight brightness bands (a dye
    fade's offset tints the shadows, its gain the highlights: the per-band colour tells which). A
    confidence in (0, 1] scales the correction from the identity (black 0, white 1) towards the
    predicted points, so a photo the net cannot read is left nearer to what it was.

    `graft` copies a trained ToneNet into it: the new features enter the head's first layer
    through zero weights and the confidence starts at 1, so training starts from that net's answers.
    """

    BANDS = 8

    def __init__(self, width: int = 32, hidden: int = 128):
        super().__init__(width, hidden)
        self.rich = 4 * len(QUANTILES) + 3 * self.BANDS
        old = self.head[0]
        self.head[0] = nn.Linear(old.in_features + self.rich, hidden)
        self.confidence = nn.Linear(hidden, 1)
        nn.init.zeros_(self.confidence.weight)
        nn.init.zeros_(self.confidence.bias)

    def graft(self, state: dict[str, torch.Tensor]) -> None:
        own = self.state_dict()
        for k, v in state.items():
            if k == "head.0.weight":
                w = torch.zeros_like(own[k])
                w[:, : v.shape[1]] = v
                own[k] = w
            else:
                own[k] = v
        self.load_state_dict(own)

    def forward(self, image: torch.Tensor) -> torch.Tensor:
        b = image.shape[0]
        n = SIDE * SIDE
        flat = image.reshape(b, 3, n)
        q = torch.sort(flat, dim=2).values.index_select(2, self.q_index)
        mean = flat.mean(dim=2)
        content = self.conv(F.avg_pool2d(image, 2) * 2 - 1).mean(dim=(2, 3))
        lab = _lab_of(flat)
        chroma = torch.sqrt(lab[:, 1] ** 2 + lab[:, 2] ** 2 + 1e-6).unsqueeze(1)
        lq = torch.sort(torch.cat([lab, chroma], dim=1), dim=2).values.index_select(2, self.q_index)  # b, 4, Q
        lq = lq / torch.tensor([100.0, 50.0, 50.0, 50.0]).view(1, 4, 1)
        order = torch.sort(lab[:, 0], dim=1).indices  # b, n: pixels from darkest to brightest
        bands = torch.gather(flat, 2, order.unsqueeze(1).expand(b, 3, n)).reshape(b, 3, self.BANDS, n // self.BANDS).mean(3)
        feats = torch.cat([q.reshape(b, -1) * 2 - 1, mean * 2 - 1, content, lq.reshape(b, -1), bands.reshape(b, -1) * 2 - 1], dim=1)
        h = self.head[:-1](feats)
        d = 0.1 * self.head[-1](h)
        black = q[:, :, 0] + d[:, :3]
        white = q[:, :, -1] + d[:, 3:]
        # sigmoid(c + 6) / sigmoid(6), capped at 1: exactly 1 at the graft, free to fall below it.
        conf = torch.clamp(torch.sigmoid(self.confidence(h) + 6.0) / 0.9975273768433653, max=1.0)
        black = conf * black
        white = 1 - conf * (1 - white)
        return torch.stack([black, white], dim=1)


def make_net(kind: str) -> ToneNet:
    return ToneNetRich() if kind == "rich" else ToneNet()


def apply_points(x: torch.Tensor, points: torch.Tensor) -> torch.Tensor:
    """x (b, 3, h, w) in 0..1 through each channel's black / white points, clipped as the engine clips."""
    black = points[:, 0, :, None, None]
    white = points[:, 1, :, None, None]
    rng = torch.clamp(white - black, min=MIN_RANGE)
    return torch.clamp((x - black) / rng, 0, 1)


# The dye fades of bench/tone/ageing.ts (fading channel's gain and offsets at a full cast).
CASTS = (
    ((1.0, 0.97, 0.8), (0.04, 0.03, 0.0)),  # yellow: blue dye lost
    ((1.0, 0.82, 0.95), (0.04, 0.0, 0.03)),  # magenta: green lost
    ((0.82, 1.0, 1.0), (0.0, 0.03, 0.04)),  # cyan: red lost
)


def age_batch(clean: torch.Tensor, gen: torch.Generator, channel_grain: float = 0.0) -> tuple[torch.Tensor, torch.Tensor]:
    """The benchmark's family of fades with wider, randomised parameters, drawn from `gen` (a
    seed stream of its own, not the benchmark's). clean: (b, 3, h, w) in 0..1. Returns
    (target, aged): the target is the clean photo, or its grey when the draw made a B&W print.
    `channel_grain`: each channel's own noise as a share of the shared grain (the benchmark: 0.2)."""
    b = clean.shape[0]
    u = lambda *s: torch.rand(*s, generator=gen)  # noqa: E731
    luma = torch.tensor(LUMA).view(1, 3, 1, 1)
    grey = (clean * luma).sum(1, keepdim=True).expand_as(clean)
    mono = (u(b) < 0.1).view(b, 1, 1, 1)
    target = torch.where(mono, grey, clean)
    contrast = 0.45 + 0.5 * u(b)
    lift = torch.minimum(0.22 * u(b), 1.02 - contrast)
    untouched = u(b) < 0.05
    contrast = torch.where(untouched, torch.ones(b), contrast)
    lift = torch.where(untouched, torch.zeros(b), lift)
    gains = torch.tensor([c[0] for c in CASTS])
    offsets = torch.tensor([c[1] for c in CASTS])
    kind = torch.randint(0, 3, (b,), generator=gen)
    amount = 1.2 * u(b) * (u(b) > 0.1) * (~untouched)
    gain = 1 - amount[:, None] * (1 - gains[kind])
    offset = amount[:, None] * offsets[kind]
    gain = gain * (1 + 0.03 * torch.randn(b, 3, generator=gen) * (~untouched)[:, None])
    offset = offset + 0.015 * torch.randn(b, 3, generator=gen) * (~untouched)[:, None]
    faded = lift.view(b, 1, 1, 1) + contrast.view(b, 1, 1, 1) * target
    dyed = gain.view(b, 3, 1, 1) * faded + offset.view(b, 3, 1, 1)
    sigma = (4.0 / 255) * u(b).view(b, 1, 1, 1)
    h, w = clean.shape[2:]
    noise = sigma * torch.randn(b, 1, h, w, generator=gen)
    if channel_grain > 0:
        noise = noise + channel_grain * sigma * torch.randn(b, 3, h, w, generator=gen)
    aged = torch.clamp(torch.round((dyed + noise) * 255) / 255, 0, 1)
    return target, aged


def age_bench_batch(clean: torch.Tensor, gen: torch.Generator) -> tuple[torch.Tensor, torch.Tensor]:
    """The benchmark's own documented family (bench/tone/ageing.ts) with its own ranges, drawn from
    `gen` (never the benchmark's seeds or photos): contrast 55-80 %, blacks lifted 0.06-0.18, one of
    the three dye casts at 50-100 %, grain sigma 2-5 (8-bit units, shared by the channels, plus a
    fifth per channel) at the benchmark's 512 px, which the engine's 128 px thumbnail averages down
    by 4; 8-bit quantisation. Its mild blur is left out: at 128 px it is a fifth of a pixel.
    Returns (target, aged) like age_batch; the target is the clean photo."""
    b = clean.shape[0]
    u = lambda *s: torch.rand(*s, generator=gen)  # noqa: E731
    contrast = (0.55 + 0.25 * u(b)).view(b, 1, 1, 1)
    lift = (0.06 + 0.12 * u(b)).view(b, 1, 1, 1)
    gains = torch.tensor([c[0] for c in CASTS])
    offsets = torch.tensor([c[1] for c in CASTS])
    kind = torch.randint(0, 3, (b,), generator=gen)
    amount = (0.5 + 0.5 * u(b))[:, None]
    gain = (1 - amount * (1 - gains[kind])).view(b, 3, 1, 1)
    offset = (amount * offsets[kind]).view(b, 3, 1, 1)
    scale = 512 / clean.shape[-1]
    sigma = ((2 + 3 * u(b)) / 255 / scale).view(b, 1, 1, 1)
    h, w = clean.shape[2:]
    noise = sigma * (torch.randn(b, 1, h, w, generator=gen) + 0.2 * torch.randn(b, 3, h, w, generator=gen))
    aged = torch.clamp(torch.round((gain * (lift + contrast * clean) + offset + noise) * 255) / 255, 0, 1)
    return clean, aged


def thumbnail(x: torch.Tensor) -> torch.Tensor:
    """Area-averaged down to SIDE x SIDE (the engine: sharp's linear resize of its 512 px copy)."""
    return F.adaptive_avg_pool2d(x, SIDE) if x.shape[-1] != SIDE or x.shape[-2] != SIDE else x


_SRGB_TO_XYZ = torch.tensor([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]])
_WHITE = torch.tensor([0.95047, 1.0, 1.08883]).view(1, 3, 1, 1)


def srgb_to_lab(x: torch.Tensor) -> torch.Tensor:
    """CIELAB (D65) of sRGB in 0..1, (b, 3, h, w), differentiable."""
    lin = torch.where(x <= 0.04045, x / 12.92, ((x.clamp(min=0.04045) + 0.055) / 1.055) ** 2.4)
    xyz = torch.einsum("ij,bjhw->bihw", _SRGB_TO_XYZ, lin) / _WHITE
    f = torch.where(xyz > 0.008856, xyz.clamp(min=0.008856) ** (1 / 3), 7.787 * xyz + 16 / 116)
    return torch.stack([116 * f[:, 1] - 16, 500 * (f[:, 0] - f[:, 1]), 200 * (f[:, 1] - f[:, 2])], dim=1)


def delta_e76(a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    """Per-image mean CIE76 colour difference of two sRGB batches (a stand-in for CIEDE2000 that trains smoothly)."""
    d = srgb_to_lab(a) - srgb_to_lab(b)
    return torch.sqrt((d ** 2).sum(1) + 1e-6).flatten(1).mean(1)


_DEG = math.pi / 180


def delta_e2000(a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    """Per-image mean CIEDE2000 of two sRGB batches (b, 3, h, w): the benchmark's measure."""
    return ciede2000(srgb_to_lab(a), srgb_to_lab(b)).flatten(1).mean(1)


def ciede2000(x: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    """Per-pixel CIEDE2000 of two CIELAB batches (b, 3, ...): bench/tone/score.ts's formula (Sharma,
    Wu and Dalal; kL = kC = kH = 1), with small epsilons so it has gradients at grey."""
    L1, a1, b1 = x[:, 0], x[:, 1], x[:, 2]
    L2, a2, b2 = y[:, 0], y[:, 1], y[:, 2]
    eps = 1e-6
    C1 = torch.sqrt(a1 ** 2 + b1 ** 2 + eps)
    C2 = torch.sqrt(a2 ** 2 + b2 ** 2 + eps)
    Cm7 = ((C1 + C2) / 2) ** 7
    G = 0.5 * (1 - torch.sqrt(Cm7 / (Cm7 + 25.0 ** 7)))
    a1p = (1 + G) * a1
    a2p = (1 + G) * a2
    C1p = torch.sqrt(a1p ** 2 + b1 ** 2 + eps)
    C2p = torch.sqrt(a2p ** 2 + b2 ** 2 + eps)
    h1p = torch.remainder(torch.atan2(b1, a1p + eps) / _DEG, 360)
    h2p = torch.remainder(torch.atan2(b2, a2p + eps) / _DEG, 360)
    dLp = L2 - L1
    dCp = C2p - C1p
    dh = h2p - h1p
    dh = torch.where(dh > 180, dh - 360, torch.where(dh < -180, dh + 360, dh))
    dHp = 2 * torch.sqrt(C1p * C2p) * torch.sin(dh / 2 * _DEG)
    Lpm = (L1 + L2) / 2
    Cpm = (C1p + C2p) / 2
    hs = h1p + h2p
    hpm = torch.where((h1p - h2p).abs() <= 180, hs / 2, torch.where(hs < 360, (hs + 360) / 2, (hs - 360) / 2))
    T = 1 - 0.17 * torch.cos((hpm - 30) * _DEG) + 0.24 * torch.cos(2 * hpm * _DEG) + 0.32 * torch.cos((3 * hpm + 6) * _DEG) - 0.2 * torch.cos((4 * hpm - 63) * _DEG)
    dTheta = 30 * torch.exp(-(((hpm - 275) / 25) ** 2))
    Cpm7 = Cpm ** 7
    Rc = 2 * torch.sqrt(Cpm7 / (Cpm7 + 25.0 ** 7))
    Sl = 1 + 0.015 * (Lpm - 50) ** 2 / torch.sqrt(20 + (Lpm - 50) ** 2)
    Sc = 1 + 0.045 * Cpm
    Sh = 1 + 0.015 * Cpm * T
    Rt = -torch.sin(2 * dTheta * _DEG) * Rc
    return torch.sqrt((dLp / Sl) ** 2 + (dCp / Sc) ** 2 + (dHp / Sh) ** 2 + Rt * (dCp / Sc) * (dHp / Sh) + eps)


def psnr(a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    """Per-image PSNR (dB) of 0..1 tensors."""
    mse = ((a - b) ** 2).flatten(1).mean(1).clamp(min=1e-10)
    return -10 * torch.log10(mse)


def count_parameters(m: nn.Module) -> int:
    return sum(p.numel() for p in m.parameters())


def cosine_lr(step: int, total: int, lr: float, lr_final: float) -> float:
    t = min(1.0, step / max(1, total))
    return lr_final + 0.5 * (lr - lr_final) * (1 + math.cos(math.pi * t))
