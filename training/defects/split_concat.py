"""The detector's graph with its skip connections joined by addition instead of concatenation.

Each decoder stage of DefectNet enlarges the coarser features 2x (bilinear),
concatenates them with the skip features and mixes the two with a 1x1
convolution. A 1x1 convolution of a concatenation is the sum of two 1x1
convolutions, one per part, and bilinear enlargement is a weighted mean (its
weights sum to one), so the coarse part's convolution (with no bias) can run
before the enlargement, at a quarter of the pixels:

    Conv1x1(Concat(Resize(c), s), W, b) = Resize(Conv1x1(c, W_c)) + Conv1x1(s, W_s, b)

The same function up to float rounding. It is faster in onnxruntime for two
reasons: the full-resolution concatenation (24 + 16 channels) is not a
multiple of the CPU kernels' channel block (16 with AVX-512), so onnxruntime
converted both inputs out of its blocked layout, concatenated them and
converted the result back (a quarter of the network's time on a 12 MP scan);
and the enlargement moves fewer channels. onnxruntime fuses the Add and the
ReLU into the skip convolution.

    PYTHONPATH=training /usr/bin/python3 -m defects.split_concat IN.onnx OUT.onnx

train_net.export applies it to every export; `onnx_weights.py` reads either form
back into a DefectNet.
"""
from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import onnx
from onnx import helper, numpy_helper


def split_concats(model: onnx.ModelProto) -> int:
    """Rewrites every Concat(Resize(c), s) -> 1x1 Conv in place; returns how many."""
    g = model.graph
    inits = {t.name: t for t in g.initializer}
    producer = {o: n for n in g.node for o in n.output}
    consumers: dict[str, list[onnx.NodeProto]] = {}
    for n in g.node:
        for i in n.input:
            consumers.setdefault(i, []).append(n)
    shapes = channel_counts(model)
    done = 0
    for cat in [n for n in g.node if n.op_type == "Concat"]:
        users = consumers.get(cat.output[0], [])
        resize = producer.get(cat.input[0])
        if len(cat.input) != 2 or len(users) != 1 or resize is None or resize.op_type != "Resize":
            continue
        conv = users[0]
        attrs = {a.name: helper.get_attribute_value(a) for a in conv.attribute}
        if conv.op_type != "Conv" or list(attrs.get("kernel_shape", [])) != [1, 1] or attrs.get("group", 1) != 1:
            continue
        if len(consumers.get(resize.output[0], [])) != 1:
            continue
        w = numpy_helper.to_array(inits[conv.input[1]])
        b = numpy_helper.to_array(inits[conv.input[2]]) if len(conv.input) > 2 else np.zeros(w.shape[0], np.float32)
        coarse_ch = shapes[resize.input[0]]
        name = conv.name
        wc, ws = f"{name}_coarse_w", f"{name}_skip_w"
        g.initializer.extend([numpy_helper.from_array(np.ascontiguousarray(w[:, :coarse_ch]), wc),
                              numpy_helper.from_array(np.ascontiguousarray(w[:, coarse_ch:]), ws),
                              numpy_helper.from_array(b.astype(np.float32), f"{name}_skip_b")])
        mixed, enlarged, skip = f"{name}_coarse", f"{name}_coarse_up", f"{name}_skip"
        new = [
            helper.make_node("Conv", [resize.input[0], wc], [mixed], name=f"{name}_coarse", kernel_shape=[1, 1]),
            helper.make_node("Resize", [mixed, *resize.input[1:]], [enlarged], name=resize.name,
                             **{a.name: helper.get_attribute_value(a) for a in resize.attribute}),
            helper.make_node("Conv", [cat.input[1], ws, f"{name}_skip_b"], [skip], name=f"{name}_skip", kernel_shape=[1, 1]),
            helper.make_node("Add", [skip, enlarged], [conv.output[0]], name=f"{name}_add"),
        ]
        at = list(g.node).index(resize)
        for n in (resize, cat, conv):
            g.node.remove(n)
        for k, n in enumerate(new):
            g.node.insert(at + k, n)
        done += 1
    used = {i for n in g.node for i in n.input}
    kept = [t for t in g.initializer if t.name in used]
    del g.initializer[:]
    g.initializer.extend(kept)
    # Intermediate shapes recorded by the exporter no longer hold.
    del g.value_info[:]
    return done


def channel_counts(model: onnx.ModelProto) -> dict[str, int]:
    inferred = onnx.shape_inference.infer_shapes(model)
    out = {}
    for vi in [*inferred.graph.value_info, *inferred.graph.input, *inferred.graph.output]:
        dims = vi.type.tensor_type.shape.dim
        if len(dims) == 4 and dims[1].HasField("dim_value"):
            out[vi.name] = dims[1].dim_value
    return out


def main() -> None:
    src, dst = Path(sys.argv[1]), Path(sys.argv[2])
    model = onnx.load(str(src))
    n = split_concats(model)
    onnx.checker.check_model(model)
    onnx.save(model, str(dst))
    print(f"{dst}: {n} concatenations split")


if __name__ == "__main__":
    main()
