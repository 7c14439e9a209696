#!/usr/bin/env node
// Reference outputs of @vladmandic/face-api's own Tiny Face Detector (its
// bundled TensorFlow.js, CPU backend), for checking the ONNX conversion.
//
//   node training/faces/face_api_reference.mjs --out DIR [--size 416] PHOTO...
//
// For each photo it writes, under DIR:
//   <stem>.input.f32   the network input face-api builds: float32 NHWC
//                      [1,S,S,3], RGB, photo padded right/bottom to a square
//                      with 0, resized bilinearly (TF, no half-pixel centres),
//                      minus the mean RGB, divided by 255;
//   <stem>.output.f32  the raw network output: float32 NHWC [1,S/32,S/32,25]
//                      (5 anchors x [x, y, w, h, score] logits);
// and DIR/reference.json (test/fixtures/faces/face-api-reference.json is one)
// with every photo's file, size and its face boxes
// (score > 0.3, after face-api's own decoding and NMS) in photo pixels.
// Photos are decoded with sharp as Patina decodes them (EXIF orientation
// applied, alpha dropped, 8-bit sRGB).
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';

const here = path.dirname(fileURLToPath(import.meta.url));
const packageDir = path.resolve(here, '../../node_modules/@vladmandic/face-api');

const args = process.argv.slice(2);
const outIndex = args.indexOf('--out');
const sizeIndex = args.indexOf('--size');
if (outIndex < 0) {
  console.error('usage: node training/faces/face_api_reference.mjs --out DIR [--size 416] PHOTO...');
  process.exit(2);
}
const out = args[outIndex + 1];
const size = sizeIndex >= 0 ? Number(args[sizeIndex + 1]) : 416;
const photos = args.filter((_, i) => i !== outIndex && i !== outIndex + 1 && i !== sizeIndex && i !== sizeIndex + 1);

const faceapi = await importFaceApi();
const tf = faceapi.tf;
const manifest = JSON.parse(await readFile(path.join(packageDir, 'model/tiny_face_detector_model-weights_manifest.json'), 'utf8'));
const bin = await readFile(path.join(packageDir, 'model/tiny_face_detector_model.bin'));
const weights = tf.io.decodeWeights(bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.byteLength), manifest[0].weights);
const net = faceapi.nets.tinyFaceDetector;
net.loadFromWeightMap(weights);

await mkdir(out, { recursive: true });
const reference = { package: '@vladmandic/face-api', version: JSON.parse(await readFile(path.join(packageDir, 'package.json'), 'utf8')).version, inputSize: size, photos: [] };
for (const photo of photos) {
  const { data, info } = await sharp(photo).rotate().removeAlpha().toColourspace('srgb').raw().toBuffer({ resolveWithObject: true });
  const image = tf.tensor3d(new Int32Array(data), [info.height, info.width, 3], 'int32');
  const input = await faceapi.toNetInput(image);
  const batch = tf.tidy(() => tf.cast(input.toBatchTensor(size, false), 'float32').sub(tf.tensor1d([117.001, 114.697, 97.404])).div(255));
  const raw = net.forwardInput(input, size);
  const stem = path.basename(photo).replace(/\.[^.]+$/, '');
  const name = `${path.basename(path.dirname(photo))}_${stem}`;
  await writeFile(path.join(out, `${name}.input.f32`), Buffer.from((await batch.data()).buffer));
  await writeFile(path.join(out, `${name}.output.f32`), Buffer.from((await raw.data()).buffer));
  const faces = await faceapi.detectAllFaces(image, new faceapi.TinyFaceDetectorOptions({ inputSize: size, scoreThreshold: 0.3 }));
  reference.photos.push({
    name,
    // Relative to the repository, as the unit test finds it.
    file: path.relative(path.resolve(here, '../..'), path.resolve(photo)),
    width: info.width,
    height: info.height,
    faces: faces.map((f) => ({ score: round(f.score), x: round(f.box.x), y: round(f.box.y), width: round(f.box.width), height: round(f.box.height) })),
  });
  tf.dispose([image, batch, raw]);
  console.log(`${name}: ${faces.length} face(s)`);
}
await writeFile(path.join(out, 'reference.json'), JSON.stringify(reference, null, 1) + '\n');

function round(v) {
  return Math.round(v * 1000) / 1000;
}

/**
 * The package's self-contained ES bundle (TensorFlow.js inside). Under Node it
 * would reach for Node's util module and tfjs-node, which the bundle does not
 * carry; with process.versions.node hidden while it loads, it takes the plain
 * JavaScript path, and gets a minimal platform and environment here (tensors
 * in, no canvas, no files).
 */
async function importFaceApi() {
  const node = process.versions.node;
  Object.defineProperty(process.versions, 'node', { value: undefined, configurable: true, writable: true });
  let api;
  try {
    api = await import(path.join(packageDir, 'dist/face-api.esm.js'));
  } finally {
    Object.defineProperty(process.versions, 'node', { value: node, configurable: true, writable: true });
  }
  const encoder = new TextEncoder();
  const decoder = new TextDecoder();
  api.tf.env().setPlatform('plain', {
    fetch: globalThis.fetch,
    now: () => performance.now(),
    encode: (text) => encoder.encode(text),
    decode: (bytes) => decoder.decode(bytes),
    isTypedArray: (a) => ArrayBuffer.isView(a) && !(a instanceof DataView),
    setTimeoutCustom: (f, delay) => setTimeout(f, delay),
  });
  class Stub {}
  api.env.setEnv({
    Canvas: Stub,
    CanvasRenderingContext2D: Stub,
    Image: Stub,
    ImageData: Stub,
    Video: Stub,
    createCanvasElement: () => new Stub(),
    createImageElement: () => new Stub(),
    createVideoElement: () => new Stub(),
    fetch: globalThis.fetch,
    readFile: () => Promise.reject(new Error('face_api_reference: tensors only')),
  });
  await api.tf.setBackend('cpu');
  await api.tf.ready();
  return api;
}
