"""The mirror self-ensemble: what it computes, and that the exported graph matches it."""
import shutil
import tempfile
import unittest
from pathlib import Path

import numpy as np
import torch

from patina_train import ort_bridge
from patina_train.model import NetConfig, PatinaCSA, mirror_ensemble
from export import export_onnx, torch_output

ORT = Path(__file__).resolve().parents[2] / "node_modules" / "onnxruntime-node"


def small_net() -> PatinaCSA:
    torch.manual_seed(3)
    return PatinaCSA(NetConfig(rough=(8, 8, 8, 8), refine=(8, 8, 8, 8))).eval()


def case(seed: int, h: int = 64, w: int = 96):
    rng = np.random.default_rng(seed)
    img = torch.from_numpy(rng.random((1, 3, h, w), dtype=np.float32))
    m = torch.zeros(1, 1, h, w)
    m[:, :, 16:40, 10:50] = 1  # off-centre, so the mirrored pass sees a different layout
    return img, m


class MirrorEnsembleTest(unittest.TestCase):
    def test_keeps_known_pixels_and_commutes_with_mirroring(self):
        net = small_net()
        run = torch_output(net, mirror=True)
        img, m = case(1)
        with torch.no_grad():
            out = run(img, m)
            out_of_mirrored = run(torch.flip(img, [3]), torch.flip(m, [3]))
            single = torch_output(net, mirror=False)(img, m)
        known = m == 0
        self.assertTrue(torch.equal(out.expand_as(img)[known.expand_as(img)], img[known.expand_as(img)]))
        self.assertLess(float((torch.flip(out_of_mirrored, [3]) - out).abs().max()), 1e-6)
        # An untrained net is not mirror-symmetric, so the ensemble differs from one pass in the hole.
        self.assertGreater(float((out - single).abs().max()), 1e-4)

    def test_is_the_mean_of_the_two_passes(self):
        calls = []

        def run(i, m):
            calls.append(i.clone())
            return i * 0 + float(len(calls))  # first pass 1, second 2

        img, m = case(2)
        out = mirror_ensemble(run, img, m)
        self.assertEqual(len(calls), 2)
        self.assertTrue(torch.equal(calls[1], torch.flip(img, [3])))
        self.assertTrue(torch.allclose(out, torch.full_like(img, 1.5)))


@unittest.skipUnless(ORT.exists() and shutil.which("node"), "onnxruntime-node not installed (run npm ci)")
class MirrorExportTest(unittest.TestCase):
    def test_exported_mirror_graph_matches_pytorch(self):
        net = small_net()
        ref_fn = torch_output(net, mirror=True)
        with tempfile.TemporaryDirectory() as d:
            path = Path(d) / "mirror.onnx"
            export_onnx(net, path, mirror=True)
            for seed, (h, w) in ((4, (64, 96)), (5, (96, 64))):
                img, m = case(seed, h, w)
                with torch.no_grad():
                    ref = ref_fn(img, m).numpy()
                got, _ = ort_bridge.run(path, {"image": img.numpy(), "mask": m.numpy()}, ["output"])
                self.assertLess(float(np.abs(got["output"] - ref).max()), 1e-4)


if __name__ == "__main__":
    unittest.main()
