#!/usr/bin/env python3
"""Train Patina's CSA inpainting network. Resumable; logs one JSON object per line.

Usage: PYTHONPATH=training /usr/bin/python3 -m train --run main [--resume training/checkpoints/patina-csa.pt]
           [--steps 20000] [--val-every 500] [--consistency 0.01] [--adv 0] [--adv-feature W]

The same command runs on a CPU and on a CUDA GPU: the device, batch sizes (--batch-scale)
and data workers (--workers) default from what is present. A run resumes from its last.pt
with the optimisers' state, the discriminators' and the adversarial schedule's.
"""
from __future__ import annotations

import argparse
import concurrent.futures
import json
import math
import os
import time
from contextlib import contextmanager, nullcontext
from pathlib import Path

import numpy as np
import torch
import torch.nn as nn

from patina_train import data, masks, validate
from patina_train.adversarial import Adversary, PatchDiscriminator, adv_ramp  # noqa: F401
from patina_train.checkpoint import config_of
from patina_train.model import MULTIPLE, NetConfig, PatinaCSA, count_params

ROOT = Path(__file__).resolve().parents[1]
RUNS = ROOT / "training" / "runs"

# (crop size, batch size, probability): similar pixels per step, most steps small
# because the CSA recurrence is sequential and 128 px trains ~7x faster per image.
SIZES = ((128, 16, 0.5), (192, 8, 0.3), (256, 4, 0.2))


def hole_l1(pred, gt, hole, valid_weight=0.1):
    """Per-sample mean L1 inside the hole (+ a small term outside), then the batch mean.
    Normalising by each sample's hole area gives a 2 % scratch mask the same pull
    as a 20 % box; a plain pixel mean would let large holes drown thin damage."""
    d = (pred - gt).abs().mean(1, keepdim=True)
    known = 1.0 - hole
    inside = (d * hole).flatten(1).sum(1) / (hole.flatten(1).sum(1) + 1.0)
    outside = (d * known).flatten(1).sum(1) / (known.flatten(1).sum(1) + 1.0)
    return (inside + valid_weight * outside).mean()


def hole_log_mse(pred, gt, hole, eps=1e-5):
    """Mean over samples of ln(MSE inside the hole): the PSNR-aligned loss. Validation
    reports the mean PSNR of each photo, i.e. the mean of -10 log10(MSE_i); a loss
    whose gradient is the same up to a constant optimises that number directly."""
    d = ((pred - gt) ** 2).mean(1, keepdim=True)
    mse = (d * hole).flatten(1).sum(1) / (hole.flatten(1).sum(1) + 1.0)
    return torch.log(mse + eps).mean()


def cosine_lr(base: float, final: float, frac: float) -> float:
    """Cosine decay from base to final as frac goes 0 -> 1 (held at final after)."""
    frac = min(max(frac, 0.0), 1.0)
    return final + (base - final) * 0.5 * (1.0 + math.cos(math.pi * frac))


def warmup_factor(steps_done: int, warmup: int) -> float:
    """Linear ramp (steps_done + 1) / warmup, then 1."""
    return 1.0 if warmup <= 0 else min(1.0, (steps_done + 1) / warmup)


class Ema:
    """Exponential moving average of the weights. With batches of 2-4 crops the raw
    weights are noisy; the average is what validation scores and export ships."""

    def __init__(self, net: nn.Module, decay: float):
        self.decay = decay
        self.shadow = {k: v.detach().clone() for k, v in net.state_dict().items()}

    @torch.no_grad()
    def update(self, net: nn.Module) -> None:
        for k, v in net.state_dict().items():
            if v.dtype.is_floating_point:
                self.shadow[k].mul_(self.decay).add_(v.detach(), alpha=1.0 - self.decay)
            else:
                self.shadow[k].copy_(v)

    @contextmanager
    def applied(self, net: nn.Module):
        """net holds the averaged weights inside the block and its own ones again after."""
        raw = {k: v.detach().clone() for k, v in net.state_dict().items()}
        net.load_state_dict(self.shadow)
        try:
            yield net
        finally:
            net.load_state_dict(raw)


def consistency_l1(csa_out, target, grid_hole):
    """CSA output vs the encoder's features of the ground truth at hole positions,
    relative to the target's mean magnitude: the encoder is also the feature net,
    so an absolute L1 would reward it for shrinking or inflating its features."""
    scale = (target.abs() * grid_hole).sum() / (grid_hole.sum() * target.shape[1] + 1e-6) + 1e-6
    return ((csa_out - target).abs() * grid_hole).sum() / (grid_hole.sum() * csa_out.shape[1] + 1.0) / scale


def feature_anchor(e3):
    """(ln mean |e3|)^2: zero when the encoder's 1/8-resolution features average 1.

    The consistency loss is relative, so the encoder's scale is free under it, and
    Adam's steps kept inflating it (to ~1e6 by step 28,000), which froze the decoder.
    This term pins the scale without favouring any direction of the features."""
    return torch.log(e3.abs().mean() + 1e-12) ** 2


def forward_for_training(net: PatinaCSA, x: torch.Tensor, m: torch.Tensor, freeze_refine: bool) -> dict:
    """The full network, or with a frozen refinement stage only the rough one: its
    composite stands in for the refined output (the refinement adds ~0 dB, see the
    model card's refineGainDb, and costs two thirds of a training step)."""
    if not freeze_refine:
        return net(x, m)
    c = net.coarse(x, m)
    comp1 = (c["comp1"] + 1.0) * 0.5
    return {"output": comp1.clamp(0.0, 1.0), "rough": (c["rough"] + 1.0) * 0.5, "refined": comp1,
            "e3": torch.zeros((), device=x.device)}


def freeze_stages(net: PatinaCSA, refine: bool, rough: bool) -> None:
    """Stop the optimiser from moving a stage. A frozen rough stage's output then
    carries no graph, so backward stops at the refinement and costs it alone."""
    if refine:
        net.refine.requires_grad_(False)
    if rough:
        net.rough.requires_grad_(False)


def refinement_loss_weights(consistency: float, anchor: float, freeze_refine: bool,
                            resumed: dict | None) -> dict:
    """The consistency and anchor weights that shaped the refinement stage's weights.

    A frozen refinement keeps what its last trained phase gave it, so the checkpoint
    (and the model card built from it) names that phase's weights, not this phase's zeros."""
    if freeze_refine:
        resumed = resumed or {}
        return {"consistency": resumed.get("consistency", 0.0), "feature_anchor": resumed.get("feature_anchor", 0.0)}
    return {"consistency": consistency, "feature_anchor": anchor if consistency > 0 else 0.0}


def parse_sizes(spec: str) -> tuple[tuple[int, int, float], ...]:
    """"256:4:0.5,384:2:0.5" -> ((256, 4, 0.5), (384, 2, 0.5))."""
    out = []
    for part in spec.split(","):
        size, bs, share = part.split(":")
        if int(size) % MULTIPLE:
            raise ValueError(f"crop size {size} is not a multiple of {MULTIPLE}")
        out.append((int(size), int(bs), float(share)))
    return tuple(out)


def device_defaults(device: str) -> tuple[int, int]:
    """(batch scale, data workers) for a device: on a CUDA GPU eight times the CPU's batches
    (same crop sizes, so the same masks and schedule) and crops cut by worker threads while
    the GPU runs; on a CPU the cores are the model's, so batches are cut in line."""
    if device.startswith("cuda"):
        return 8, min(4, os.cpu_count() or 1)
    return 1, 0


def batch_stream(images: list[np.ndarray], seed: int, first: int, sizes, mix, batch_scale: int, workers: int):
    """Endless (size, x, m) training batches. Batch i draws from its own generator seeded by
    (seed, i), so the stream is the same with any number of workers and a resumed run (first =
    its step) goes on where the last one stopped."""
    probs = np.array([p for _, _, p in sizes])

    def cut(i: int):
        rng = np.random.default_rng([seed, i])
        size, bs, _ = sizes[int(rng.choice(len(sizes), p=probs / probs.sum()))]
        x, m = make_batch(data.CropSampler(images, rng), rng, size, bs * batch_scale, mix)
        return size, x, m

    if workers <= 0:
        i = first
        while True:
            yield cut(i)
            i += 1
    with concurrent.futures.ThreadPoolExecutor(workers) as pool:
        ahead = [pool.submit(cut, first + k) for k in range(2 * workers)]
        i = first + len(ahead)
        while True:
            yield ahead.pop(0).result()
            ahead.append(pool.submit(cut, i))
            i += 1


def make_batch(sampler: data.CropSampler, rng: np.random.Generator, size: int, bs: int,
               mix: dict[str, float] | None = None):
    imgs = np.stack([sampler.sample(size) for _ in range(bs)])
    ms = np.stack([masks.training_mask(rng, size, size, mix) for _ in range(bs)])
    x = torch.from_numpy(imgs).permute(0, 3, 1, 2).float() / 255.0
    m = torch.from_numpy(ms)[:, None].float()
    return x, m


def save(path: Path, state: dict) -> None:
    tmp = path.with_suffix(".tmp")
    torch.save(state, tmp)
    os.replace(tmp, path)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--run", default="main")
    ap.add_argument("--resume", default=None, help="checkpoint to start from (else the run's last.pt)")
    ap.add_argument("--steps", type=int, default=1_000_000)
    ap.add_argument("--minutes", type=float, default=0, help="stop after this wall time (0 = no limit)")
    ap.add_argument("--lr", type=float, default=5e-4)
    ap.add_argument("--lr-final", type=float, default=None,
                    help="cosine-decay the learning rate to this over --minutes (or --steps)")
    ap.add_argument("--warmup", type=int, default=0,
                    help="ramp the learning rate up linearly over this many steps: a resume without "
                         "the optimiser's moments (a shipped checkpoint) otherwise takes full-size "
                         "steps in every direction while the second moments are still noise")
    ap.add_argument("--ema", type=float, default=0.0,
                    help="keep an exponential moving average of the weights with this decay "
                         "(e.g. 0.999); validation and checkpoints' 'model' use it")
    ap.add_argument("--psnr-loss", type=float, default=0.0,
                    help="weight of the per-sample ln(MSE in hole) term on the refined output")
    ap.add_argument("--val-every", type=int, default=500)
    ap.add_argument("--val-limit", type=int, default=16, help="validation photos used during training")
    ap.add_argument("--consistency", type=float, default=0.01)
    ap.add_argument("--feature-anchor", type=float, default=0.01,
                    help="weight of (ln mean |CSA input features|)^2, which keeps the encoder's scale at 1 "
                         "(only with --consistency)")
    ap.add_argument("--freeze-refine", action="store_true",
                    help="train the rough stage alone, with the losses on its composite; the refinement "
                         "stage keeps its weights and is skipped, so a step costs about a third")
    ap.add_argument("--freeze-rough", action="store_true",
                    help="train the refinement stage alone on the rough stage's fixed output (the rough "
                         "stage's weights stay as they are)")
    ap.add_argument("--adv", type=float, default=0.0,
                    help="weight of the image patch discriminator's generator loss (0 = off)")
    ap.add_argument("--adv-feature", type=float, default=None,
                    help="weight of the feature-patch discriminator's generator loss (default: --adv)")
    ap.add_argument("--adv-warmup", type=int, default=300,
                    help="steps the discriminators train alone before their losses reach the generator")
    ap.add_argument("--adv-ramp", type=int, default=1000,
                    help="steps over which the adversarial weights then ramp linearly to full")
    ap.add_argument("--adv-lr", type=float, default=2e-4, help="the discriminators' Adam learning rate (paper: 2e-4)")
    ap.add_argument("--keep-val", action="store_true",
                    help="also keep each validation step's weights (run/val-STEP.pt, ~9 MB): an adversarial "
                         "run's best fill is picked through the engine, not by the PSNR objective alone")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--device", default="cuda" if torch.cuda.is_available() else "cpu")
    ap.add_argument("--batch-scale", type=int, default=0,
                    help="multiply batch sizes (0 = from the device: 1 on a CPU, 8 on a GPU)")
    ap.add_argument("--workers", type=int, default=-1,
                    help="threads cutting batches ahead (-1 = from the device: none on a CPU, 4 on a GPU)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--slim", default=None,
                    help="also write the weights alone here at the end (no optimizer state: ~8 MB, "
                         "small enough to come back from a GPU machine)")
    ap.add_argument("--sizes", default=None,
                    help="crop sizes as size:batch:share,... (default %s); larger crops teach the "
                         "holes of 512-px validation boxes" % ",".join(f"{a}:{b}:{c}" for a, b, c in SIZES))
    ap.add_argument("--mask-mix", default=None,
                    help="shares of the mask families as name:share,... (default %s)"
                         % ",".join(f"{k}:{v}" for k, v in masks.DEFAULT_MIX.items()))
    ap.add_argument("--cache-short", type=int, default=data.CACHE_SHORT,
                    help="short side the training photos are cached at; crops of size S sample sides "
                         "from 0.8 S to this, so it sets how fine the content of a crop can be")
    args = ap.parse_args()
    if args.freeze_rough and args.freeze_refine:
        ap.error("--freeze-rough and --freeze-refine together would train nothing")
    if args.adv_feature is None:
        args.adv_feature = args.adv
    scale_default, workers_default = device_defaults(args.device)
    args.batch_scale = args.batch_scale or scale_default
    args.workers = workers_default if args.workers < 0 else args.workers
    mix = masks.parse_mix(args.mask_mix) if args.mask_mix else masks.DEFAULT_MIX

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    run = RUNS / args.run
    run.mkdir(parents=True, exist_ok=True)
    log = open(run / "log.jsonl", "a")

    def emit(**kw):
        kw["time"] = time.strftime("%Y-%m-%dT%H:%M:%S")
        line = json.dumps(kw)
        print(line, flush=True)
        log.write(line + "\n")
        log.flush()

    ckpt_path = Path(args.resume) if args.resume else run / "last.pt"
    # Our own files; torch >= 2.6 (the GPU machine) would otherwise refuse the optimizer state.
    state = torch.load(ckpt_path, map_location="cpu", weights_only=False) if ckpt_path.exists() else None
    cfg = config_of(state) if state else NetConfig()
    dev = torch.device(args.device)
    net = PatinaCSA(cfg)
    opt = torch.optim.Adam(net.parameters(), lr=args.lr, betas=(0.9, 0.999))
    step, seen, best, adv_steps = 0, 0, None, 0
    if state:
        # "model" is what export loads (the average when --ema was on); "train_model"
        # holds the raw weights the optimiser was stepping.
        net.load_state_dict({k: v.float() for k, v in state.get("train_model", state["model"]).items()})
        if "opt" in state and state["opt"] is not None:
            try:
                opt.load_state_dict(state["opt"])
            except ValueError:
                pass
        for g in opt.param_groups:
            g["lr"] = args.lr
        step, seen, best = state.get("step", 0), state.get("images_seen", 0), state.get("best")
        if ckpt_path.parent != run:
            best = None  # a fork from another run keeps its own best.pt
        adv_steps = state.get("adv_steps", 0) if ckpt_path.parent == run else 0
    # The feature net is a frozen copy of the rough stage as the adversarial phase began
    # (patina_train/adversarial.py); a resumed run gets its discriminators and that copy back.
    adversary = Adversary(net.rough, args.adv_lr, dev) if args.adv > 0 or args.adv_feature > 0 else None
    if adversary and state and state.get("adversary") and ckpt_path.parent == run:
        adversary.load_state_dict(state["adversary"])
    freeze_stages(net, refine=args.freeze_refine, rough=args.freeze_rough)
    net.to(dev)
    ema = Ema(net, args.ema) if args.ema > 0 else None
    if ema and state and "train_model" in state:
        ema.shadow = {k: v.float().to(dev) for k, v in state["model"].items()}
    # Optimizer state was loaded on the CPU; move it with the parameters.
    for o in (opt,):
        for st in o.state.values():
            for k, v in st.items():
                if torch.is_tensor(v):
                    st[k] = v.to(dev)
    emit(event="start", step=step, images_seen=seen, params=count_params(net), cfg=cfg.to_dict(),
         resume=str(ckpt_path) if state else None, lr=args.lr, warmup=args.warmup, lr_final=args.lr_final, ema=args.ema,
         psnr_loss=args.psnr_loss, freeze_refine=args.freeze_refine, freeze_rough=args.freeze_rough, consistency=args.consistency, feature_anchor=args.feature_anchor, adv=args.adv,
         adv_feature=args.adv_feature, adv_warmup=args.adv_warmup, adv_ramp=args.adv_ramp, adv_steps=adv_steps,
         device=args.device, batch_scale=args.batch_scale, workers=args.workers,
         sizes=args.sizes, rebalanced=state.get("rebalanced") if state else None,
         widened=state.get("widened") if state else None,
         mask_mix=mix, cache_short=args.cache_short)

    train_images = data.load_train_cache(short=args.cache_short)
    val_items = validate.load_items(limit=args.val_limit)
    telea = validate.telea_scores(val_items, RUNS / f"telea_{args.val_limit}.json")
    emit(event="telea", scores=telea)

    refine = refinement_loss_weights(args.consistency, args.feature_anchor, args.freeze_refine,
                                     (state or {}).get("losses"))
    losses = {"l1_rough": 1.0, "l1_refined": 1.0, "l1": "per-sample hole mean + 0.1 x outside",
              **refine, "consistency_form": "relative L1 to stopped-gradient encoder features of the ground truth",
              "psnr": args.psnr_loss, "psnr_form": "per-sample ln(MSE in hole) on the refined output",
              "freeze_refine": args.freeze_refine, "freeze_rough": args.freeze_rough,
              "ema": args.ema, "adversarial": args.adv,
              **({"adversarial_feature": args.adv_feature,
                  "adversarial_form": "hinge; spectral-norm patch discriminator on the image and the hole, and on "
                                      "features of a frozen copy of the starting rough stage's encoder (e1, e2: 1/8 "
                                      "resolution; no ImageNet VGG offline), generator loss over patches holding "
                                      f"hole pixels; discriminators alone for {args.adv_warmup} steps, then the "
                                      f"weights ramp up over {args.adv_ramp}"} if adversary else {}),
              "mask_mix": mix, "cache_short": args.cache_short}

    def weights_only() -> dict:
        """What export loads: the averaged weights when --ema is on, with their provenance."""
        weights = ema.shadow if ema else net.state_dict()
        return {"model": {k: v.cpu() for k, v in weights.items()}, "cfg": cfg.to_dict(), "step": step,
                "images_seen": seen, "best": best, "losses": losses}

    def checkpoint(path: Path, extra: dict | None = None):
        raw = {"train_model": {k: v.cpu() for k, v in net.state_dict().items()}} if ema else {}
        save(path, {**weights_only(), **raw, "opt": opt.state_dict(),
                    "adversary": adversary.state_dict() if adversary else None, "adv_steps": adv_steps,
                    **(extra or {})})

    t0, t_last, agg = time.time(), time.time(), []
    sizes = parse_sizes(args.sizes) if args.sizes else SIZES
    batches = batch_stream(train_images, args.seed, step, sizes, mix, args.batch_scale, args.workers)
    step0 = step
    while step < args.steps:
        lr = args.lr
        if args.lr_final is not None:
            frac = (time.time() - t0) / (args.minutes * 60) if args.minutes else \
                (step - step0) / max(args.steps - step0, 1)
            lr = cosine_lr(args.lr, args.lr_final, frac)
        for g in opt.param_groups:
            g["lr"] = lr * warmup_factor(step - step0, args.warmup)
        size, x, m = next(batches)
        assert size % MULTIPLE == 0
        bs = x.shape[0]
        x, m = x.to(dev), m.to(dev)
        out = forward_for_training(net, x, m, args.freeze_refine)
        hole = (m > 0.5).float()
        loss_r = hole_l1(out["rough"], x, hole)
        loss_f = hole_l1(out["refined"], x, hole)
        loss = loss_r + loss_f
        if args.psnr_loss > 0:
            loss = loss + args.psnr_loss * hole_log_mse(out["refined"], x, hole)
        loss_c = torch.zeros((), device=dev)
        if args.consistency > 0 and cfg.use_csa and not args.freeze_refine:
            with torch.no_grad():
                _, _, e3_gt = net.refine.encode(torch.cat([x * 2 - 1, x * 2 - 1, torch.zeros_like(hole)], 1))
            loss_c = consistency_l1(out["csa"], e3_gt, out["grid_mask"])
            loss = loss + args.consistency * loss_c
            if args.feature_anchor > 0:
                loss = loss + args.feature_anchor * feature_anchor(out["e3"])
        loss_g = loss_gf = torch.zeros((), device=dev)
        ramp = adv_ramp(adv_steps, args.adv_warmup, args.adv_ramp) if adversary else 0.0
        if ramp > 0:
            loss_g, loss_gf = adversary.generator_losses(out["output"], hole)
            loss = loss + ramp * (args.adv * loss_g + args.adv_feature * loss_gf)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(net.parameters(), 1.0)
        opt.step()
        if ema:
            ema.update(net)
        loss_d = (0.0, 0.0)
        if adversary:
            loss_d = adversary.step(x, out["output"], hole)
            adv_steps += 1
        step += 1
        seen += bs
        agg.append((loss_r.item(), loss_f.item(), loss_c.item(), loss_g.item(), bs, float(out["e3"].abs().mean()),
                    loss_gf.item(), *loss_d, ramp))
        if step % 50 == 0:
            dt = time.time() - t_last
            a = np.array(agg)
            emit(event="train", step=step, images_seen=seen, l1_rough=float(a[:, 0].mean()),
                 l1_refined=float(a[:, 1].mean()), consistency=float(a[:, 2].mean()), adv_g=float(a[:, 3].mean()),
                 images_per_s=float(a[:, 4].sum() / dt), lr=opt.param_groups[0]["lr"],
                 feature_scale=float(a[:, 5].mean()),
                 **({"adv_g_feature": float(a[:, 6].mean()), "d_image": float(a[:, 7].mean()),
                     "d_feature": float(a[:, 8].mean()), "adv_ramp": float(a[-1, 9])} if adversary else {}))
            agg, t_last = [], time.time()
            checkpoint(run / "last.pt")
        if step % args.val_every == 0:
            net.eval()
            with ema.applied(net) if ema else nullcontext():
                sc = validate.model_scores(val_items, lambda i, k: net(i, k)["output"], args.device)
            net.train()
            gain = {k: sc[k]["psnr"] - telea[k]["psnr"] for k in sc}
            objective = float(np.mean([gain[k] for k in sc]))
            emit(event="val", step=step, images_seen=seen, model=sc, telea=telea, gain_db=gain, objective=objective)
            if args.keep_val:
                save(run / f"val-{step}.pt", weights_only())
            if best is None or objective > best:
                best = objective
                checkpoint(run / "best.pt", {"val": sc, "telea": telea})
                emit(event="best", step=step, objective=objective)
        if args.minutes and time.time() - t0 > args.minutes * 60:
            break
    checkpoint(run / "last.pt")
    if args.slim:
        save(Path(args.slim), weights_only())
    emit(event="stop", step=step, images_seen=seen)


if __name__ == "__main__":
    main()
