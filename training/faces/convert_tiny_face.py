#!/usr/bin/env python3
"""Rebuilds face-api's Tiny Face Detector in torch from the package's weights
and exports it as models/faces/patina-faces.onnx with its manifest.

    /usr/bin/python3 training/faces/convert_tiny_face.py \
        [--reference DIR] [--out models/faces]

The weights come from the devDependency @vladmandic/face-api (MIT):
model/tiny_face_detector_model.bin, uint8-quantised per tensor, described by
tiny_face_detector_model-weights_manifest.json. The network is a Tiny-YOLOv2
with depthwise-separable layers (face-api src/tinyYolov2/TinyYolov2Base.ts,
runMobilenet; src/tinyFaceDetector/):

    conv 3x3 3->16 (valid) + bias, leaky 0.1, maxpool 2/2 'same'
    5 x [pad 1, depthwise 3x3, pointwise 1x1, + bias, leaky 0.1, maxpool]
      (16->32->64->128->256->512; the last maxpool has stride 1)
    conv 1x1 512->25 + bias: 5 anchors x [x, y, w, h, score] logits.

TensorFlow's 'same' 2x2 max pool pads at the right and bottom only, with
-inf; for input sides that are multiples of 32 the padding is the same at
every size (none, then one at the end for the 2nd pool and the stride-1 one),
so the exported graph takes any multiple of 32.

ONNX contract: input `image` float32 [1,3,S,S] RGB in [0,1] (S a multiple of
32), the photo padded right/bottom with black to a square and resized to S;
output `grid` float32 [1,25,S/32,S/32], raw logits, channel = anchor*5 + k.
The mean RGB face-api subtracts is inside the graph.

With --reference (the folder training/faces/face_api_reference.mjs wrote),
every dumped face-api input is run through the rebuilt net and its output is
compared with face-api's own; the largest difference goes into the manifest.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / 'node_modules' / '@vladmandic' / 'face-api'
MANIFEST = PACKAGE / 'model' / 'tiny_face_detector_model-weights_manifest.json'

# face-api src/tinyFaceDetector/const.ts
MEAN_RGB = (117.001, 114.697, 97.404)
ANCHORS = ((1.603231, 2.094468), (6.041143, 7.080126), (2.882459, 3.518061), (4.266906, 5.178857), (9.041765, 10.66308))
IOU_THRESHOLD = 0.4
CHANNELS = (16, 32, 64, 128, 256, 512)


def load_weights(manifest_path: Path = MANIFEST) -> dict[str, np.ndarray]:
    """The package's tensors, dequantised (q * scale + min), in TF layouts."""
    manifest = json.loads(manifest_path.read_text())[0]
    data = b''.join((manifest_path.parent / p).read_bytes() for p in manifest['paths'])
    out: dict[str, np.ndarray] = {}
    offset = 0
    for spec in manifest['weights']:
        count = int(np.prod(spec['shape']))
        q = spec.get('quantization')
        if q:
            assert q['dtype'] == 'uint8', q
            raw = np.frombuffer(data, dtype=np.uint8, count=count, offset=offset)
            values = raw.astype(np.float32) * np.float32(q['scale']) + np.float32(q['min'])
            offset += count
        else:
            values = np.frombuffer(data, dtype=np.float32, count=count, offset=offset).copy()
            offset += 4 * count
        out[spec['name']] = values.reshape(spec['shape'])
    assert offset == len(data), f'{len(data) - offset} bytes of weights left over'
    return out


def leaky(x: torch.Tensor) -> torch.Tensor:
    return F.leaky_relu(x, 0.1)


def pool_same(x: torch.Tensor, stride: int) -> torch.Tensor:
    """TF maxPool([2,2], stride, 'same'): pad right/bottom with -inf as needed."""
    # Python ints: traced as constants, which hold for every input side that is a multiple of 32.
    h, w = int(x.shape[-2]), int(x.shape[-1])
    pad_h = max((-(-h // stride) - 1) * stride + 2 - h, 0)
    pad_w = max((-(-w // stride) - 1) * stride + 2 - w, 0)
    if pad_h or pad_w:
        x = F.pad(x, (0, pad_w, 0, pad_h), value=float('-inf'))
    return F.max_pool2d(x, 2, stride)


class TinyFaceDetector(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.conv0 = nn.Conv2d(3, CHANNELS[0], 3)
        self.depthwise = nn.ModuleList(nn.Conv2d(c, c, 3, padding=1, groups=c, bias=False) for c in CHANNELS[:-1])
        self.pointwise = nn.ModuleList(nn.Conv2d(a, b, 1) for a, b in zip(CHANNELS[:-1], CHANNELS[1:]))
        self.conv8 = nn.Conv2d(CHANNELS[-1], 5 * len(ANCHORS), 1)
        self.register_buffer('mean', torch.tensor(MEAN_RGB).view(1, 3, 1, 1) / 255)

    def load(self, w: dict[str, np.ndarray]) -> None:
        def t(a: np.ndarray) -> torch.Tensor:
            return torch.from_numpy(np.ascontiguousarray(a))

        with torch.no_grad():
            # TF conv filters are [kh, kw, in, out]; depthwise [kh, kw, in, 1].
            self.conv0.weight.copy_(t(w['conv0/filters'].transpose(3, 2, 0, 1)))
            self.conv0.bias.copy_(t(w['conv0/bias']))
            for i, (dw, pw) in enumerate(zip(self.depthwise, self.pointwise), start=1):
                dw.weight.copy_(t(w[f'conv{i}/depthwise_filter'].transpose(2, 3, 0, 1)))
                pw.weight.copy_(t(w[f'conv{i}/pointwise_filter'].transpose(3, 2, 0, 1)))
                pw.bias.copy_(t(w[f'conv{i}/bias']))
            self.conv8.weight.copy_(t(w['conv8/filters'].transpose(3, 2, 0, 1)))
            self.conv8.bias.copy_(t(w['conv8/bias']))

    def features(self, x: torch.Tensor) -> torch.Tensor:
        """x: face-api's normalised input, NCHW ((RGB 0..255 - mean) / 255)."""
        x = pool_same(leaky(self.conv0(x)), 2)
        last = len(self.depthwise) - 1
        for i, (dw, pw) in enumerate(zip(self.depthwise, self.pointwise)):
            x = pool_same(leaky(pw(dw(x))), 1 if i == last else 2)
        return self.conv8(x)

    def forward(self, image: torch.Tensor) -> torch.Tensor:
        return self.features(image - self.mean)


def check_reference(net: TinyFaceDetector, folder: Path) -> dict:
    """Runs face-api's own dumped inputs through the rebuilt net; returns the largest differences."""
    ref = json.loads((folder / 'reference.json').read_text())
    size = int(ref['inputSize'])
    cells = size // 32
    worst = 0.0
    worst_score = 0.0
    for photo in ref['photos']:
        x = np.fromfile(folder / f"{photo['name']}.input.f32", dtype=np.float32).reshape(1, size, size, 3)
        expected = np.fromfile(folder / f"{photo['name']}.output.f32", dtype=np.float32).reshape(1, cells, cells, 25)
        with torch.no_grad():
            got = net.features(torch.from_numpy(x).permute(0, 3, 1, 2)).permute(0, 2, 3, 1).numpy()
        diff = float(np.abs(got - expected).max())
        score_diff = float(np.abs(sigmoid(got[..., 4::5]) - sigmoid(expected[..., 4::5])).max())
        worst = max(worst, diff)
        worst_score = max(worst_score, score_diff)
        print(f"{photo['name']}: max |logit difference| {diff:.2e}, max |score difference| {score_diff:.2e}")
    return {
        'package': ref['package'],
        'packageVersion': ref['version'],
        'inputSize': size,
        'photos': len(ref['photos']),
        'maxLogitDifference': float(f'{worst:.3g}'),
        'maxScoreDifference': float(f'{worst_score:.3g}'),
    }


def sigmoid(v: np.ndarray) -> np.ndarray:
    return 1 / (1 + np.exp(-v))


def export(net: TinyFaceDetector, path: Path, size: int) -> None:
    dummy = torch.rand(1, 3, size, size)
    torch.onnx.export(
        net,
        dummy,
        str(path),
        input_names=['image'],
        output_names=['grid'],
        dynamic_axes={'image': {2: 'height', 3: 'width'}, 'grid': {2: 'rows', 3: 'cols'}},
        opset_version=13,
        do_constant_folding=True,
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('--reference', type=Path, help='folder written by training/faces/face_api_reference.mjs')
    parser.add_argument('--out', type=Path, default=ROOT / 'models' / 'faces')
    parser.add_argument('--input-size', type=int, default=416, help="face-api's input side, the manifest's nativeResolution (a multiple of 32)")
    parser.add_argument('--sizes', default='320,416,608', help='input sides the engine runs and merges (small faces need the larger ones)')
    parser.add_argument('--score-threshold', type=float, default=0.5, help='least score the engine keeps (chosen on the contact sheet of the 26 real scans)')
    parser.add_argument('--max-tolerated', type=float, default=1e-3, help='largest logit difference from face-api accepted')
    args = parser.parse_args(argv)
    torch.set_num_threads(1)
    if not MANIFEST.exists():
        print(f'{MANIFEST} not found: run npm ci (the weights come from the devDependency @vladmandic/face-api)', file=sys.stderr)
        return 1

    net = TinyFaceDetector().eval()
    net.load(load_weights())
    parity = None
    if args.reference:
        parity = check_reference(net, args.reference)
        if parity['maxLogitDifference'] > args.max_tolerated:
            print(f"differs from face-api by {parity['maxLogitDifference']} > {args.max_tolerated}", file=sys.stderr)
            return 1

    args.out.mkdir(parents=True, exist_ok=True)
    onnx_path = args.out / 'patina-faces.onnx'
    export(net, onnx_path, args.input_size)
    check_onnx(net, onnx_path, args.input_size)
    package = json.loads((PACKAGE / 'package.json').read_text())
    entry = {
        'role': 'faces',
        'name': 'Tiny Face Detector (face-api)',
        'version': package['version'],
        'file': onnx_path.name,
        'sha256': hashlib.sha256(onnx_path.read_bytes()).hexdigest(),
        'bytes': onnx_path.stat().st_size,
        'inputMultiple': 32,
        'nativeResolution': args.input_size,
        'maxSide': args.input_size,
        'opset': 13,
        'inputs': {'image': 'float32 [1,3,S,S] RGB in [0,1]: the photo padded right/bottom with black to a square, resized to S (a multiple of 32)'},
        'outputs': {'grid': 'float32 [1,25,S/32,S/32] raw logits; channel = anchor * 5 + [x, y, w, h, score]'},
        'inputSizes': [int(v) for v in args.sizes.split(',')],
        'anchors': [list(a) for a in ANCHORS],
        'scoreThreshold': args.score_threshold,
        'iouThreshold': IOU_THRESHOLD,
        'status': 'shipped',
        'licence': 'MIT: face-api.js (c) Vincent Mühler, @vladmandic/face-api (c) Vladimir Mandic',
        'source': f"npm @vladmandic/face-api@{package['version']}, model/tiny_face_detector_model.bin (uint8-quantised weights, dequantised), rebuilt and exported by training/faces/convert_tiny_face.py",
    }
    if parity:
        entry['parity'] = parity
    manifest_path = args.out / 'manifest.json'
    existing = json.loads(manifest_path.read_text()) if manifest_path.exists() else {}
    # What training/faces/contact_sheet.ts measured on real scans survives a re-export.
    previous = (existing.get('models') or [{}])[0]
    if 'measured' in previous:
        entry['measured'] = previous['measured']
    manifest_path.write_text(json.dumps({'schemaVersion': 1, 'models': [entry]}, indent=2, ensure_ascii=False) + '\n')
    print(f'wrote {onnx_path} ({onnx_path.stat().st_size} bytes) and {manifest_path}')
    return 0


def check_onnx(net: TinyFaceDetector, path: Path, size: int) -> None:
    """The exported graph answers as the torch net does, at two sizes."""
    try:
        import onnxruntime as ort  # noqa: PLC0415 (optional: Debian's python may lack it)
    except ImportError:
        import onnx  # noqa: PLC0415

        onnx.checker.check_model(onnx.load(str(path)))
        print('onnxruntime not installed: checked the graph, not its outputs')
        return
    session = ort.InferenceSession(str(path), providers=['CPUExecutionProvider'])
    for side in (size, size + 192):
        x = torch.rand(1, 3, side, side)
        with torch.no_grad():
            expected = net(x).numpy()
        got = session.run(['grid'], {'image': x.numpy()})[0]
        print(f'onnx at {side}: max difference {np.abs(got - expected).max():.2e}')


if __name__ == '__main__':
    sys.exit(main())
