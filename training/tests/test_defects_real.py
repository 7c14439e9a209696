"""The detector's real labelled sets, their fixed split, tolerant scores, and fine-tuning from the shipped ONNX."""
import unittest

import cv2
import numpy as np
import onnx
import torch
from onnx import numpy_helper

from defects import finetune_real
from defects import real_sets
from defects import train_net
from defects.onnx_weights import load_onnx_into
from defects.split_concat import split_concats
from patina_train import ort_bridge

# The validation quarter by the sorted-stem rule (index % 4 == 0); training/defects/real-split.ts must agree.
FRAMES_VALIDATION = ["mlts_007", "mlts_013", "mlts_022", "mlts_032", "mlts_042", "mlts_047",
                     "mlts_068", "mlts_081", "mlts_090"]


@unittest.skipUnless(real_sets.LABELLED_DIR.is_dir(), "needs ../shared/data/damage-labelled")
class SplitTest(unittest.TestCase):
    def test_fixed_quarter_held_out(self):
        frames = real_sets.pairs("film-frames")
        self.assertEqual(len(frames), 36)
        self.assertEqual([p.stem for p in frames if p.split == "validation"], FRAMES_VALIDATION)
        self.assertEqual(sum(p.split == "calibration" for p in frames), 9)
        scans = real_sets.pairs("film-scans")
        self.assertEqual([p.split for p in scans], ["validation", "train", "calibration", "train"])
        self.assertTrue(all(p.mask.is_file() for p in frames + scans))


class TolerantTest(unittest.TestCase):
    def test_shifted_stroke_counts_within_tolerance_only(self):
        truth = np.zeros((40, 40), bool)
        truth[5:35, 10] = True
        pred = np.zeros_like(truth)
        pred[5:35, 13] = True   # 3 px off: correct at tolerance 3, not at 2
        pred[5:15, 30] = True   # far away: a false alarm
        p, r, _ = real_sets.prf(real_sets.tolerant_counts(pred, truth, 3))
        self.assertAlmostEqual(p, 30 / 40)
        self.assertAlmostEqual(r, 1.0)
        self.assertEqual(real_sets.prf(real_sets.tolerant_counts(pred, truth, 2))[:2], (0.0, 0.0))
        self.assertEqual(real_sets.tolerance_px(1920, 1080), 6)


class FineTuneTest(unittest.TestCase):
    def test_shipped_onnx_loads_function_preserving(self):
        """The folded norms come back as identity norms: re-exporting gives the shipped weights."""
        net = train_net.DefectNet()
        load_onnx_into(net, train_net.MODEL_DIR / train_net.MODEL_FILE)
        net.eval()
        shipped = onnx.load(str(train_net.MODEL_DIR / train_net.MODEL_FILE))
        import io
        buf = io.BytesIO()
        torch.onnx.export(net, (torch.rand(1, 3, 32, 32),), buf, input_names=["image"], output_names=["logits"],
                          opset_version=17, do_constant_folding=True)
        again = onnx.load_from_string(buf.getvalue())
        split_concats(again)  # as train_net.export writes it
        key = lambda a: (a.shape, float(a.sum()))  # noqa: E731
        a = sorted((numpy_helper.to_array(t) for t in shipped.graph.initializer), key=key)
        b = sorted((numpy_helper.to_array(t) for t in again.graph.initializer), key=key)
        self.assertEqual(len(a), len(b))
        for x, y in zip(a, b):
            np.testing.assert_allclose(x, y, atol=1e-6)

    def test_split_skip_connections_compute_the_same_logits(self):
        """The shipped file, skip connections added as split_concat.py writes them, run by
        onnxruntime against the net it reads back into (which concatenates): the same logits."""
        net = train_net.DefectNet()
        load_onnx_into(net, train_net.MODEL_DIR / train_net.MODEL_FILE)
        net.eval()
        model = onnx.load(str(train_net.MODEL_DIR / train_net.MODEL_FILE))
        self.assertEqual(sum(n.op_type == "Concat" for n in model.graph.node), 0)
        x = torch.rand(1, 3, 40, 56)
        with torch.no_grad():
            want = net(x).numpy()
        got, _ = ort_bridge.run(train_net.MODEL_DIR / train_net.MODEL_FILE, {"image": x.numpy()}, ["logits"])
        np.testing.assert_allclose(got["logits"], want, atol=1e-4)

    def test_truth_ring_is_ignored_and_half_keeps_thin_strokes(self):
        mask = np.zeros((20, 20), bool)
        mask[:, 9:11] = True
        gt = finetune_real.target_of(mask)
        self.assertTrue((gt[:, 9:11] == 255).all())
        self.assertTrue((gt[:, 7:9] == 128).all() and (gt[:, 11:13] == 128).all())
        self.assertTrue((gt[:, :6] == 0).all())
        _, small = finetune_real.half(np.zeros((20, 20, 3), np.uint8), mask)
        self.assertEqual(small.shape, (10, 10))
        self.assertTrue(small[:, 4:6].any(axis=1).all())

    def test_creases_cross_the_print_and_paint_only_their_mask(self):
        from defects import old_look
        rng = np.random.default_rng(3)
        img = np.full((256, 320, 3), 110.0, np.float32)
        out, m = old_look.creases(img, rng)
        self.assertEqual(m.shape, (256, 320))
        self.assertTrue(m.any())
        # A fold spans much of the print, unlike a crack's fragment.
        ys, xs = np.nonzero(m)
        self.assertGreater(max(ys.max() - ys.min(), xs.max() - xs.min()), 100)
        # Nothing changes outside the mask but the edge of the fold's blur (1-2 px).
        changed = np.abs(out - img).max(axis=2) > 1
        near = cv2.dilate(m.astype(np.uint8), np.ones((5, 5), np.uint8)) > 0
        self.assertFalse((changed & ~near).any())

    def test_print_crops_rescale_with_their_truth(self):
        rng = np.random.default_rng(0)
        crops = finetune_real.PrintCrops([], rng, scale=(0.7, 1.4))
        img = np.zeros((200, 300, 3), np.uint8)
        img[:, 150:152] = 255
        gt = np.zeros((200, 300), np.uint8)
        gt[:, 150:152] = 255
        crops.damaged = [(img, gt)]
        for _ in range(10):
            im, g = crops.sample(128)
            self.assertEqual((im.shape, g.shape), ((128, 128, 3), (128, 128)))
            # The truth stays on the stroke (a bright column) wherever the crop and scale put it.
            if (g == 255).any():
                self.assertGreater(im[g == 255].mean(), im[g == 0].mean() + 50)


    def test_print_hot_spots_are_mined_outside_the_truth_and_keep_it(self):
        class Fires(torch.nn.Module):
            """Fires on bright pixels: the truth's stroke and an unmarked white patch (a collar)."""

            def forward(self, x: torch.Tensor) -> torch.Tensor:
                return (x.mean(1, keepdim=True) - 0.5) * 40

        img = np.zeros((300, 300, 3), np.uint8)
        img[:, 40:42] = 255
        img[200:230, 200:260] = 255
        mask = np.zeros((300, 300), bool)
        mask[:, 40:42] = True
        spots = finetune_real.PrintHotSpots(Fires(), [], np.random.default_rng(0))
        spots.prints = [(img, finetune_real.target_of(mask))]
        self.assertEqual(spots.remine(Fires()), 1)
        hot = spots.items[0][2]
        # Only the patch is a hot spot: the stroke and its ignored ring are the print's damage.
        self.assertTrue(((hot[:, 0] >= 200) & (hot[:, 0] < 230) & (hot[:, 1] >= 200) & (hot[:, 1] < 260)).all())
        for _ in range(10):
            im, g = spots.sample(128)
            self.assertEqual((im.shape, g.shape), ((128, 128, 3), (128, 128)))
            self.assertTrue((im[g == 255] == 255).all())
            self.assertGreater((im.mean(2) == 255).sum(), 0)

if __name__ == "__main__":
    unittest.main()
