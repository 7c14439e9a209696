"""The CSA ONNX function, run by onnxruntime-node, against the float64 reference."""
import shutil
import tempfile
import unittest
from pathlib import Path

import numpy as np
import onnx
import torch

from patina_train import csa_onnx, ort_bridge
from patina_train.csa import csa_reference

ORT = Path(__file__).resolve().parents[2] / "node_modules" / "onnxruntime-node"


@unittest.skipUnless(ORT.exists() and shutil.which("node"), "onnxruntime-node not installed (run npm ci)")
class OnnxFunctionTest(unittest.TestCase):
    def test_function_matches_reference_on_edge_cases(self):
        model = csa_onnx.standalone_model()
        onnx.checker.check_model(model)
        rng = np.random.default_rng(11)
        f = np.maximum(rng.normal(size=(1, 6, 9, 11)), 0).astype(np.float32)
        one = np.ones((1, 1, 9, 11), np.float32)
        one[0, 0, 4, 5] = 0
        cases = [(rng.random((1, 1, 9, 11)) > 0.5).astype(np.float32), np.zeros((1, 1, 9, 11), np.float32),
                 np.ones((1, 1, 9, 11), np.float32), one]
        with tempfile.TemporaryDirectory() as d:
            path = Path(d) / "csa.onnx"
            onnx.save(model, str(path))
            for m in cases:
                got, _ = ort_bridge.run(path, {"F": f, "M": m}, ["Y"])
                ref = csa_reference(torch.from_numpy(f).double(), torch.from_numpy(m).double()).numpy()
                self.assertLess(float(np.abs(got["Y"] - ref).max()), 1e-5)


if __name__ == "__main__":
    unittest.main()
