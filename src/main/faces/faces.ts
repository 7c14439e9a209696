/**
 * Face finding, so the editor can warn when marks fall on a face (a fill
 * there can change who the person looks like). The model is face-api's Tiny
 * Face Detector (MIT), rebuilt and exported by
 * training/faces/convert_tiny_face.py into <models>/faces/ with its own
 * manifest (role "faces"), hash-checked before loading like the other models.
 *
 * ONNX contract: input `image` float32 [1,3,S,S] RGB in [0,1], S a multiple
 * of 32: the photo padded right and bottom with black to a square, then
 * resized to S x S. Output `grid` float32 [1,25,S/32,S/32]: per cell and
 * anchor (channel = anchor * 5 + k) the logits of the box centre x, y (in
 * the cell), log width, log height (in anchor units of cells) and score.
 * Decoding and non-maximum suppression follow face-api's TinyYolov2Base.
 */
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import { EngineError } from '../errors/engine-error';
import { loadOncePerFolder } from '../inference/load-once';
import type { ModelEntry } from '../inference/manifest';
import { ONE_THREAD, openModel } from '../inference/open-model';
import type { PhotoPixels } from '../imaging/photo';
import type { FaceBox } from '@shared/ipc/defects';

/** A face in photo pixels (EXIF orientation applied), top-left origin; the IPC result's record. */
export type { FaceBox };

export interface FaceModel {
  readonly session: ort.InferenceSession;
  readonly entry: ModelEntry;
  /** Anchor sizes [w, h] in grid cells. */
  readonly anchors: readonly (readonly [number, number])[];
  readonly scoreThreshold: number;
  readonly iouThreshold: number;
  /** face-api's own input side, px. */
  readonly inputSize: number;
  /** The input sides findFaces runs and merges by default: larger ones find smaller faces. */
  readonly inputSizes: readonly number[];
}

const loadOnce = loadOncePerFolder<FaceModel>(load);

/** The face model under `<modelsDir>/faces/`, loaded once per folder and process. */
export function loadFaceModel(modelsDir: string): Promise<FaceModel> {
  return loadOnce(path.resolve(modelsDir, 'faces'));
}

async function load(dir: string): Promise<FaceModel> {
  // One thread: the net is small (about 0.2 GMAC at 416 px) and runs beside detection.
  const { session, model } = await openModel(dir, 'faces', { name: 'face', input: 'image', output: 'grid', options: ONE_THREAD });
  const e = model.entry as Record<string, unknown>;
  const anchors = Array.isArray(e['anchors']) ? (e['anchors'] as [number, number][]) : [];
  if (anchors.length === 0 || !anchors.every((a) => Array.isArray(a) && a.length === 2 && a.every(Number.isFinite))) {
    throw new EngineError('MODEL_INVALID', `Face model manifest ${model.manifestPath} has no usable anchors`);
  }
  return {
    session,
    entry: model.entry,
    anchors,
    scoreThreshold: Number(e['scoreThreshold'] ?? 0.5),
    iouThreshold: Number(e['iouThreshold'] ?? 0.4),
    inputSize: model.entry.nativeResolution,
    inputSizes: sizesOf(e['inputSizes'], model.entry.nativeResolution, model.entry.inputMultiple),
  };
}

function sizesOf(value: unknown, fallback: number, multiple: number): number[] {
  if (!Array.isArray(value) || value.length === 0) return [fallback];
  if (!value.every((v) => Number.isInteger(v) && v > 0 && v % multiple === 0)) throw new EngineError('MODEL_INVALID', `Face model input sizes must be multiples of ${multiple}`);
  return value as number[];
}

export interface FindFacesOptions {
  /** Least score kept; default the manifest's scoreThreshold. */
  readonly minScore?: number;
  /** Network input sides (multiples of 32); default the manifest's inputSizes. */
  readonly sizes?: readonly number[];
}

/** The faces in a photo, best first. */
export async function findFaces(model: FaceModel, photo: PhotoPixels, options: FindFacesOptions = {}): Promise<FaceBox[]> {
  const side = Math.max(photo.width, photo.height);
  const boxes: FaceBox[] = [];
  for (const size of options.sizes ?? model.inputSizes) {
    const input = letterbox(photo, size);
    const out = await model.session.run({ image: new ort.Tensor('float32', input, [1, 3, size, size]) });
    const grid = out['grid']!;
    const [, channels, rows, cols] = grid.dims as [number, number, number, number];
    if (channels !== model.anchors.length * 5 || rows !== cols) {
      throw new EngineError('MODEL_INVALID', `The face model answered a [${grid.dims.join(',')}] grid; expected ${model.anchors.length * 5} channels on a square grid`);
    }
    boxes.push(...decodeGrid(grid.data as Float32Array, rows, model.anchors, options.minScore ?? model.scoreThreshold));
  }
  // Boxes are fractions of the padded square; the photo sits in its top-left corner.
  return suppress(boxes, model.iouThreshold).map((b) => clip({ x: b.x * side, y: b.y * side, width: b.width * side, height: b.height * side, score: b.score }, photo.width, photo.height));
}

/**
 * The network input: planar float32 RGB in [0,1], size x size, of the photo
 * padded right/bottom with black to a square and resized as TensorFlow's
 * resizeBilinear does without half-pixel centres (source = destination *
 * scale), which is how face-api feeds the net. A photo more than four times
 * the input side is box-reduced first, so the few samples bilinear takes
 * are not single pixels of a 12 MP scan.
 */
export function letterbox(photo: PhotoPixels, size: number): Float32Array {
  const src = photo.width > 4 * size || photo.height > 4 * size ? boxReduce(photo, Math.floor(Math.max(photo.width, photo.height) / (2 * size))) : toFloatRgb(photo);
  const { width: w, height: h, rgb } = src;
  const side = Math.max(w, h);
  const scale = side / size;
  const plane = size * size;
  const out = new Float32Array(3 * plane);
  const at = (x: number, y: number, c: number): number => (x < w && y < h ? rgb[(y * w + x) * 3 + c]! : 0);
  for (let oy = 0; oy < size; oy++) {
    const sy = oy * scale;
    const y0 = Math.floor(sy);
    const y1 = Math.min(y0 + 1, side - 1);
    const fy = sy - y0;
    for (let ox = 0; ox < size; ox++) {
      const sx = ox * scale;
      const x0 = Math.floor(sx);
      const x1 = Math.min(x0 + 1, side - 1);
      const fx = sx - x0;
      for (let c = 0; c < 3; c++) {
        const top = at(x0, y0, c) + (at(x1, y0, c) - at(x0, y0, c)) * fx;
        const bottom = at(x0, y1, c) + (at(x1, y1, c) - at(x0, y1, c)) * fx;
        out[c * plane + oy * size + ox] = top + (bottom - top) * fy;
      }
    }
  }
  return out;
}

interface FloatRgb {
  readonly width: number;
  readonly height: number;
  /** Interleaved RGB, 0..1. */
  readonly rgb: Float32Array;
}

function toFloatRgb(photo: PhotoPixels): FloatRgb {
  return boxReduce(photo, 1);
}

/** Interleaved RGB in [0,1] of the photo box-reduced by the integer f (grey repeated into three channels, alpha ignored). */
function boxReduce(photo: PhotoPixels, f: number): FloatRgb {
  const { width: W, height: H, channels, colourChannels, data } = photo;
  const width = Math.ceil(W / f);
  const height = Math.ceil(H / f);
  const max = photo.bitDepth === 16 ? 65535 : 255;
  const sums = new Float64Array(width * height * 3);
  const counts = new Uint32Array(width * height);
  for (let y = 0; y < H; y++) {
    const row = ((y / f) | 0) * width;
    for (let x = 0; x < W; x++) {
      const b = row + ((x / f) | 0);
      const j = (y * W + x) * channels;
      for (let c = 0; c < 3; c++) sums[b * 3 + c]! += data[j + (colourChannels === 3 ? c : 0)]!;
      counts[b]!++;
    }
  }
  const rgb = new Float32Array(width * height * 3);
  for (let b = 0; b < counts.length; b++) for (let c = 0; c < 3; c++) rgb[b * 3 + c] = sums[b * 3 + c]! / counts[b]! / max;
  return { width, height, rgb };
}

/** Boxes above minScore as fractions of the network input (face-api's extractBoxes). */
export function decodeGrid(grid: Float32Array, cells: number, anchors: FaceModel['anchors'], minScore: number): FaceBox[] {
  const plane = cells * cells;
  const out: FaceBox[] = [];
  for (let row = 0; row < cells; row++) {
    for (let col = 0; col < cells; col++) {
      for (let a = 0; a < anchors.length; a++) {
        const v = (k: number): number => grid[(a * 5 + k) * plane + row * cells + col]!;
        const score = sigmoid(v(4));
        if (score <= minScore) continue;
        const cx = (col + sigmoid(v(0))) / cells;
        const cy = (row + sigmoid(v(1))) / cells;
        const w = (Math.exp(v(2)) * anchors[a]![0]) / cells;
        const h = (Math.exp(v(3)) * anchors[a]![1]) / cells;
        out.push({ x: cx - w / 2, y: cy - h / 2, width: w, height: h, score });
      }
    }
  }
  return out;
}

/** Greedy non-maximum suppression: best first, dropping any box overlapping a kept one by more than `iou`. */
export function suppress(boxes: readonly FaceBox[], iou: number): FaceBox[] {
  const kept: FaceBox[] = [];
  for (const box of [...boxes].sort((a, b) => b.score - a.score)) {
    if (kept.every((k) => overlap(k, box) <= iou)) kept.push(box);
  }
  return kept;
}

/** Intersection over union of two boxes. */
export function overlap(a: Omit<FaceBox, 'score'>, b: Omit<FaceBox, 'score'>): number {
  const w = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const h = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  if (w <= 0 || h <= 0) return 0;
  const inter = w * h;
  return inter / (a.width * a.height + b.width * b.height - inter);
}

function clip(b: FaceBox, width: number, height: number): FaceBox {
  const x0 = Math.max(0, b.x);
  const y0 = Math.max(0, b.y);
  const x1 = Math.min(width, b.x + b.width);
  const y1 = Math.min(height, b.y + b.height);
  return { x: x0, y: y0, width: Math.max(0, x1 - x0), height: Math.max(0, y1 - y0), score: b.score };
}

function sigmoid(v: number): number {
  return 1 / (1 + Math.exp(-v));
}
