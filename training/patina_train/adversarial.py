"""The CSA paper's adversarial training: a patch discriminator on the image and a
feature-patch discriminator on features of the output, with hinge losses.

The paper's feature discriminator reads ImageNet VGG features (pool3, 1/8 of the
input). None is available offline, so the feature network here is a frozen copy
of the first two encoder levels of the rough stage that training starts from
(`FeatureNet`): it was trained on these photos for this task, so its features
describe the local structure an inpainting fill gets wrong (edges, grain, texture
density) at the paper's 1/8 resolution, and frozen it is a fixed target the
generator cannot reshape (the refinement encoder, the consistency loss's feature
net, keeps training and once inflated its features ~1e6-fold). Unlike the
reference code, the generator gets gradients through the feature network.

Images are float (B,3,H,W) in [0,1]; holes (B,1,H,W) with 1 = fill.
"""
from __future__ import annotations

import copy

import torch
import torch.nn as nn
import torch.nn.functional as F

from .model import RoughNet


class PatchDiscriminator(nn.Module):
    """Spectral-normalised PatchGAN on the image and its hole (70-px-ish patches at 1/8)."""

    def __init__(self, ch: int = 32):
        super().__init__()
        sn = nn.utils.spectral_norm
        self.net = nn.Sequential(
            sn(nn.Conv2d(4, ch, 4, 2, 1)), nn.LeakyReLU(0.2, True),
            sn(nn.Conv2d(ch, ch * 2, 4, 2, 1)), nn.LeakyReLU(0.2, True),
            sn(nn.Conv2d(ch * 2, ch * 4, 4, 2, 1)), nn.LeakyReLU(0.2, True),
            sn(nn.Conv2d(ch * 4, 1, 3, 1, 1)))

    def forward(self, img: torch.Tensor, hole: torch.Tensor) -> torch.Tensor:
        return self.net(torch.cat([img * 2 - 1, hole], 1))


class FeatureNet(nn.Module):
    """Frozen copy of a rough stage's encoder levels e1 and e2: features at 1/8 of the image.

    The rough stage reads (masked image, hole, push-pull fill) at half resolution; for a
    whole image (no hole) that is (image, 0, image), so the copy sees what it was trained on."""

    def __init__(self, rough: RoughNet):
        super().__init__()
        self.e1, self.e2 = copy.deepcopy(rough.e1), copy.deepcopy(rough.e2)
        self.requires_grad_(False)
        self.eval()

    @property
    def channels(self) -> int:
        return self.e2.out_channels

    def train(self, mode: bool = True) -> "FeatureNet":
        return super().train(False)  # always frozen, also inside a net.train() call

    def forward(self, img: torch.Tensor) -> torch.Tensor:
        x = img * 2 - 1
        full = torch.cat([x, torch.zeros_like(x[:, :1]), x], 1)
        return F.leaky_relu(self.e2(F.leaky_relu(self.e1(F.avg_pool2d(full, 2)), 0.2)), 0.2)


class FeaturePatchDiscriminator(nn.Module):
    """Spectral-normalised patch discriminator on FeatureNet features and the hole at their resolution."""

    def __init__(self, features: int, ch: int = 64):
        super().__init__()
        sn = nn.utils.spectral_norm
        self.net = nn.Sequential(
            sn(nn.Conv2d(features + 1, ch, 3, 1, 1)), nn.LeakyReLU(0.2, True),
            sn(nn.Conv2d(ch, ch * 2, 4, 2, 1)), nn.LeakyReLU(0.2, True),
            sn(nn.Conv2d(ch * 2, 1, 3, 1, 1)))

    def forward(self, feats: torch.Tensor, hole: torch.Tensor) -> torch.Tensor:
        return self.net(torch.cat([feats, grid_hole(hole, feats.shape[-2:])], 1))


def grid_hole(hole: torch.Tensor, size) -> torch.Tensor:
    """1 where a cell of the coarser grid holds any hole pixel."""
    return F.adaptive_max_pool2d(hole, tuple(size))


def d_hinge(real_logits: torch.Tensor, fake_logits: torch.Tensor) -> torch.Tensor:
    return F.relu(1 - real_logits).mean() + F.relu(1 + fake_logits).mean()


def g_hinge(fake_logits: torch.Tensor, hole: torch.Tensor) -> torch.Tensor:
    """-D(fake) averaged over the patches that hold hole pixels: outside them the output is
    the known photo, so those patches carry no gradient and would only dilute the loss."""
    w = grid_hole(hole, fake_logits.shape[-2:])
    return -(fake_logits * w).sum() / (w.sum() + 1e-6)


def adv_ramp(steps_done: int, warmup: int, ramp: int) -> float:
    """The adversarial weights' factor: 0 while the discriminators warm up alone (a fresh
    discriminator's gradients are noise that would cost the fill its PSNR), then a linear
    ramp to 1 over `ramp` steps."""
    if steps_done < warmup:
        return 0.0
    return 1.0 if ramp <= 0 else min(1.0, (steps_done - warmup + 1) / ramp)


class Adversary:
    """Both discriminators, their optimisers and the frozen feature net, with one state dict."""

    def __init__(self, rough: RoughNet, lr: float, device: torch.device):
        self.features = FeatureNet(rough).to(device)
        self.image_d = PatchDiscriminator().to(device)
        self.feature_d = FeaturePatchDiscriminator(self.features.channels).to(device)
        # The paper's Adam settings (beta1 0.5) for both discriminators.
        self.opt = torch.optim.Adam(list(self.image_d.parameters()) + list(self.feature_d.parameters()),
                                    lr=lr, betas=(0.5, 0.999))

    def generator_losses(self, fake: torch.Tensor, hole: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """(image, feature) hinge losses for the generator; gradients reach `fake` through both."""
        return g_hinge(self.image_d(fake, hole), hole), g_hinge(self.feature_d(self.features(fake), hole), hole)

    def step(self, real: torch.Tensor, fake: torch.Tensor, hole: torch.Tensor) -> tuple[float, float]:
        """One discriminator update on a batch; returns the (image, feature) hinge losses."""
        fake = fake.detach()
        with torch.no_grad():
            f_real, f_fake = self.features(real), self.features(fake)
        li = d_hinge(self.image_d(real, hole), self.image_d(fake, hole))
        lf = d_hinge(self.feature_d(f_real, hole), self.feature_d(f_fake, hole))
        self.opt.zero_grad(set_to_none=True)
        (li + lf).backward()
        self.opt.step()
        return float(li), float(lf)

    def state_dict(self) -> dict:
        return {"features": self.features.state_dict(), "image_d": self.image_d.state_dict(),
                "feature_d": self.feature_d.state_dict(), "opt": self.opt.state_dict()}

    def load_state_dict(self, state: dict) -> None:
        self.features.load_state_dict(state["features"])
        self.image_d.load_state_dict(state["image_d"])
        self.feature_d.load_state_dict(state["feature_d"])
        self.opt.load_state_dict(state["opt"])
        for st in self.opt.state.values():
            for k, v in st.items():
                if torch.is_tensor(v):
                    st[k] = v.to(next(self.image_d.parameters()).device)
