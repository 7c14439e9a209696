"""The int8 rewrite (training/quantize.py) on a small two-convolution graph, run in onnxruntime-node."""
import tempfile
import unittest
from pathlib import Path

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

ROOT = Path(__file__).resolve().parents[2]
import quantize
from patina_train import ort_bridge


def two_convs(rng: np.random.Generator) -> onnx.ModelProto:
    """image (1,3,H,W) -> Conv 3x3 -> LeakyRelu -> Conv 3x3 (reads the first's output twice removed) -> output."""
    w1 = rng.normal(0, 0.3, (8, 3, 3, 3)).astype(np.float32)
    b1 = rng.normal(0, 0.1, 8).astype(np.float32)
    w2 = rng.normal(0, 0.2, (3, 8, 3, 3)).astype(np.float32)
    b2 = rng.normal(0, 0.1, 3).astype(np.float32)
    nodes = [
        helper.make_node("Conv", ["image", "w1", "b1"], ["c1"], name="/net/a/Conv", pads=[1, 1, 1, 1]),
        helper.make_node("LeakyRelu", ["c1"], ["r1"], alpha=0.2),
        helper.make_node("Conv", ["r1", "w2", "b2"], ["output"], name="/net/b/Conv", pads=[1, 1, 1, 1]),
    ]
    graph = helper.make_graph(
        nodes, "two_convs",
        [helper.make_tensor_value_info("image", TensorProto.FLOAT, [1, 3, "h", "w"])],
        [helper.make_tensor_value_info("output", TensorProto.FLOAT, [1, 3, "h", "w"])],
        [numpy_helper.from_array(a, n) for a, n in ((w1, "w1"), (b1, "b1"), (w2, "w2"), (b2, "b2"))])
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])


class QuantiseTest(unittest.TestCase):
    def test_uint8_parameters_keep_zero_exact_and_cover_the_range(self):
        scale, zero = quantize.uint8_params(-1.0, 3.0)
        self.assertAlmostEqual(scale, 4.0 / 255.0)
        self.assertEqual(zero, round(1.0 / scale))
        # A range that does not hold zero is widened to hold it: padding and ReLU outputs are zeros.
        scale, zero = quantize.uint8_params(0.5, 2.0)
        self.assertEqual(zero, 0)
        self.assertAlmostEqual(scale, 2.0 / 255.0)

    def test_the_rewritten_graph_runs_and_stays_within_the_quantisation_error(self):
        rng = np.random.default_rng(3)
        model = two_convs(rng)
        image = rng.random((1, 3, 32, 32), dtype=np.float32)
        with tempfile.TemporaryDirectory() as d:
            work = Path(d)
            convs = quantize.conv_nodes(model, keep=set())
            names = sorted({t for c in convs for t in (c.input[0], c.output[0])})
            ranges = quantize.calibrate(model, names, [{"image": image}], work)
            self.assertEqual(set(ranges), {"image", "c1", "r1", "output"})
            float_path = work / "float.onnx"
            onnx.save(model, str(float_path))
            ref, _ = ort_bridge.run(float_path, {"image": image}, ["output"])
            q = quantize.quantise(model, convs, ranges)
            onnx.checker.check_model(q)
            ops = [n.op_type for n in q.graph.node]
            self.assertEqual(ops.count("QuantizeLinear"), 4)  # image, c1, r1, output
            self.assertIn(TensorProto.INT8, {t.data_type for t in q.graph.initializer})
            q_path = work / "int8.onnx"
            onnx.save(q, str(q_path))
            got, _ = ort_bridge.run(q_path, {"image": image}, ["output"])
        err = np.abs(got["output"] - ref["output"])
        out_lo, out_hi = ranges["output"]
        step = (max(out_hi, 0) - min(out_lo, 0)) / 255.0
        # A few output steps: four roundings (input, hidden, its activation, output) and 7-bit weights.
        # Saturating int16 pair sums (full-range weights on x86 without VNNI) gave 23 steps here.
        self.assertLess(float(err.max()), 6 * step)
        self.assertGreater(float(err.max()), 0.0)  # it did run quantised, not as the float graph

    def test_only_and_keep_choose_the_convolutions(self):
        model = two_convs(np.random.default_rng(1))
        self.assertEqual([c.name for c in quantize.conv_nodes(model, {"/net/b/Conv"})], ["/net/a/Conv"])
        self.assertEqual([c.name for c in quantize.conv_nodes(model, set(), ("/net/b/",))], ["/net/b/Conv"])


if __name__ == "__main__":
    unittest.main()
