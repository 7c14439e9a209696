"""Run an ONNX model through onnxruntime-node from Python (Debian ships no
onnxruntime for Python). Tensors travel as raw float32 files in a temp folder."""
from __future__ import annotations

import json
import subprocess
import tempfile
from pathlib import Path

import numpy as np

SCRIPT = Path(__file__).resolve().parents[1] / "ort_run.cjs"
ROOT = Path(__file__).resolve().parents[2]


def run(model: Path, inputs: dict[str, np.ndarray], outputs: list[str], repeat: int = 1
        ) -> tuple[dict[str, np.ndarray], list[float]]:
    with tempfile.TemporaryDirectory() as d:
        spec = {"model": str(model), "inputs": {}, "outputs": outputs, "outDir": d, "repeat": repeat}
        for name, arr in inputs.items():
            f = Path(d) / f"in_{name}.bin"
            np.ascontiguousarray(arr, dtype=np.float32).tofile(f)
            spec["inputs"][name] = {"dims": list(arr.shape), "file": str(f)}
        (Path(d) / "spec.json").write_text(json.dumps(spec))
        subprocess.run(["node", str(SCRIPT), str(Path(d) / "spec.json")], check=True, cwd=ROOT)
        res, times = {}, []
        for name in outputs:
            meta = json.loads((Path(d) / f"{name}.json").read_text())
            res[name] = np.fromfile(Path(d) / f"{name}.bin", dtype=np.float32).reshape(meta["dims"])
            times = meta["times"]
        return res, times
