"""Coherent Semantic Attention (Liu et al., ICCV 2019), inference semantics of CSA.md.

Tensors: features F are float32 (B, C, h, w); the grid mask G is float32
(B, 1, h, w) with 1 = hole, 0 = known. Positions are flattened row-major
(p = y * w + x); holes and known positions are both taken in that order.

Guard (CSA.md leaves it to us): with Dad' = max(Dad, 0), Dmax' = max(Dmax, 0),
    a = Dad' / (Dad' + Dmax' + EPS),   m_i = mbar_i + a * (m_{i-1} - mbar_i)
which equals a*m_{i-1} + b*mbar_i with a + b = 1, is finite everywhere, and falls
back to mbar_i when both similarities vanish. m_1 = mbar_1 follows from starting
the recurrence with m_0 = mbar_1. If there are no known positions the layer is
the identity. The ONNX function (csa_onnx.py) and the TypeScript reference use
exactly this rule; training uses it too.
"""
from __future__ import annotations

import torch
import torch.nn.functional as F

NORM_EPS = 1e-8
MIX_EPS = 1e-6
HOLE_THRESHOLD = 5.0 / 16.0


def grid_mask(pixel_mask: torch.Tensor, levels: int = 3) -> torch.Tensor:
    """Shrink a (B,1,H,W) pixel mask to the 1/2^levels grid the reference way:
    repeated 4x4 stride-2 box filters with zero padding 1, then > 5/16 is a hole."""
    m = pixel_mask
    for _ in range(levels):
        m = F.avg_pool2d(m, kernel_size=4, stride=2, padding=1, count_include_pad=True)
    return (m > HOLE_THRESHOLD).to(pixel_mask.dtype)


def csa_reference(feat: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
    """Plain per-sample implementation, the ground truth for every other one.
    feat (B,C,h,w), mask (B,1,h,w) 1=hole -> (B,C,h,w)."""
    out = feat.clone()
    B, C, h, w = feat.shape
    for b in range(B):
        x = feat[b].reshape(C, h * w).t()  # (N, C)
        holes = torch.nonzero(mask[b].reshape(-1) > 0.5).flatten()
        known = torch.nonzero(mask[b].reshape(-1) <= 0.5).flatten()
        if holes.numel() == 0 or known.numel() == 0:
            continue
        xh, xk = x[holes], x[known]
        kn = xk / (xk.norm(dim=1, keepdim=True) + NORM_EPS)
        s = xh @ kn.t()  # (Lh, Lk)
        dmax, j = s.max(dim=1)
        mbar = xk[j]
        xhn = xh.norm(dim=1)
        m_prev = mbar[0]
        ms = []
        for i in range(holes.numel()):
            dad = torch.clamp((m_prev * xh[i]).sum() / (xhn[i] + NORM_EPS), min=0)
            a = dad / (dad + torch.clamp(dmax[i], min=0) + MIX_EPS)
            m_prev = mbar[i] + a * (m_prev - mbar[i])
            ms.append(m_prev)
        y = x.clone()
        y[holes] = torch.stack(ms)
        out[b] = y.t().reshape(C, h, w)
    return out


def csa_batched(feat: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
    """Differentiable training implementation: the same maths, vectorised over
    the batch; the recurrence steps over hole rank t = 0..max holes - 1."""
    B, C, h, w = feat.shape
    N = h * w
    x = feat.reshape(B, C, N).transpose(1, 2)  # (B, N, C)
    hole = mask.reshape(B, N) > 0.5
    known = ~hole
    n_hole = hole.sum(1)
    n_known = known.sum(1)
    L = int(n_hole.max().item()) if B else 0
    if L == 0:
        return feat
    # Raster-ordered hole positions per sample, padded with position 0.
    dev = feat.device
    order = torch.argsort((~hole).to(torch.int64) * N + torch.arange(N, device=dev)[None, :], dim=1)
    pos = order[:, :L]  # (B, L)
    valid = torch.arange(L, device=dev)[None, :] < n_hole[:, None]
    bidx = torch.arange(B, device=dev)[:, None]
    xh_all = x[bidx, pos]  # (B, L, C): only hole rows are scored (L << N)
    kn = x / (x.norm(dim=2, keepdim=True) + NORM_EPS)
    s = torch.bmm(xh_all, kn.transpose(1, 2))  # (B, L, N keys)
    s = s.masked_fill(~known[:, None, :], float("-inf"))
    dmax, j = s.max(dim=2)  # first index on ties
    dmax = torch.where(torch.isfinite(dmax), dmax, torch.zeros_like(dmax))
    mbar = torch.gather(x, 1, j[:, :, None].expand(B, L, C))  # (B, L, C)
    # Unbind the per-step operands once: indexing inside the loop would make
    # autograd write a full-size gradient for every step.
    xs = xh_all.transpose(0, 1).unbind(0)  # L x (B, C)
    mbs = mbar.transpose(0, 1).unbind(0)
    inv_n = (1.0 / (xh_all.norm(dim=2) + NORM_EPS)).t().unbind(0)  # L x (B,)
    dms = torch.clamp(dmax, min=0).t().unbind(0)
    vs = valid.t()[:, :, None].unbind(0)
    m_prev = mbs[0]
    steps = []
    for t in range(L):
        xh, mb = xs[t], mbs[t]
        dad = torch.clamp((m_prev * xh).sum(1) * inv_n[t], min=0)
        a = (dad / (dad + dms[t] + MIX_EPS))[:, None]
        m_prev = torch.where(vs[t], mb + a * (m_prev - mb), m_prev)
        steps.append(m_prev)
    gen = torch.stack(steps, 1)  # (B, L, C)
    use = valid & (n_known > 0)[:, None]
    y = x.clone()
    flat_b = bidx.expand(B, L)[use]
    y[flat_b, pos[use]] = gen[use]
    return y.transpose(1, 2).reshape(B, C, h, w)


class CSAFunction(torch.autograd.Function):
    """Export hook: forward runs the reference maths; symbolic emits one node of
    the custom domain `patina.csa`, whose body export.py attaches as a function."""

    @staticmethod
    def forward(ctx, feat, mask):  # type: ignore[override]
        return csa_batched(feat, mask)

    @staticmethod
    def symbolic(g, feat, mask):  # pragma: no cover - only during ONNX export
        out = g.op("patina.csa::CoherentSemanticAttention", feat, mask)
        out.setType(feat.type())
        return out
