"""An int8 variant of the shipped inpainting model, by graph rewriting (Debian has
no onnxruntime for Python, so no onnxruntime.quantization).

Static QDQ quantisation of the convolutions: each Conv of the top-level graph
gets its input and output through QuantizeLinear/DequantizeLinear (uint8,
per-tensor, ranges calibrated on training photos with damage masks run through
onnxruntime-node), its weights as int8 per output channel and its bias as int32;
onnxruntime's graph optimiser then fuses each such group into a QLinearConv.
The CSA op (a model-local function of NonZero/MatMul/Scan) and everything
between the convolutions stays float. `--keep` leaves named convolutions float
(by default the two output convolutions, whose residuals reach the pixels).

    PYTHONPATH=training /usr/bin/python3 -m quantize --out training/runs/int8/models
    npm run bench -- --only runtime --candidate training/runs/int8/models
    PYTHONPATH=training /usr/bin/python3 -m evaluate --models-dir training/runs/int8/models --limit 20

writes a models folder (the ONNX file and a manifest naming it) that the engine,
the CLI and `evaluate.py --models-dir` take as they take models/.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

from patina_train import data, masks, ort_bridge

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_KEEP = ("/net/rough/out/Conv", "/net/refine/out/Conv")


# The largest int8 weight code: 7 bits, so a pair of uint8 x int8 products never passes int16 (255 * 63 * 2 < 32767).
WEIGHT_MAX = 63


def conv_nodes(model: onnx.ModelProto, keep: set[str], only: tuple[str, ...] = ()) -> list[onnx.NodeProto]:
    """The convolutions to quantise: not in `keep`, and named with one of the `only` prefixes when given."""
    inits = {i.name for i in model.graph.initializer}
    return [n for n in model.graph.node
            if n.op_type == "Conv" and n.name not in keep and n.input[1] in inits
            and (not only or n.name.startswith(only))]


def calibration_inputs(count: int, seed: int) -> list[dict[str, np.ndarray]]:
    """Crops of training photos (never the validation split) with damage, brush and box
    holes, their holes painted white as damage is: what the engine hands the model."""
    rng = np.random.default_rng(seed)
    train, _ = data.split()
    picks = rng.choice(len(train), size=count, replace=False)
    cases = []
    for k, idx in enumerate(picks):
        img = data.read_rgb(data.DATA_DIR / train[idx]).astype(np.float32) / 255.0
        side = (256, 384, 512)[k % 3]
        img = data.resize_short(img, side) if min(img.shape[:2]) < side else img
        h, w = img.shape[:2]
        y, x = rng.integers(0, h - side + 1), rng.integers(0, w - side + 1)
        crop = img[y:y + side, x:x + side]
        kind = ("damage", "brush", "box")[k % 3]
        hole = (masks.old_photo_damage(rng, side, side) if kind == "damage"
                else masks.brush(rng, side, side) if kind == "brush" else masks.box(rng, side, side))
        m = hole.astype(np.float32)
        crop = crop * (1 - m[..., None]) + m[..., None]
        cases.append({"image": np.ascontiguousarray(crop.transpose(2, 0, 1)[None]),
                      "mask": m[None, None]})
    return cases


def calibrate(model: onnx.ModelProto, names: list[str], cases: list[dict[str, np.ndarray]],
              work: Path) -> dict[str, tuple[float, float]]:
    """Min and max of each named tensor over the calibration crops, from onnxruntime-node."""
    probe = onnx.ModelProto()
    probe.CopyFrom(model)
    # Tensor names hold '/', which the bridge's file names cannot: each gets an Identity output.
    alias = {name: f"probe_{k}" for k, name in enumerate(names)}
    for name, out in alias.items():
        probe.graph.node.append(helper.make_node("Identity", [name], [out]))
        probe.graph.output.append(helper.make_tensor_value_info(out, TensorProto.FLOAT, None))
    path = work / "probe.onnx"
    onnx.save(probe, str(path))
    ranges = {n: (np.inf, -np.inf) for n in names}
    for i, case in enumerate(cases):
        got, _ = ort_bridge.run(path, case, list(alias.values()))
        for n in names:
            lo, hi = ranges[n]
            ranges[n] = (min(lo, float(got[alias[n]].min())), max(hi, float(got[alias[n]].max())))
        print(f"calibration crop {i + 1}/{len(cases)}", file=sys.stderr)
    path.unlink()
    return ranges


def uint8_params(lo: float, hi: float) -> tuple[float, int]:
    lo, hi = min(lo, 0.0), max(hi, 0.0)  # zero must be exact (padding, ReLU)
    scale = max(hi - lo, 1e-8) / 255.0
    return scale, int(np.clip(round(-lo / scale), 0, 255))


def quantise(model: onnx.ModelProto, convs: list[onnx.NodeProto],
             ranges: dict[str, tuple[float, float]]) -> onnx.ModelProto:
    g = model.graph
    inits = {i.name: i for i in g.initializer}
    new_inits: list[TensorProto] = []
    qdq: dict[str, str] = {}  # float tensor -> its quantised-dequantised copy
    before: dict[int, list[onnx.NodeProto]] = {}  # node index -> nodes to insert before it
    after: dict[int, list[onnx.NodeProto]] = {}

    def act_params(name: str) -> tuple[str, str, float]:
        scale, zp = uint8_params(*ranges[name])
        s, z = f"{name}_qscale", f"{name}_qzero"
        if s not in inits:
            new_inits.append(numpy_helper.from_array(np.array(scale, np.float32), s))
            new_inits.append(numpy_helper.from_array(np.array(zp, np.uint8), z))
            inits[s] = inits[z] = new_inits[-1]
        return s, z, scale

    index = {id(n): i for i, n in enumerate(g.node)}
    # A conv reading another quantised conv's output reads its DequantizeLinear already.
    for conv in convs:
        qdq[conv.output[0]] = conv.output[0]
    for conv in convs:
        i = index[id(conv)]
        x = conv.input[0]
        s, z, sx = act_params(x)
        if x not in qdq:
            q, dq = f"{x}_q", f"{x}_dq"
            before.setdefault(i, []).extend([
                helper.make_node("QuantizeLinear", [x, s, z], [q], name=f"{x}_Q"),
                helper.make_node("DequantizeLinear", [q, s, z], [dq], name=f"{x}_DQ")])
            qdq[x] = dq
        conv.input[0] = qdq[x]
        # Weights: int8 with 7 bits used (onnxruntime's reduce_range), symmetric, one scale per output
        # channel. x86 CPUs without VNNI multiply uint8 by int8 in pairs summed into int16
        # (vpmaddubsw), which saturates with full-range weights: errors of tens of output steps there.
        w = numpy_helper.to_array(inits[conv.input[1]]).astype(np.float64)
        sw = np.maximum(np.abs(w).reshape(w.shape[0], -1).max(axis=1), 1e-12) / WEIGHT_MAX
        wq = np.clip(np.round(w / sw.reshape(-1, *([1] * (w.ndim - 1)))), -WEIGHT_MAX, WEIGHT_MAX).astype(np.int8)
        wn = conv.input[1]
        new_inits += [numpy_helper.from_array(wq, f"{wn}_int8"),
                      numpy_helper.from_array(sw.astype(np.float32), f"{wn}_wscale"),
                      numpy_helper.from_array(np.zeros(w.shape[0], np.int8), f"{wn}_wzero")]
        before.setdefault(i, []).append(helper.make_node(
            "DequantizeLinear", [f"{wn}_int8", f"{wn}_wscale", f"{wn}_wzero"], [f"{wn}_wdq"], axis=0,
            name=f"{wn}_WDQ"))
        conv.input[1] = f"{wn}_wdq"
        if len(conv.input) > 2 and conv.input[2]:
            b = numpy_helper.to_array(inits[conv.input[2]]).astype(np.float64)
            sb = (sx * sw).astype(np.float32)
            bq = np.round(b / sb).astype(np.int32)
            bn = conv.input[2]
            new_inits += [numpy_helper.from_array(bq, f"{bn}_int32"),
                          numpy_helper.from_array(sb, f"{bn}_bscale"),
                          numpy_helper.from_array(np.zeros(w.shape[0], np.int32), f"{bn}_bzero")]
            before[i].append(helper.make_node(
                "DequantizeLinear", [f"{bn}_int32", f"{bn}_bscale", f"{bn}_bzero"], [f"{bn}_bdq"], axis=0,
                name=f"{bn}_BDQ"))
            conv.input[2] = f"{bn}_bdq"
        # Output: through Q/DQ so the optimiser sees DQ -> Conv -> Q and fuses a QLinearConv.
        y = conv.output[0]
        s, z, _ = act_params(y)
        conv.output[0] = f"{y}_float"
        after[i] = [helper.make_node("QuantizeLinear", [f"{y}_float", s, z], [f"{y}_oq"], name=f"{y}_OQ"),
                    helper.make_node("DequantizeLinear", [f"{y}_oq", s, z], [y], name=f"{y}_ODQ")]

    nodes = []
    for i, n in enumerate(g.node):
        nodes += before.get(i, []) + [n] + after.get(i, [])
    del g.node[:]
    g.node.extend(nodes)
    g.initializer.extend(new_inits)
    used = {name for n in g.node for name in n.input}
    kept = [t for t in g.initializer if t.name in used]
    del g.initializer[:]
    g.initializer.extend(kept)
    return model


def fp16_weights(model: onnx.ModelProto) -> onnx.ModelProto:
    """Every float weight of the top-level graph stored as float16 and cast back to float32 on
    load: half the file, the same float32 arithmetic (onnxruntime's x86 CPU kernels have no
    float16 convolution, so a float16 graph would only add casts)."""
    g = model.graph
    casts, kept = [], []
    for t in g.initializer:
        a = numpy_helper.to_array(t)
        if a.dtype != np.float32 or a.size < 16:
            kept.append(t)
            continue
        kept.append(numpy_helper.from_array(a.astype(np.float16), f"{t.name}_fp16"))
        casts.append(helper.make_node("Cast", [f"{t.name}_fp16"], [t.name], to=TensorProto.FLOAT, name=f"{t.name}_Cast"))
    del g.initializer[:]
    g.initializer.extend(kept)
    nodes = casts + list(g.node)
    del g.node[:]
    g.node.extend(nodes)
    return model


def write_models_dir(model: onnx.ModelProto, out: Path, source_dir: Path, note: str, suffix: str = "int8") -> Path:
    out.mkdir(parents=True, exist_ok=True)
    manifest = json.loads((source_dir / "manifest.json").read_text())
    entry = next(m for m in manifest["models"] if m["role"] == "inpaint")
    name = Path(entry["file"]).stem + f"-{suffix}.onnx"
    path = out / name
    onnx.save(model, str(path))
    raw = path.read_bytes()
    entry.update({"file": name, "sha256": hashlib.sha256(raw).hexdigest(), "bytes": len(raw),
                  "version": entry["version"] + f"-{suffix}", "quantisation": note})
    entry.pop("validation", None)
    manifest["models"] = [entry]
    (out / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")
    return path


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--models-dir", type=Path, default=ROOT / "models")
    ap.add_argument("--out", type=Path, default=ROOT / "training" / "runs" / "int8" / "models")
    ap.add_argument("--crops", type=int, default=24, help="calibration crops (256/384/512 px)")
    ap.add_argument("--seed", type=int, default=22)
    ap.add_argument("--keep", nargs="*", default=list(DEFAULT_KEEP),
                    help="Conv node names left in float")
    ap.add_argument("--only", nargs="*", default=[],
                    help="quantise only convolutions whose names start with one of these (e.g. /net/rough/)")
    ap.add_argument("--fp16-weights", action="store_true",
                    help="instead of int8: float16 weights cast to float32 on load (no calibration)")
    ap.add_argument("--reuse-ranges", action="store_true", help="take the ranges of a previous run in --out")
    args = ap.parse_args()
    manifest = json.loads((args.models_dir / "manifest.json").read_text())
    entry = next(m for m in manifest["models"] if m["role"] == "inpaint")
    model = onnx.load(str(args.models_dir / entry["file"]))
    if args.fp16_weights:
        path = write_models_dir(fp16_weights(model), args.out, args.models_dir,
                                "float16 weights, cast to float32 on load", suffix="fp16w")
        print(json.dumps({"model": str(path), "bytes": path.stat().st_size}))
        return
    convs = conv_nodes(model, set(args.keep), tuple(args.only))
    names = sorted({t for c in convs for t in (c.input[0], c.output[0])})
    args.out.mkdir(parents=True, exist_ok=True)
    cached = args.out / "ranges.json"
    if args.reuse_ranges and cached.exists():
        ranges = {k: tuple(v) for k, v in json.loads(cached.read_text()).items()}
    else:
        ranges = calibrate(model, names, calibration_inputs(args.crops, args.seed), args.out)
        cached.write_text(json.dumps(ranges, indent=1))
    # A tensor that never left zero on the calibration crops (the refinement's CSA output on this
    # model) has no range to quantise to; its convolutions stay float.
    flat = {n for n, (lo, hi) in ranges.items() if hi - lo < 1e-6}
    skipped = [c.name for c in convs if c.input[0] in flat or c.output[0] in flat]
    convs = [c for c in convs if c.name not in skipped]
    args.keep = [*args.keep, *skipped]
    total = sum(1 for n in model.graph.node if n.op_type == "Conv")
    q = quantise(model, convs, ranges)
    onnx.checker.check_model(q)
    note = (f"int8 QDQ: {len(convs)} of {total} convolutions{' (' + ', '.join(args.only) + ')' if args.only else ''} "
            f"(uint8 activations per tensor, min/max over {args.crops} training crops; int8 weights per channel)")
    path = write_models_dir(q, args.out, args.models_dir, note)
    print(json.dumps({"model": str(path), "bytes": path.stat().st_size, "quantised": len(convs), "note": note}))


if __name__ == "__main__":
    main()
