#!/usr/bin/env python3
"""Export a checkpoint to the shipped ONNX model, check parity, write goldens and the manifest.

Usage: PYTHONPATH=training /usr/bin/python3 -m export --checkpoint training/runs/main/best.pt
           [--version 0.1.0] [--eval training/eval/latest.json]

Writes models/patina-csa.onnx, models/manifest.json (model entry), the resume
checkpoint training/checkpoints/patina-csa.pt (git-ignored, published as a
release asset; its sha256 goes to training/checkpoints/SHA256SUMS), and test fixtures:
test/fixtures/csa/ (CSA-only model + golden vectors for the TypeScript
reference) and test/fixtures/model-parity/ (PyTorch outputs of the full model
that the TypeScript tests compare against onnxruntime-node).
"""
from __future__ import annotations

import argparse
import hashlib
import json
import time
from pathlib import Path

import numpy as np
import onnx
import torch

from patina_train import csa_onnx, engine_eval, masks, ort_bridge
from patina_train.checkpoint import load_net
from patina_train.csa import csa_reference, grid_mask
from patina_train.model import (ExportWrapper, PatinaCSA, count_params,
                                mirror_ensemble)

ROOT = Path(__file__).resolve().parents[1]
MODELS = ROOT / "models"
MODEL_FILE = "patina-csa.onnx"
FIXTURES = ROOT / "test" / "fixtures"
PARITY_TOL = 1e-4


def torch_output(net: PatinaCSA, mirror: bool):
    """The PyTorch function the exported graph must match: (image, mask) -> output."""
    single = lambda i, m: net(i, m)["output"]  # noqa: E731
    return (lambda i, m: mirror_ensemble(single, i, m)) if mirror else single


def export_onnx(net: PatinaCSA, out: Path, mirror: bool = False) -> onnx.ModelProto:
    img = torch.rand(1, 3, 128, 128)
    m = torch.zeros(1, 1, 128, 128)
    m[:, :, 40:80, 30:90] = 1
    dyn = {"image": {2: "height", 3: "width"}, "mask": {2: "height", 3: "width"},
           "output": {2: "height", 3: "width"}}
    tmp = out.with_suffix(".tmp.onnx")
    torch.onnx.export(ExportWrapper(net, mirror), (img, m), str(tmp), input_names=["image", "mask"],
                      output_names=["output"], dynamic_axes=dyn, opset_version=csa_onnx.OPSET,
                      custom_opsets={csa_onnx.DOMAIN: 1}, do_constant_folding=True)
    model = csa_onnx.attach(onnx.load(str(tmp)))
    model.producer_name = "patina-training"
    onnx.checker.check_model(model)
    onnx.save(model, str(out))
    tmp.unlink()
    return model


def parity_cases(rng: np.random.Generator) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """image (1,3,H,W) [0,1] and mask (1,1,H,W) 1 = fill, for the parity checks."""
    cases = {}
    for size in (64, 96):
        img = rng.random((1, 3, size, size), dtype=np.float32)
        hole = masks.box(rng, size, size, (0.1, 0.2)) | masks.old_photo_damage(rng, size, size)
        cases[f"random_{size}"] = (img, hole[None, None].astype(np.float32))
    img = rng.random((1, 3, 64, 96), dtype=np.float32)
    cases["no_hole"] = (img, np.zeros((1, 1, 64, 96), np.float32))
    cases["all_hole"] = (img, np.ones((1, 1, 64, 96), np.float32))
    one = np.ones((1, 1, 64, 64), np.float32)
    one[:, :, 20:36, 20:36] = 0  # this 16x16 known block leaves exactly one known CSA grid position
    cases["one_known"] = (img[:, :, :, :64].copy(), one)
    box = np.zeros((1, 1, 128, 128), np.float32)
    box[:, :, 30:90, 40:100] = 1
    cases["box_128"] = (rng.random((1, 3, 128, 128), dtype=np.float32), box)
    return cases


def check_parity(net: PatinaCSA, model_path: Path, write_fixtures: bool, mirror: bool = False) -> float:
    run = torch_output(net, mirror)
    rng = np.random.default_rng(1234)
    worst = 0.0
    index = {}
    pdir = FIXTURES / "model-parity"
    if write_fixtures:
        pdir.mkdir(parents=True, exist_ok=True)
        for f in pdir.glob("*.bin"):
            f.unlink()
    for name, (img, m) in parity_cases(rng).items():
        with torch.no_grad():
            ref = run(torch.from_numpy(img), torch.from_numpy(m)).numpy()
        got, _ = ort_bridge.run(model_path, {"image": img, "mask": m}, ["output"])
        diff = float(np.abs(got["output"] - ref).max())
        worst = max(worst, diff)
        gm = grid_mask(torch.from_numpy(m)).numpy()
        if name == "one_known":
            assert int(gm.size - gm.sum()) == 1, "one_known must leave one known grid position"
        print(json.dumps({"parity": name, "max_abs_diff": diff, "grid_holes": int(gm.sum()),
                          "grid_known": int(gm.size - gm.sum())}))
        if write_fixtures:
            for key, arr in (("image", img), ("mask", m), ("output", ref)):
                arr.astype("<f4").tofile(pdir / f"{name}.{key}.bin")
            index[name] = {"dims": list(img.shape), "maskDims": list(m.shape)}
    if write_fixtures:
        (pdir / "index.json").write_text(json.dumps({"tolerance": PARITY_TOL, "cases": index}, indent=1))
    return worst


def write_csa_goldens() -> float:
    """Golden vectors: inputs and the ONNX function's outputs, checked against the float64 reference."""
    d = FIXTURES / "csa"
    d.mkdir(parents=True, exist_ok=True)
    model = csa_onnx.standalone_model()
    onnx.checker.check_model(model)
    onnx.save(model, str(d / "csa-only.onnx"))
    rng = np.random.default_rng(7)
    relu = lambda a: np.maximum(a, 0).astype(np.float32)  # noqa: E731
    cases = {
        "random": (relu(rng.normal(size=(1, 8, 10, 12))), (rng.random((1, 1, 10, 12)) > 0.6)),
        "dense_holes": (relu(rng.normal(size=(1, 16, 16, 16))), (rng.random((1, 1, 16, 16)) > 0.2)),
        "no_hole": (relu(rng.normal(size=(1, 4, 6, 7))), np.zeros((1, 1, 6, 7), bool)),
        "all_hole": (relu(rng.normal(size=(1, 4, 6, 7))), np.ones((1, 1, 6, 7), bool)),
        "one_known": (relu(rng.normal(size=(1, 4, 6, 7))), np.ones((1, 1, 6, 7), bool)),
        "ties": (np.ones((1, 3, 5, 5), np.float32), (rng.random((1, 1, 5, 5)) > 0.5)),
        "signed": (rng.normal(size=(1, 6, 8, 8)).astype(np.float32), (rng.random((1, 1, 8, 8)) > 0.5)),
    }
    cases["one_known"][1][0, 0, 2, 3] = False
    out, worst = {}, 0.0
    for name, (f, hole) in cases.items():
        m = hole.astype(np.float32)
        got, _ = ort_bridge.run(d / "csa-only.onnx", {"F": f, "M": m}, ["Y"])
        ref = csa_reference(torch.from_numpy(f).double(), torch.from_numpy(m).double()).numpy()
        worst = max(worst, float(np.abs(got["Y"] - ref).max()))
        out[name] = {"dims": list(f.shape), "F": f.ravel().tolist(), "M": m.ravel().tolist(),
                     "Y": got["Y"].ravel().tolist()}
    (d / "golden.json").write_text(json.dumps({"tolerance": 1e-5, "cases": out}))
    return worst


def gmac_at(net: PatinaCSA, size: int) -> float:
    """Multiply-accumulates of convolutions at size x size (the CSA op is counted apart)."""
    total = 0

    def hook(mod, inp, out):
        nonlocal total
        k = mod.kernel_size[0] * mod.kernel_size[1] * (mod.in_channels // mod.groups)
        total += out.numel() * k

    hs = [m.register_forward_hook(hook) for m in net.modules() if isinstance(m, torch.nn.Conv2d)]
    with torch.no_grad():
        net(torch.rand(1, 3, size, size), torch.zeros(1, 1, size, size))
    for h in hs:
        h.remove()
    return total / 1e9


def phases_until(step: int) -> list[dict]:
    """The training phases (training/history.json) that led to a checkpoint at `step`."""
    history = json.loads((ROOT / "training" / "history.json").read_text())["phases"]
    return [{"fromStep": ph["fromStep"], "text": ph["text"]} for ph in history if ph["fromStep"] < step]


def latency_512(model_path: Path) -> list[float]:
    rng = np.random.default_rng(5)
    img = rng.random((1, 3, 512, 512), dtype=np.float32)
    m = masks.validation_mask("box", 3, 512, 512)[None, None].astype(np.float32)
    _, times = ort_bridge.run(model_path, {"image": img, "mask": m}, ["output"], repeat=7)
    return times


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--checkpoint", required=True)
    ap.add_argument("--version", default="0.1.0")
    ap.add_argument("--eval", default=None, help="JSON written by evaluate.py for this checkpoint")
    ap.add_argument("--no-fixtures", action="store_true")
    ap.add_argument("--mirror", action="store_true",
                    help="ship the mirror self-ensemble (two passes per fill; evaluate with --mirror too)")
    args = ap.parse_args()
    torch.set_num_threads(2)

    net, state = load_net(Path(args.checkpoint))
    MODELS.mkdir(exist_ok=True)
    out = MODELS / MODEL_FILE
    evaluation = json.loads(Path(args.eval).read_text()) if args.eval else None
    if evaluation and bool(evaluation.get("mirror")) != args.mirror:
        raise SystemExit("--eval was scored with a different --mirror setting than this export")
    export_onnx(net, out, args.mirror)
    worst = check_parity(net, out, not args.no_fixtures, args.mirror)
    if worst > PARITY_TOL:
        raise SystemExit(f"parity failed: max |ONNX - PyTorch| = {worst:.3g} > {PARITY_TOL}")
    csa_worst = write_csa_goldens() if not args.no_fixtures else 0.0
    times = latency_512(out)
    ckpt_dir = ROOT / "training" / "checkpoints"
    ckpt_dir.mkdir(exist_ok=True)
    torch.save({"model": net.state_dict(), "cfg": state["cfg"], "step": state.get("step", 0),
                "images_seen": state.get("images_seen", 0), "losses": state.get("losses")},
               ckpt_dir / "patina-csa.pt")
    digest = hashlib.sha256((ckpt_dir / "patina-csa.pt").read_bytes()).hexdigest()
    (ckpt_dir / "SHA256SUMS").write_text(f"{digest}  training/checkpoints/patina-csa.pt\n")

    entry = {
        "role": "inpaint",
        "name": "Patina CSA",
        "version": args.version,
        **engine_eval.engine_fields(out, evaluation.get("holeReach") if evaluation else None),
        "opset": csa_onnx.OPSET,
        "customDomain": csa_onnx.DOMAIN,
        "inputs": {"image": "float32 [1,3,H,W] RGB in [0,1]; values under the mask are ignored",
                   "mask": "float32 [1,1,H,W], 1 = fill, 0 = keep; H, W multiples of inputMultiple"},
        "outputs": {"output": "float32 [1,3,H,W] RGB in [0,1], composited (known pixels unchanged)"},
        "parameters": count_params(net),
        "gmac512": round(gmac_at(net, 512) * (2 if args.mirror else 1), 3),
        "architecture": {"config": state["cfg"], "csaGrid": "1/8 of the input", "csaChannels": state["cfg"]["refine"][2],
                         "mirrorEnsemble": args.mirror},
        "training": {"steps": state.get("step", 0), "imagesSeen": state.get("images_seen", 0),
                     "losses": state.get("losses"), "phases": phases_until(state.get("step", 0)),
                     "checkpoint": "training/checkpoints/patina-csa.pt"},
        "parity": {"maxAbsDiffOnnxVsPytorch": worst, "csaFunctionVsFloat64Reference": csa_worst},
        "latency512msCpu2Threads": {"median": float(np.median(times)), "runs": times},
        "validation": evaluation,
        "licence": "Non-commercial use only (trained on ImageNet samples, BSDS500, SUN/Hays80 and "
                   "CelebA-HQ (CC BY-NC 4.0) photos; see models/README.md)",
        "exportedAt": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }
    mpath = MODELS / "manifest.json"
    manifest = json.loads(mpath.read_text()) if mpath.exists() else {"schemaVersion": 1, "models": []}
    manifest["models"] = [m for m in manifest["models"] if m.get("role") != "inpaint"] + [entry]
    mpath.write_text(json.dumps(manifest, indent=2) + "\n")
    print(json.dumps({"exported": str(out), "sha256": entry["sha256"], "parity": worst, "csa": csa_worst,
                      "latency512_median_ms": entry["latency512msCpu2Threads"]["median"],
                      "gmac512": entry["gmac512"], "params": entry["parameters"]}))


if __name__ == "__main__":
    main()
