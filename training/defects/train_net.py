"""A small segmentation network for damage detection, trained on synthetic damage.

Clean training photos (the lead's fixed split: never the validation photos the
evaluation uses) get the same seeded damage renderer as the evaluation set
(make_eval.render: bright and dark scratches, cracks, dust, torn corners, a
JPEG pass); the network learns to mark the visible damage (ground truth as in
make_eval.ground_truth: invisible damage is ignored by the loss).

From the repository root:
  PYTHONPATH=training nice -n 10 /usr/bin/python3 -m defects.train_net --minutes 25
  PYTHONPATH=training /usr/bin/python3 -m defects.train_net --export-only   # re-export the last checkpoint

Writes training/runs/defects/last.pt, then models/defects/patina-defects.onnx and
models/defects/manifest.json (sha256, threshold calibrated on held-out training
photos, model card).

Network I/O (the ONNX contract):
  input  `image`  float32 [1, 3, H, W], RGB in [0, 1], H and W multiples of 8
  output `logits` float32 [1, 1, H, W], damage logit per pixel (sigmoid > threshold = damage)
"""
from __future__ import annotations

import argparse
import hashlib
import json
import math
import time
from pathlib import Path

import cv2
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

from defects import make_eval
from defects.split_concat import split_concats
from patina_train import data

ROOT = Path(__file__).resolve().parents[2]

RUN_DIR = ROOT / "training" / "runs" / "defects"
MODEL_DIR = ROOT / "models" / "defects"
MODEL_FILE = "patina-defects.onnx"
MULTIPLE = 8
KINDS = ("scratch", "crack", "dust", "corner", "mixed", "clean")
KIND_WEIGHTS = (0.22, 0.2, 0.15, 0.1, 0.23, 0.1)


def conv(cin: int, cout: int, k: int = 3, stride: int = 1, dilation: int = 1) -> nn.Sequential:
    """Conv + batch norm + ReLU; the norm folds into the convolution when ONNX Runtime optimises the graph."""
    return nn.Sequential(
        nn.Conv2d(cin, cout, k, stride=stride, padding=dilation * (k // 2), dilation=dilation, bias=False),
        nn.BatchNorm2d(cout),
        nn.ReLU(inplace=True),
    )


class DefectNet(nn.Module):
    """U-Net, about 13 kMAC per pixel.

    Thin damage is 1-8 px wide, so the full-resolution level keeps two real
    3x3 convolutions (a single thin layer could not tell a 1-px scratch from
    grain); the 1/8 level sees about 100 px around each pixel (dilations 2, 4),
    enough to follow a stroke across busy texture. The decoder narrows with
    1x1 convolutions before each 3x3 to stay inside the 12-MP time budget.
    """

    def __init__(self, c: tuple[int, int, int, int] = (16, 32, 48, 64)) -> None:
        super().__init__()
        c1, c2, c3, c4 = c
        self.stem = nn.Sequential(conv(3, c1), conv(c1, c1))
        self.down1 = nn.Sequential(conv(c1, c2, stride=2), conv(c2, c2))
        self.down2 = nn.Sequential(conv(c2, c3, stride=2), conv(c3, c3, dilation=2))
        self.down3 = nn.Sequential(conv(c3, c4, stride=2), conv(c4, c4, dilation=2), conv(c4, c4, dilation=4))
        self.up3 = nn.Sequential(conv(c4 + c3, c3, k=1), conv(c3, c3))
        self.up2 = nn.Sequential(conv(c3 + c2, c2 // 2 + 8, k=1), conv(c2 // 2 + 8, c2 // 2 + 8))
        self.up1 = nn.Sequential(conv(c2 // 2 + 8 + c1, c1, k=1),
                                 nn.Conv2d(c1, c1, 3, padding=1, groups=c1), nn.ReLU(inplace=True))
        self.head = nn.Conv2d(c1, 1, 1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        s1 = self.stem(x * 2.0 - 1.0)
        s2 = self.down1(s1)
        s3 = self.down2(s2)
        b = self.down3(s3)
        up = lambda t: F.interpolate(t, scale_factor=2.0, mode="bilinear", align_corners=False)  # noqa: E731
        y = self.up3(torch.cat([up(b), s3], 1))
        y = self.up2(torch.cat([up(y), s2], 1))
        y = self.up1(torch.cat([up(y), s1], 1))
        return self.head(y)


def count_params(net: nn.Module) -> int:
    return sum(p.numel() for p in net.parameters())


def load_photos(paths: list[str], short: int) -> list[np.ndarray]:
    return [data.resize_short(data.read_rgb(data.DATA_DIR / p), short) for p in paths]


def render_kind(kind: str, photo: np.ndarray, rng: np.random.Generator, old: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """One photo with damage of `kind` as make_eval renders it: (uint8 RGB after JPEG,
    uint8 gt 255/128/0); "clean" gets the JPEG pass only and an all-0 gt. With `old`,
    the photo is first made an old print and the damage is old_look's (relief cracks,
    crazing, worn edges); the truth is judged against the aged print."""
    reference, damaged, m = make_eval.render_pair(kind, photo, rng, old)
    img = make_eval.jpeg_pass(damaged, rng)
    return img, make_eval.ground_truth(reference, img, m)


def render_sample(photo: np.ndarray, rng: np.random.Generator, soft: float = 0.0,
                  old: float = 0.0) -> tuple[np.ndarray, np.ndarray]:
    """One training render, its kind drawn with KIND_WEIGHTS, an old print's with
    probability `old`; with probability `soft` enlarged as a higher-resolution scan
    would show it (see soften)."""
    kind = KINDS[int(rng.choice(len(KINDS), p=KIND_WEIGHTS))]
    # No draw when old is 0, so runs without --old keep the random stream they always had.
    img, gt = render_kind(kind, photo, rng, old=old > 0 and rng.random() < old)
    return soften(img, gt, rng) if rng.random() < soft else (img, gt)


def soften(img: np.ndarray, gt: np.ndarray, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """The render enlarged 1.3-2.5x (bicubic), as a finer scan of the same print shows
    its damage: wider and with soft edges. The engine reduces large photos by box
    averaging, so the network meets such strokes on real scans; trained only on
    crisp 1-8 px strokes it missed them (IoU 0.00 on the evaluation enlarged 2x)."""
    s = float(rng.uniform(1.3, 2.5))
    h, w = gt.shape
    size = (round(w * s), round(h * s))
    return cv2.resize(img, size, interpolation=cv2.INTER_CUBIC), cv2.resize(gt, size, interpolation=cv2.INTER_NEAREST)


def damaged_crop_origin(gt: np.ndarray, crop: int, rng: np.random.Generator, keep_clean: float) -> tuple[int, int]:
    """Top-left (y, x) of a crop that preferably holds damage (gt 255): damage is ~1 % of pixels and
    random crops mostly miss it, so up to four are drawn, a clean one kept with probability keep_clean."""
    h, w = gt.shape
    for _ in range(4):
        y = int(rng.integers(0, h - crop + 1))
        x = int(rng.integers(0, w - crop + 1))
        if (gt[y:y + crop, x:x + crop] == 255).any() or rng.random() < keep_clean:
            break
    return y, x


class Pool:
    """Damaged renders of training photos; crops are drawn from them and part is re-rendered now and then."""

    def __init__(self, photos: list[np.ndarray], size: int, rng: np.random.Generator, soft: float = 0.0,
                 old: float = 0.0) -> None:
        self.photos = photos
        self.rng = rng
        self.soft = soft
        self.old = old
        self.items = [self._render() for _ in range(size)]

    def _render(self) -> tuple[np.ndarray, np.ndarray]:
        return render_sample(self.photos[int(self.rng.integers(len(self.photos)))], self.rng, self.soft, self.old)

    def refresh(self, n: int) -> None:
        for _ in range(n):
            self.items[int(self.rng.integers(len(self.items)))] = self._render()

    def batch(self, n: int, crop: int) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        xs, ys, vs = [], [], []
        for _ in range(n):
            img, gt = self.items[int(self.rng.integers(len(self.items)))]
            y, x = damaged_crop_origin(gt, crop, self.rng, 0.3)
            im = img[y:y + crop, x:x + crop]
            g = gt[y:y + crop, x:x + crop]
            if self.rng.random() < 0.5:
                im, g = im[:, ::-1], g[:, ::-1]
            if self.rng.random() < 0.5:
                im, g = im[::-1], g[::-1]
            xs.append(np.ascontiguousarray(im).transpose(2, 0, 1))
            ys.append((g == 255).astype(np.float32))
            vs.append((g != 128).astype(np.float32))
        x = torch.from_numpy(np.stack(xs)).float() / 255.0
        return x, torch.from_numpy(np.stack(ys))[:, None], torch.from_numpy(np.stack(vs))[:, None]


def loss_fn(logits: torch.Tensor, target: torch.Tensor, valid: torch.Tensor) -> torch.Tensor:
    bce = F.binary_cross_entropy_with_logits(logits, target, reduction="none", pos_weight=torch.tensor(3.0))
    bce = (bce * valid).sum() / valid.sum().clamp(min=1)
    p = torch.sigmoid(logits) * valid
    t = target * valid
    dice = 1 - (2 * (p * t).sum() + 1) / (p.sum() + t.sum() + 1)
    return bce + 0.5 * dice


def pad_to_multiple(x: torch.Tensor) -> tuple[torch.Tensor, int, int]:
    h, w = x.shape[-2:]
    ph, pw = (-h) % MULTIPLE, (-w) % MULTIPLE
    return F.pad(x, (0, pw, 0, ph), mode="replicate"), h, w


@torch.no_grad()
def predict(net: nn.Module, img: np.ndarray) -> np.ndarray:
    """Damage probability (H, W) of a uint8 RGB image (net in eval mode)."""
    x, h, w = pad_to_multiple(torch.from_numpy(img.transpose(2, 0, 1).copy()).float()[None] / 255)
    return torch.sigmoid(net(x))[0, 0, :h, :w].numpy()


def confusion(pred: np.ndarray, gt: np.ndarray) -> np.ndarray:
    """(true positives, false positives, false negatives); gt 128 (invisible damage) counts for nothing."""
    return np.array([int((pred & (gt == 255)).sum()), int((pred & (gt == 0)).sum()), int((~pred & (gt == 255)).sum())])


def iou_of(counts: np.ndarray) -> float:
    tp, fp, fn = counts
    return float(tp / max(1, tp + fp + fn))


@torch.no_grad()
def calibrate(net: nn.Module, photos: list[np.ndarray], rng: np.random.Generator) -> dict:
    """The threshold with the best mean IoU on thin damage (scratches, cracks, an old print's
    relief cracks) over held-out training photos, among those flagging at most 0.5 % of
    clean pixels (modern and aged photos alike).

    Thin damage is what the network is for; torn corners are also found by the
    classical corner test, which runs beside it, so they do not steer the threshold.
    """
    net.eval()
    probs: dict[str, list] = {k: [] for k in ("scratch", "crack", "dust", "corner", "mixed", "old_crack", "old_mixed")}
    cleans = []
    for photo in photos:
        crop = photo[:512, :512]
        for kind in probs:
            img, gt = render_kind(kind.removeprefix("old_"), crop, rng, old=kind.startswith("old_"))
            probs[kind].append((predict(net, img), gt))
        cleans.append(predict(net, render_kind("clean", crop, rng)[0]))
        cleans.append(predict(net, render_kind("clean", crop, rng, old=True)[0]))

    def iou(kind: str, t: float) -> float:
        return iou_of(sum(confusion(p > t, g) for p, g in probs[kind]))

    best = None
    for t in np.arange(0.1, 0.96, 0.05):
        per = {k: round(iou(k, t), 4) for k in probs}
        thin = (per["scratch"] + per["crack"] + per["old_crack"]) / 3
        clean_share = float(np.mean([(c > t).mean() for c in cleans]))
        row = {"threshold": round(float(t), 2), "iou": thin, "perKind": per, "cleanShare": clean_share}
        print(f"  threshold {t:.2f}: thin IoU {thin:.3f} {per}, clean flagged {100 * clean_share:.2f} %", flush=True)
        if clean_share <= 0.005 and (best is None or thin > best["iou"]):
            best = row
    return best or {"threshold": 0.9, "iou": None, "perKind": None, "cleanShare": None}


def export(net: nn.Module, meta: dict, model_dir: Path = MODEL_DIR) -> None:
    """Writes model_dir/patina-defects.onnx and its manifest (a candidate folder, or the shipped one)."""
    import onnx
    model_dir.mkdir(parents=True, exist_ok=True)
    out = model_dir / MODEL_FILE
    net.eval()
    x = torch.rand(1, 3, 96, 128)
    torch.onnx.export(net, (x,), str(out), input_names=["image"], output_names=["logits"],
                      dynamic_axes={"image": {2: "height", 3: "width"}, "logits": {2: "height", 3: "width"}},
                      opset_version=17, do_constant_folding=True)
    model = onnx.load(str(out))
    model.producer_name = "patina-training"
    # The same function with its skip connections added instead of concatenated: faster in onnxruntime.
    split_concats(model)
    onnx.checker.check_model(model)
    onnx.save(model, str(out))
    digest = hashlib.sha256(out.read_bytes()).hexdigest()
    manifest = {
        "schemaVersion": 1,
        "models": [{
            "role": "defects",
            "name": "Patina damage detector",
            "version": meta["version"],
            "file": MODEL_FILE,
            "sha256": digest,
            "bytes": out.stat().st_size,
            "inputMultiple": MULTIPLE,
            "nativeResolution": 512,
            "maxSide": 1100,
            "opset": 17,
            "inputs": {"image": "float32 [1,3,H,W] RGB in [0,1]; H, W multiples of inputMultiple"},
            "outputs": {"logits": "float32 [1,1,H,W] damage logit; sigmoid above threshold = damage"},
            "threshold": meta["calibration"]["threshold"],
            # Held-out thin-damage IoU: below 0.5 the model is not good enough to be the default.
            "status": meta.get("status") or ("experimental" if (meta["calibration"]["iou"] or 0) < 0.5 else "candidate"),
            "parameters": count_params(net),
            "kmacPerPixel": meta["kmacPerPixel"],
            "training": meta["training"],
            "calibration": meta["calibration"],
            "data": meta.get("data", "clean photos of the training split of ../shared/data/train with synthetic damage "
                             "(training/defects/make_eval.py renderer); validation photos never seen"),
            "licence": "same as the training data; for Patina",
        }],
    }
    (model_dir / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")
    print(f"exported {out} ({out.stat().st_size} bytes, sha256 {digest[:12]}...)")


def kmac_per_pixel(net: nn.Module) -> float:
    """Multiply-accumulates per input pixel, counted from the convolutions on a 64x64 input."""
    total = 0

    def hook(m: nn.Conv2d, _i, o):
        nonlocal total
        total += o.numel() * m.in_channels * m.kernel_size[0] * m.kernel_size[1] // m.groups

    hs = [m.register_forward_hook(hook) for m in net.modules() if isinstance(m, nn.Conv2d)]
    with torch.no_grad():
        net(torch.zeros(1, 3, 64, 64))
    for h in hs:
        h.remove()
    return round(total / (64 * 64) / 1000, 2)


def held_out_set(photos: list[np.ndarray], rng: np.random.Generator) -> list[tuple[str, np.ndarray, np.ndarray]]:
    """Fixed renders (kind, image, gt) of held-out training photos for progress checks, a clean
    one each; old_* are the old-print renders (old_look)."""
    kinds = ("scratch", "crack", "dust", "mixed", "clean", "old_crack", "old_mixed", "old_clean")
    return [(kind, *render_kind(kind.removeprefix("old_"), photo[:512, :512], rng, old=kind.startswith("old_")))
            for photo in photos for kind in kinds]


def check(net: nn.Module, items: list, threshold: float = 0.5) -> dict:
    """IoU per kind and the clean share flagged, at one threshold."""
    net.eval()
    acc: dict[str, np.ndarray] = {}
    clean = []
    for kind, img, gt in items:
        pred = predict(net, img) > threshold
        if kind.endswith("clean"):
            clean.append(float(pred.mean()))
        else:
            acc[kind] = acc.get(kind, 0) + confusion(pred, gt)
    net.train()
    out: dict = {k: round(iou_of(c), 4) for k, c in acc.items()}
    out["clean"] = round(float(np.mean(clean)), 5) if clean else None
    return out


def _shipped_phases() -> list[str]:
    try:
        return json.loads((MODEL_DIR / "manifest.json").read_text())["models"][0]["training"].get("phases", [])
    except (OSError, KeyError, IndexError, ValueError):
        return []


def start_run(threads: int, run_dir: Path, seed: int) -> tuple[np.random.Generator, DefectNet]:
    """A run's fixed start (this one's and finetune_real's): its threads, torch's seed, the run's
    folder, and numpy's generator (`seed`) beside a network freshly initialised from that torch seed."""
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    rng = np.random.default_rng(seed)
    run_dir.mkdir(parents=True, exist_ok=True)
    return rng, DefectNet()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--minutes", type=float, default=25)
    ap.add_argument("--photos", type=int, default=600)
    ap.add_argument("--pool", type=int, default=300)
    ap.add_argument("--batch", type=int, default=16)
    ap.add_argument("--crop", type=int, default=128)
    ap.add_argument("--lr", type=float, default=2e-3)
    ap.add_argument("--check-every", type=int, default=500)
    ap.add_argument("--resume", action="store_true", help="continue from training/runs/defects/last.pt")
    # One thread: with the machine shared, a second one mostly waits on the first (measured 3x slower).
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--held-out", type=int, default=12)
    ap.add_argument("--version", default="0.2.0")
    ap.add_argument("--export-only", action="store_true")
    ap.add_argument("--soft", type=float, default=0.0,
                    help="share of renders enlarged 1.3-2.5x (soft, wide damage of high-resolution scans)")
    ap.add_argument("--old", type=float, default=0.0,
                    help="share of renders on an aged print with old_look's damage (relief cracks, crazing, worn edges)")
    ap.add_argument("--phase", default=None,
                    help="one line on this run for the manifest's training.phases (kept across resumes)")
    ap.add_argument("--lr-floor", type=float, default=0.03, help="the cosine schedule ends at this share of --lr")
    args = ap.parse_args()
    rng, net = start_run(args.threads, RUN_DIR, seed=7)
    train, _val = data.split()
    order = rng.permutation(len(train))
    # The held-out photos are the first ones of a fixed permutation, so they stay the same for any --photos.
    held_out = load_photos([train[i] for i in order[: args.held_out]], 512)
    picked = [train[i] for i in order[args.held_out: args.held_out + args.photos]]

    if args.export_only:
        state = torch.load(RUN_DIR / "last.pt", map_location="cpu")
        net.load_state_dict(state["model"])
        meta = state["meta"]
        meta["calibration"] = calibrate(net, held_out, np.random.default_rng(11))
        export(net, meta)
        return

    t0 = time.time()
    photos = load_photos(picked, 512)
    pool = Pool(photos, args.pool, rng, args.soft, args.old)
    checks = held_out_set(held_out[:6], np.random.default_rng(5))
    print(f"{count_params(net)} parameters, {kmac_per_pixel(net)} kMAC/px; data ready in {time.time() - t0:.0f} s", flush=True)
    opt = torch.optim.AdamW(net.parameters(), lr=args.lr, weight_decay=1e-4)
    step, seen, prior_minutes, phases = 0, 0, 0.0, []
    if args.resume:
        state = torch.load(RUN_DIR / "last.pt", map_location="cpu")
        net.load_state_dict(state["model"])
        if state.get("opt"):
            opt.load_state_dict(state["opt"])
        tr = state["meta"]["training"]
        step, seen, prior_minutes = tr["steps"], tr["imagesSeen"], tr["minutes"]
        # Checkpoints before v0.4.0 lacked the phases; the shipped manifest has them.
        phases = list(tr.get("phases") or _shipped_phases())
    if args.phase:
        phases.append(args.phase)
    log = open(RUN_DIR / "log.jsonl", "a")

    def save(avg: float, minutes: float) -> dict:
        meta = {
            "version": args.version,
            "kmacPerPixel": kmac_per_pixel(net),
            "training": {"steps": step, "imagesSeen": seen, "crop": args.crop, "batch": args.batch,
                         "minutes": round(prior_minutes + minutes, 1), "finalLoss": round(avg, 4),
                         "photos": args.photos, "threads": args.threads, "softShare": args.soft, "oldShare": args.old, "kinds": dict(zip(KINDS, KIND_WEIGHTS)),
                         "phases": phases,
                         "loss": "BCE (positive weight 3) + 0.5 soft Dice, invisible damage ignored"},
        }
        torch.save({"model": net.state_dict(), "opt": opt.state_dict(), "meta": meta}, RUN_DIR / "last.pt")
        return meta

    budget = args.minutes * 60
    start = time.time()
    first = step
    avg = None
    net.train()
    while time.time() - start < budget:
        frac = (time.time() - start) / budget
        warm = min(1.0, (step - first + 1) / 100)
        for g in opt.param_groups:
            g["lr"] = args.lr * warm * (args.lr_floor + (1 - args.lr_floor) * 0.5 * (1 + math.cos(math.pi * frac)))
        x, y, v = pool.batch(args.batch, args.crop)
        loss = loss_fn(net(x), y, v)
        opt.zero_grad()
        loss.backward()
        opt.step()
        step += 1
        seen += args.batch
        avg = loss.item() if avg is None else 0.98 * avg + 0.02 * loss.item()
        if step % 10 == 0:
            pool.refresh(3)
        if step % 50 == 0:
            print(f"step {step} seen {seen} loss {avg:.4f} lr {opt.param_groups[0]['lr']:.2e} "
                  f"{(time.time() - start) / (step - first):.2f} s/step", flush=True)
        if step % args.check_every == 0:
            res = check(net, checks)
            save(avg, (time.time() - start) / 60)
            line = json.dumps({"step": step, "seen": seen, "loss": round(avg, 4), "iou@0.5": res,
                               "time": time.strftime("%H:%M:%S")})
            print(line, flush=True)
            log.write(line + "\n")
            log.flush()
    minutes = (time.time() - start) / 60
    meta = save(avg or 0.0, minutes)
    print(f"trained to step {step} ({seen} crops) in {minutes:.1f} min; calibrating", flush=True)
    meta["calibration"] = calibrate(net, held_out, np.random.default_rng(11))
    torch.save({"model": net.state_dict(), "opt": opt.state_dict(), "meta": meta}, RUN_DIR / "last.pt")
    export(net, meta)


if __name__ == "__main__":
    main()
