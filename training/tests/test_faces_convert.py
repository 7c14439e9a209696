"""The face-api Tiny Face Detector rebuilt in torch (training/faces/convert_tiny_face.py)."""
import unittest

import numpy as np
import torch

from faces import convert_tiny_face as conv


@unittest.skipUnless(conv.MANIFEST.exists(), "needs npm ci (@vladmandic/face-api devDependency)")
class TinyFaceTest(unittest.TestCase):
    def test_weights_dequantise_to_the_manifest_shapes(self):
        w = conv.load_weights()
        self.assertEqual(w['conv0/filters'].shape, (3, 3, 3, 16))
        self.assertEqual(w['conv8/filters'].shape, (1, 1, 512, 25))
        self.assertTrue(all(np.isfinite(a).all() for a in w.values()))

    def test_grid_is_a_cell_per_32_px_at_every_multiple_of_32(self):
        net = conv.TinyFaceDetector().eval()
        net.load(conv.load_weights())
        with torch.no_grad():
            for side in (320, 416, 608):
                self.assertEqual(tuple(net(torch.rand(1, 3, side, side)).shape), (1, 25, side // 32, side // 32))

    def test_same_pool_pads_only_at_the_end_with_minus_infinity(self):
        x = -torch.arange(9.0).view(1, 1, 3, 3) - 1
        out = conv.pool_same(x, 2)
        # TF 'same' on 3 px with a 2x2/2 window: the last window holds one real row/column.
        self.assertEqual(out.shape[-2:], (2, 2))
        self.assertEqual(out[0, 0, 1, 1].item(), -9.0)


if __name__ == '__main__':
    unittest.main()
