"""The tone estimator: ONNX export against PyTorch (onnxruntime-node), the shipped model's
manifest, and the ageing the training draws."""
import hashlib
import json
import shutil
import tempfile
import unittest
from pathlib import Path

import numpy as np
import torch

from patina_train import data, ort_bridge, tone_train
from patina_train.tone_net import SIDE, ToneNet, ToneNetRich, age_batch, age_bench_batch, apply_points, ciede2000, delta_e2000

ROOT = Path(__file__).resolve().parents[2]
ORT = ROOT / "node_modules" / "onnxruntime-node"
SHIPPED = ROOT / "models" / "tone"


def _net(seed: int) -> ToneNet:
    """A net with every layer random (the last one starts at zero in training)."""
    torch.manual_seed(seed)
    net = ToneNet()
    torch.nn.init.normal_(net.head[-1].weight, std=0.05)
    torch.nn.init.normal_(net.head[-1].bias, std=0.05)
    return net.eval()


def _export_shipped(net: torch.nn.Module, folder: str) -> Path:
    """The net exported as the tone model ships (models/tone/patina-tone.onnx's names) into folder."""
    path = Path(folder) / "patina-tone.onnx"
    torch.onnx.export(net, torch.rand(1, 3, SIDE, SIDE), str(path), input_names=["image"], output_names=["points"], opset_version=17)
    return path


def _assert_same_answers(a: torch.nn.Module, b: torch.nn.Module, seed: int) -> None:
    x = torch.rand(2, 3, SIDE, SIDE, generator=torch.Generator().manual_seed(seed))
    with torch.no_grad():
        torch.testing.assert_close(a(x), b(x), atol=1e-6, rtol=0)


@unittest.skipUnless(ORT.exists() and shutil.which("node"), "onnxruntime-node not installed (run npm ci)")
class ToneOnnxTest(unittest.TestCase):
    def test_export_matches_pytorch(self):
        net = _net(3)
        gen = torch.Generator().manual_seed(5)
        clean = torch.rand(2, 3, SIDE, SIDE, generator=gen)
        _, aged = age_batch(clean, gen)
        with tempfile.TemporaryDirectory() as d:
            path = Path(d) / "tone.onnx"
            torch.onnx.export(net, aged[:1], str(path), input_names=["image"], output_names=["points"], opset_version=17)
            for x in (aged[:1], aged[1:], torch.zeros(1, 3, SIDE, SIDE)):
                got, _ = ort_bridge.run(path, {"image": x.numpy()}, ["points"])
                with torch.no_grad():
                    want = net(x).numpy()
                self.assertEqual(got["points"].shape, (1, 2, 3))
                np.testing.assert_allclose(got["points"], want, atol=1e-5)

    def test_rich_export_matches_pytorch(self):
        torch.manual_seed(4)
        net = ToneNetRich()
        for layer in (net.head[0], net.head[-1], net.confidence):
            torch.nn.init.normal_(layer.weight, std=0.05)
            torch.nn.init.normal_(layer.bias, std=0.05)
        torch.nn.init.constant_(net.confidence.bias, -7.0)
        net.eval()
        gen = torch.Generator().manual_seed(6)
        _, aged = age_batch(torch.rand(2, 3, SIDE, SIDE, generator=gen), gen, 0.2)
        with torch.no_grad():
            # The confidence really moves the points (not stuck at 1), so the export of that branch is checked too.
            self.assertLess(torch.clamp(torch.sigmoid(net.confidence(net.head[:-1](torch.zeros(1, net.head[0].in_features))) + 6) / 0.9975273768433653, max=1).item(), 1)
        with tempfile.TemporaryDirectory() as d:
            path = Path(d) / "tone.onnx"
            torch.onnx.export(net, aged[:1], str(path), input_names=["image"], output_names=["points"], opset_version=17)
            for x in (aged[:1], aged[1:], torch.full((1, 3, SIDE, SIDE), 0.5)):
                got, _ = ort_bridge.run(path, {"image": x.numpy()}, ["points"])
                with torch.no_grad():
                    want = net(x).numpy()
                np.testing.assert_allclose(got["points"], want, atol=1e-5)

    def test_shipped_model_matches_its_manifest_and_undoes_a_fade(self):
        manifest = json.loads((SHIPPED / "manifest.json").read_text())
        entry = manifest["models"][0]
        self.assertEqual(entry["role"], "tone")
        blob = (SHIPPED / entry["file"]).read_bytes()
        self.assertEqual(hashlib.sha256(blob).hexdigest(), entry["sha256"])
        # A training photo (never a validation one), faded with a magenta cast.
        train, val = data.split()
        photo = next(p for p in train if p.startswith("sun_hays80/"))
        self.assertNotIn(photo, val)
        img = data.read_rgb(data.DATA_DIR / photo)
        import cv2
        clean = torch.from_numpy(cv2.resize(img, (SIDE, SIDE), interpolation=cv2.INTER_AREA).transpose(2, 0, 1)).float()[None] / 255
        faded = torch.clamp((0.12 + 0.65 * clean) * torch.tensor([1.0, 0.84, 0.96]).view(1, 3, 1, 1), 0, 1)
        got, _ = ort_bridge.run(SHIPPED / entry["file"], {"image": faded.numpy()}, ["points"])
        out = apply_points(faded, torch.from_numpy(got["points"]))
        before = ((faded - clean) ** 2).mean().item()
        after = ((out - clean) ** 2).mean().item()
        self.assertLess(after, before / 4)


class RichNetTest(unittest.TestCase):
    def test_a_grafted_net_answers_as_the_plain_net_it_came_from(self):
        plain = _net(7)
        rich = ToneNetRich()
        rich.graft(plain.state_dict())
        rich.eval()
        x = torch.rand(3, 3, SIDE, SIDE, generator=torch.Generator().manual_seed(8))
        with torch.no_grad():
            torch.testing.assert_close(rich(x), plain(x), atol=1e-6, rtol=0)


    def test_a_shipped_plain_onnx_file_grafts_as_its_net(self):
        # Checkpoints are not kept in git: --graft reads a shipped plain net back from its ONNX initializers.
        plain = _net(9)
        with tempfile.TemporaryDirectory() as d:
            path = _export_shipped(plain, d)
            (Path(d) / "manifest.json").write_text(json.dumps({"models": [{"training": {"steps": 4626}}]}))
            ck = tone_train.load_exported(path)
        self.assertEqual(ck["step"], 4626)
        rich = ToneNetRich()
        rich.graft(ck["state"])
        _assert_same_answers(rich.eval(), plain, 10)


    def test_a_shipped_rich_onnx_file_resumes_as_its_net(self):
        # --resume from the shipped rich net's ONNX file: the same answers, and a plain export is refused.
        rich = ToneNetRich()
        with torch.no_grad():
            for w in rich.parameters():
                w.add_(0.01 * torch.randn(w.shape, generator=torch.Generator().manual_seed(w.numel())))
        rich.eval()
        with tempfile.TemporaryDirectory() as d:
            path = _export_shipped(rich, d)
            ck = tone_train.load_exported(path, "rich")
            with self.assertRaises(ValueError):
                tone_train.load_exported(path, "plain")
        back = ToneNetRich()
        back.load_state_dict(ck["state"])
        _assert_same_answers(back.eval(), rich, 11)


class Ciede2000Test(unittest.TestCase):
    def test_matches_sharma_wu_dalal_reference_pairs(self):
        # Pairs 1, 7, 13, 25 and 26 of Sharma, Wu and Dalal's test data (hue wrap and low chroma included).
        pairs = [
            ((50, 2.6772, -79.7751), (50, 0, -82.7485), 2.0425),
            ((50, 0, 0), (50, -1, 2), 2.3669),
            ((50, 2.49, -0.001), (50, -2.49, 0.0009), 7.1792),
            ((60.2574, -34.0099, 36.2677), (60.4626, -34.1751, 39.4387), 1.2644),
            ((63.0109, -31.0961, -5.8663), (62.8187, -29.7946, -4.0864), 1.2630),
        ]
        for a, b, want in pairs:
            got = ciede2000(torch.tensor(a, dtype=torch.float64).view(1, 3, 1), torch.tensor(b, dtype=torch.float64).view(1, 3, 1)).item()
            self.assertAlmostEqual(got, want, delta=0.002)

    def test_is_zero_for_equal_photos_and_has_finite_gradients_at_grey(self):
        grey = torch.full((1, 3, 4, 4), 0.5, requires_grad=True)
        d = delta_e2000(grey, torch.full((1, 3, 4, 4), 0.5))
        self.assertLess(d.item(), 0.01)
        d.sum().backward()
        self.assertTrue(torch.isfinite(grey.grad).all())


class AgeingTest(unittest.TestCase):
    def test_bench_family_stays_in_the_benchmarks_documented_ranges(self):
        # Black and white patches: a faded black is lifted 0.06-0.18 (times the cast's gain, plus its offset),
        # a faded white stays well above it; every photo gets a cast, and the target is the clean photo.
        clean = torch.cat([torch.zeros(200, 3, 8, 8), torch.ones(200, 3, 8, 8)], dim=3)
        target, aged = age_bench_batch(clean, torch.Generator().manual_seed(3))
        self.assertTrue(torch.equal(target, clean))
        black = aged[..., :8].mean(dim=(2, 3))
        white = aged[..., 8:].mean(dim=(2, 3))
        self.assertGreater(black.min().item(), 0.04)
        self.assertLess(black.max().item(), 0.23)
        self.assertGreater(white.min().item(), 0.45)
        spread = white.max(dim=1).values - white.min(dim=1).values
        self.assertGreater(spread.min().item(), 0.02)  # a dye cast on every photo
        _, again = age_bench_batch(clean, torch.Generator().manual_seed(3))
        self.assertTrue(torch.equal(aged, again))


    def test_same_seed_same_ageing_and_bw_targets_are_grey(self):
        clean = torch.rand(64, 3, 16, 16, generator=torch.Generator().manual_seed(1))
        t1, a1 = age_batch(clean, torch.Generator().manual_seed(9))
        t2, a2 = age_batch(clean, torch.Generator().manual_seed(9))
        self.assertTrue(torch.equal(a1, a2) and torch.equal(t1, t2))
        grey = (t1[:, 0] == t1[:, 1]).flatten(1).all(1) & (t1[:, 1] == t1[:, 2]).flatten(1).all(1)
        self.assertGreater(int(grey.sum()), 0)  # some B&W prints were drawn
        self.assertTrue(torch.equal(t1[~grey], clean[~grey]))  # the rest keep the clean photo as target
        self.assertTrue(((a1 >= 0) & (a1 <= 1)).all())
        self.assertTrue(torch.allclose(a1 * 255, torch.round(a1 * 255), atol=1e-4))  # 8-bit like a scan


if __name__ == "__main__":
    unittest.main()
