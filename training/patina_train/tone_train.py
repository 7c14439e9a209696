"""Trains the tone estimator (tone_net.py) and exports it to ONNX.

    cd training && nice -n 10 /usr/bin/python3 -m patina_train.tone_train --minutes 20
    cd training && /usr/bin/python3 -m patina_train.tone_train --export-only --out ../models/tone
    cd training && nice -n 10 /usr/bin/python3 -m patina_train.tone_train --resume runs/tone/v2.pt \
        --save runs/tone/v4.pt --lr 3e-4 --warmup 100 --minutes 20    # continue a shipped run under a new name
    cd training && nice -n 10 /usr/bin/python3 -m patina_train.tone_train --net rich \
        --graft runs/tone/plain-0.1.1.onnx ...    # a rich net from a shipped plain net's ONNX file (and its manifest.json beside it)
    cd training && nice -n 10 /usr/bin/python3 -m patina_train.tone_train --net rich --resume ../models/tone/patina-tone.onnx \
        --save runs/tone/rich2.pt ...    # continue the shipped rich net from its ONNX file
    cd training && /usr/bin/python3 -m patina_train.tone_train --export-only --soup runs/tone/a-5100.pt runs/tone/a-5200.pt ...

Photos: the training split of ../shared/data/train (data.split: the validation
photos, which the tone benchmark ages and scores, are never read). Every 20th
training photo is kept apart as this script's own proxy check. Each photo is
cached once as a 256 x 256 area-averaged copy; every step ages a batch afresh
(tone_net.age_batch), the net sees its 128 px thumbnail, and the loss is the
mean squared error of the corrected 256 px copy against the clean one: the
same per-pixel error the benchmark's PSNR measures, clipping included.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import time
from pathlib import Path

import cv2
import numpy as np
import torch

from patina_train import data
from patina_train.average import mean_weights
from patina_train.checkpoint import onnx_tensors
from patina_train.tone_net import SIDE, ToneNet, age_batch, age_bench_batch, apply_points, cosine_lr, count_parameters, delta_e76, delta_e2000, make_net, psnr, thumbnail

ROOT = Path(__file__).resolve().parents[2]
RUN = ROOT / "training" / "runs" / "tone"
CACHE_SIDE = 256


def load_cache() -> tuple[np.ndarray, np.ndarray]:
    """uint8 (n, 3, 256, 256) of the training split: (train, proxy)."""
    RUN.mkdir(parents=True, exist_ok=True)
    f = RUN / "clean256.npz"
    if f.exists():
        z = np.load(f)
        return z["train"], z["proxy"]
    train, val = data.split()
    held = set(val)
    imgs = []
    for rel in train:
        assert rel not in held
        img = data.read_rgb(data.DATA_DIR / rel)
        imgs.append(cv2.resize(img, (CACHE_SIDE, CACHE_SIDE), interpolation=cv2.INTER_AREA).transpose(2, 0, 1))
    arr = np.stack(imgs)
    proxy = arr[::20]
    rest = np.delete(arr, np.arange(0, len(arr), 20), axis=0)
    np.savez(f, train=rest, proxy=proxy)
    return rest, proxy


def load_exported(path: Path, kind: str = "plain") -> dict:
    """A checkpoint, or a shipped net's ONNX file (its initializers are the state dict by name; the
    step comes from the manifest beside it): checkpoints are not kept in git. `kind` is the net the
    ONNX file must hold ("plain" for --graft, the run's --net for --resume)."""
    if path.suffix != ".onnx":
        return torch.load(path)
    state = onnx_tensors(path)
    expected = make_net(kind).state_dict()
    if set(state) != set(expected):
        raise ValueError(f"{path} is not a {kind} tone net export (initializers {sorted(state)})")
    manifest = path.with_name("manifest.json")
    step = json.loads(manifest.read_text())["models"][0]["training"]["steps"] if manifest.exists() else 0
    return {"state": state, "step": step, "net": kind}


def to_float(batch: np.ndarray, side: int) -> torch.Tensor:
    """0..1 floats, area-averaged from the 256 px cache to `side`."""
    x = torch.from_numpy(batch).float() / 255
    return torch.nn.functional.adaptive_avg_pool2d(x, side) if side != x.shape[-1] else x


def loss_of(out: torch.Tensor, target: torch.Tensor, aged: torch.Tensor, hinge: float, lab: float, metric: str = "cie76") -> torch.Tensor:
    """Mean squared error (the benchmark's PSNR) plus `lab` times the mean colour difference / 100
    (CIE76, or the benchmark's own CIEDE2000 with metric "de2000"), each with `hinge` times how far
    any photo ends up worse than its faded input (a misty scene stretched as if faded): the
    benchmark counts every such photo."""
    colour = delta_e2000 if metric == "de2000" else delta_e76
    err = ((out - target) ** 2).flatten(1).mean(1)
    before = ((aged - target) ** 2).flatten(1).mean(1)
    loss = err.mean() + hinge * torch.relu(err - before).mean()
    if lab > 0:
        de = colour(out, target) / 100
        de_before = colour(aged, target) / 100
        loss = loss + lab * (de.mean() + hinge * torch.relu(de - de_before).mean())
    return loss


def proxy_score(net: ToneNet, proxy: np.ndarray) -> dict[str, float]:
    """Mean PSNR on the proxy photos, aged by a fixed seed: the net, the percentiles it starts
    from (per-channel 0.2 / 99.8 % auto-levels), and the aged input."""
    gen = torch.Generator().manual_seed(12345)
    x = to_float(proxy, SIDE)
    target, aged = age_batch(x, gen)
    with torch.no_grad():
        pts = net(thumbnail(aged))
        base = ToneNet()(thumbnail(aged))
        out = apply_points(aged, pts)
        de = delta_e2000(out, target)
        de_in = delta_e2000(aged, target)
        p_out = psnr(out, target)
        p_in = psnr(aged, target)
        # The same photos aged by the benchmark's documented family (its ranges, this fixed seed).
        b_target, b_aged = age_bench_batch(x, torch.Generator().manual_seed(54321))
        b_out = apply_points(b_aged, net(thumbnail(b_aged)))
        b_de = delta_e2000(b_out, b_target)
        b_de_in = delta_e2000(b_aged, b_target)
        b_p = psnr(b_out, b_target)
        b_p_in = psnr(b_aged, b_target)
    return {
        "benchFamilyPsnr": b_p.mean().item(),
        "benchFamilyDeltaE2000": b_de.mean().item(),
        "benchFamilyWorse": float(((b_p < b_p_in) | (b_de > b_de_in)).sum().item()),
        "netDeltaE2000": de.mean().item(),
        "inputDeltaE2000": de_in.mean().item(),
        # Photos left worse than their faded input, by PSNR and by CIEDE2000 (the benchmark counts them).
        "worsePsnr": float((p_out < p_in).sum().item()),
        "worseDeltaE2000": float((de > de_in).sum().item()),
        "net": psnr(apply_points(aged, pts), target).mean().item(),
        "netDeltaE76": delta_e76(apply_points(aged, pts), target).mean().item(),
        "levelsDeltaE76": delta_e76(apply_points(aged, base), target).mean().item(),
        "levels": psnr(apply_points(aged, base), target).mean().item(),
        "input": psnr(aged, target).mean().item(),
    }


def train(args: argparse.Namespace) -> None:
    torch.set_num_threads(1)
    torch.manual_seed(args.seed)
    train_set, proxy = load_cache()
    print(f"{len(train_set)} training photos, {len(proxy)} proxy", flush=True)
    net = make_net(args.net)
    first = 0
    if args.resume:
        ck = load_exported(Path(args.resume), args.net)
        net.load_state_dict(ck["state"])
        first = ck["step"]
    elif args.graft:
        # A plain ToneNet's weights into the rich net: it starts from that net's answers (ToneNetRich.graft).
        ck = load_exported(Path(args.graft))
        net.graft(ck["state"])
        first = ck["step"]
    save = Path(args.save)
    opt = torch.optim.Adam(net.parameters(), lr=args.lr)
    gen = torch.Generator().manual_seed(args.seed)
    rng = np.random.default_rng(args.seed)
    start = time.time()
    budget = args.minutes * 60
    step = first
    ema = None
    while True:
        elapsed = time.time() - start
        if elapsed > budget:
            break
        for g in opt.param_groups:
            # A resumed run starts with a fresh Adam, whose first steps move every weight by about lr: ramp up.
            g["lr"] = cosine_lr(elapsed, budget, args.lr, args.lr * 0.02) * min(1.0, (step - first + 1) / max(1, args.warmup))
        idx = rng.integers(0, len(train_set), args.batch)
        x = to_float(train_set[idx], args.loss_side)
        if rng.random() < 0.5:
            x = x.flip(3)
        target, aged = age_batch(x, gen, args.channel_grain)
        if args.bench_share > 0:
            # A share of the batch from the benchmark's documented family, the rest from the wide one
            # (B&W prints, untouched photos, other strengths), so the net keeps those answers.
            bench_target, bench_aged = age_bench_batch(x, gen)
            pick = (torch.rand(x.shape[0], generator=gen) < args.bench_share).view(-1, 1, 1, 1)
            target = torch.where(pick, bench_target, target)
            aged = torch.where(pick, bench_aged, aged)
        pts = net(thumbnail(aged))
        loss = loss_of(apply_points(aged, pts), target, aged, args.hinge, args.lab, args.lab_metric)
        opt.zero_grad()
        loss.backward()
        opt.step()
        ema = loss.item() if ema is None else 0.98 * ema + 0.02 * loss.item()
        step += 1
        if step % args.log_every == 0:
            s = proxy_score(net, proxy)
            print(f"step {step} {elapsed / 60:.1f} min loss {ema:.5f} proxy PSNR net {s['net']:.2f} levels {s['levels']:.2f} input {s['input']:.2f} dE76 net {s['netDeltaE76']:.2f} levels {s['levelsDeltaE76']:.2f} dE2000 net {s['netDeltaE2000']:.2f} input {s['inputDeltaE2000']:.2f} worse {s['worsePsnr']:.0f}/{s['worseDeltaE2000']:.0f} | bench family PSNR {s['benchFamilyPsnr']:.2f} dE2000 {s['benchFamilyDeltaE2000']:.2f} worse {s['benchFamilyWorse']:.0f}", flush=True)
            torch.save({"state": net.state_dict(), "step": step, "net": args.net}, save)
            # Each logged step is kept too: the proxy is noisy, and a later step is not always the better one.
            torch.save({"state": net.state_dict(), "step": step, "proxy": s, "net": args.net}, save.with_name(f"{save.stem}-{step}.pt"))
    s = proxy_score(net, proxy)
    torch.save({"state": net.state_dict(), "step": step, "minutes": budget / 60, "proxy": s, "photos": len(train_set), "net": args.net}, save)
    print(f"done: {step} steps, proxy {s}", flush=True)


def export(args: argparse.Namespace) -> None:
    if args.soup:
        # Logged steps of one run are noisy; their mean weights sit in the same basin and average the noise out.
        cks = [torch.load(f) for f in args.soup]
        ck = {**cks[-1], "state": mean_weights([c["state"] for c in cks]), "soup": [c["step"] for c in cks]}
    else:
        ck = torch.load(args.checkpoint or args.save)
    net = make_net(ck.get("net", "plain"))
    net.load_state_dict(ck["state"])
    net.eval()
    if args.soup:
        ck["proxy"] = proxy_score(net, load_cache()[1])
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    onnx_path = out / "patina-tone.onnx"
    torch.onnx.export(net, torch.rand(1, 3, SIDE, SIDE), str(onnx_path), input_names=["image"], output_names=["points"], opset_version=17)
    blob = onnx_path.read_bytes()
    manifest = {
        "schemaVersion": 1,
        "models": [{
            "role": "tone",
            "name": "Patina tone estimator",
            "version": args.version,
            "file": onnx_path.name,
            "sha256": hashlib.sha256(blob).hexdigest(),
            "bytes": len(blob),
            "inputMultiple": SIDE,
            "nativeResolution": SIDE,
            "maxSide": SIDE,
            "opset": 17,
            "inputs": {"image": f"float32 [1,3,{SIDE},{SIDE}] RGB in [0,1]: the photo resized to {SIDE} x {SIDE}, aspect ignored"},
            "outputs": {"points": "float32 [1,2,3]: per-channel black (row 0) and white (row 1) points, 0..1 of full scale"},
            "parameters": count_parameters(net),
            "training": {
                "steps": ck["step"],
                "minutes": round(ck.get("minutes", 0), 1),
                "photos": ck.get("photos"),
                "proxyPsnr": {k: round(v, 2) for k, v in ck.get("proxy", {}).items()},
                **({"soupOfSteps": ck["soup"]} if "soup" in ck else {}),
                "threads": 1,
            },
            "data": "training split of ../shared/data/train (the tone benchmark's validation photos never read), aged on the fly by tone_net.age_batch",
            "licence": "same as the training data; for Patina",
        }],
    }
    (out / "manifest.json").write_text(json.dumps(manifest, indent=1) + "\n")
    print(f"exported {onnx_path} ({len(blob)} bytes)")


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--minutes", type=float, default=20)
    p.add_argument("--batch", type=int, default=32)
    p.add_argument("--lr", type=float, default=1e-3)
    p.add_argument("--seed", type=int, default=20261207)
    p.add_argument("--log-every", type=int, default=200)
    p.add_argument("--loss-side", type=int, default=SIDE, help="side of the aged copy the loss is taken on (the cache is 256)")
    p.add_argument("--hinge", type=float, default=1.0)
    p.add_argument("--lab", type=float, default=0.03, help="weight of the mean CIE76 term (/100)")
    p.add_argument("--lab-metric", choices=("cie76", "de2000"), default="cie76", help="colour difference of the --lab term")
    p.add_argument("--channel-grain", type=float, default=0.0, help="per-channel grain as a share of the shared grain (the benchmark's ageing: 0.2)")
    p.add_argument("--bench-share", type=float, default=0.0, help="share of each batch aged by the benchmark's documented family (tone_net.age_bench_batch)")
    p.add_argument("--net", choices=("plain", "rich"), default="plain", help="rich: ToneNetRich (perceptual statistics, confidence)")
    p.add_argument("--graft", help="plain ToneNet checkpoint (.pt, or a shipped .onnx) a --net rich run starts from")
    p.add_argument("--resume", help="checkpoint (.pt, or a shipped .onnx of the same --net) to start from (weights only)")
    p.add_argument("--warmup", type=int, default=0, help="steps over which the learning rate ramps up from zero")
    p.add_argument("--save", default=str(RUN / "last.pt"), help="checkpoint this run writes (and exports)")
    p.add_argument("--checkpoint", help="checkpoint to export instead of --save")
    p.add_argument("--soup", nargs="+", help="checkpoints of one run whose mean weights are exported (the last one's record)")
    p.add_argument("--export-only", action="store_true")
    p.add_argument("--out", default=str(ROOT / "models" / "tone"))
    p.add_argument("--version", default="0.1.0")
    args = p.parse_args()
    if not args.export_only:
        train(args)
    export(args)


if __name__ == "__main__":
    main()
