/**
 * The learned damage detector: a small segmentation network trained on
 * synthetic damage (training/defects/train_net.py), run with onnxruntime-node
 * on the CPU. Its model lives in <models>/defects/ with its own manifest
 * (role "defects"), hash-checked before loading like the inpainting model.
 *
 * ONNX contract: input `image` float32 [1,3,H,W] RGB in [0,1], H and W
 * multiples of the manifest's inputMultiple; output `logits` float32
 * [1,1,H,W]; sigmoid(logit) above the manifest's `threshold` = damage at the
 * default sensitivity.
 */
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import { loadOncePerFolder } from '../inference/load-once';
import { readModelManifest, type ModelEntry } from '../inference/manifest';
import { verifyModelFile } from '../inference/model-file';
import { sessionOptions } from '../inference/session';
import { EngineError } from '../errors/engine-error';
import { bilinear, type PixelSource } from './raster';

export interface DefectModel {
  readonly session: ort.InferenceSession;
  readonly entry: ModelEntry;
  /** Probability threshold at the default sensitivity (calibrated at training time). */
  readonly threshold: number;
  readonly inputMultiple: number;
}

const loadOnce = loadOncePerFolder<DefectModel>(load);

/** The defects model under `<modelsDir>/defects/`, loaded once per folder and process. */
export function loadDefectModel(modelsDir: string): Promise<DefectModel> {
  return loadOnce(path.resolve(modelsDir, 'defects'));
}

async function load(dir: string): Promise<DefectModel> {
  const model = await readModelManifest(dir, 'defects');
  await verifyModelFile(model);
  let session: ort.InferenceSession;
  try {
    session = await ort.InferenceSession.create(model.modelPath, sessionOptions('cpu'));
  } catch (err) {
    throw new EngineError('MODEL_INVALID', `Cannot load the damage model ${model.modelPath}`, String(err));
  }
  if (!session.inputNames.includes('image') || !session.outputNames.includes('logits')) {
    throw new EngineError('MODEL_INVALID', `Damage model ${model.modelPath} lacks input "image" or output "logits"`);
  }
  const threshold = Number((model.entry as Record<string, unknown>)['threshold'] ?? 0.5);
  return { session, entry: model.entry, threshold, inputMultiple: model.entry.inputMultiple };
}

/**
 * Damage probability per working-resolution pixel: Float32Array of
 * width*height (of the f-times box-reduced photo), 0..1.
 */
export async function predictDamage(model: DefectModel, image: PixelSource, f: number): Promise<{ width: number; height: number; prob: Float32Array }> {
  const { tensor, width, height, paddedWidth, paddedHeight } = inputTensor(image, f, model.inputMultiple);
  const feeds = { image: new ort.Tensor('float32', tensor, [1, 3, paddedHeight, paddedWidth]) };
  const out = await model.session.run(feeds);
  const logits = out['logits']!.data as Float32Array;
  const prob = new Float32Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) prob[y * width + x] = 1 / (1 + Math.exp(-logits[y * paddedWidth + x]!));
  }
  return { width, height, prob };
}

/** A coarser pass runs only while its reduced photo keeps this short side, px. */
const MIN_PASS_SHORT_SIDE = 384;

/**
 * Damage probability at the working resolution (the photo reduced by f) from
 * up to `passes` runs of the network, on the photo reduced by f, 2f, 4f...
 * The network learned strokes 1-8 px wide; a wider, softer scratch (a
 * high-resolution scan, an enlarged print) is that wide again on a reduced
 * copy. Each coarser map is enlarged bilinearly to the working grid, and a
 * pixel keeps its largest probability over the passes.
 */
export async function predictDamageMultiScale(
  model: DefectModel,
  image: PixelSource,
  f: number,
  passes: number,
): Promise<{ width: number; height: number; prob: Float32Array; passes: number }> {
  const { width, height, prob } = await predictDamage(model, image, f);
  let ran = 1;
  for (let k = 1; k < passes; k++) {
    const coarse = f * 2 ** k;
    if (Math.min(image.width, image.height) / coarse < MIN_PASS_SHORT_SIDE) break;
    const enlarged = await predictDamageOnGrid(model, image, coarse, f);
    ran++;
    for (let i = 0; i < prob.length; i++) if (enlarged[i]! > prob[i]!) prob[i] = enlarged[i]!;
  }
  return { width, height, prob, passes: ran };
}

/**
 * Damage probability of the photo reduced by `f`, enlarged bilinearly to the
 * grid of the photo reduced by `gridF` (Float32Array of that grid's pixels).
 */
export async function predictDamageOnGrid(model: DefectModel, image: PixelSource, f: number, gridF: number): Promise<Float32Array> {
  const run = await predictDamage(model, image, f);
  const width = Math.ceil(image.width / gridF);
  const height = Math.ceil(image.height / gridF);
  if (f === gridF) return run.prob;
  const r = f / gridF;
  const out = new Float32Array(width * height);
  for (let y = 0; y < height; y++) {
    // Grid pixel centre x sits at (x + 0.5) / r - 0.5 on the reduced photo's grid.
    const v = (y + 0.5) / r - 0.5;
    for (let x = 0; x < width; x++) out[y * width + x] = bilinear(run.prob, run.width, run.height, (x + 0.5) / r - 0.5, v);
  }
  return out;
}

/**
 * NCHW float32 RGB in [0,1] of the photo box-reduced by f, padded right and
 * bottom to multiples of `multiple` by repeating the edge. Grey photos are
 * repeated into three channels; alpha is ignored.
 */
function inputTensor(image: PixelSource, f: number, multiple: number) {
  const { width: W, height: H, channels, colourChannels, data } = image;
  const width = Math.ceil(W / f);
  const height = Math.ceil(H / f);
  const paddedWidth = Math.ceil(width / multiple) * multiple;
  const paddedHeight = Math.ceil(height / multiple) * multiple;
  const plane = paddedWidth * paddedHeight;
  const tensor = new Float32Array(3 * plane);
  const max = image.bitDepth === 16 ? 65535 : 255;
  const sums = new Float64Array(width * 3);
  const counts = new Uint32Array(width);
  for (let by = 0; by < height; by++) {
    sums.fill(0);
    counts.fill(0);
    for (let y = by * f; y < Math.min(H, (by + 1) * f); y++) {
      for (let x = 0; x < W; x++) {
        const bx = (x / f) | 0;
        const j = (y * W + x) * channels;
        for (let c = 0; c < 3; c++) sums[bx * 3 + c]! += data[j + (colourChannels === 3 ? c : 0)]!;
        counts[bx]!++;
      }
    }
    for (let bx = 0; bx < width; bx++) {
      for (let c = 0; c < 3; c++) tensor[c * plane + by * paddedWidth + bx] = sums[bx * 3 + c]! / counts[bx]! / max;
    }
  }
  // Edge padding: repeat the last column, then the last row.
  for (let c = 0; c < 3; c++) {
    const base = c * plane;
    for (let y = 0; y < height; y++) {
      const edge = tensor[base + y * paddedWidth + width - 1]!;
      for (let x = width; x < paddedWidth; x++) tensor[base + y * paddedWidth + x] = edge;
    }
    const last = base + (height - 1) * paddedWidth;
    for (let y = height; y < paddedHeight; y++) tensor.copyWithin(base + y * paddedWidth, last, last + paddedWidth);
  }
  return { tensor, width, height, paddedWidth, paddedHeight };
}
