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
import type { ModelEntry } from '../inference/manifest';
import { openModel } from '../inference/open-model';
import { sessionOptions } from '../inference/session';
import { blockSpan, coarserSums, type BlockSums } from './raster';

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
  const { session, model } = await openModel(dir, 'defects', { name: 'damage', input: 'image', output: 'logits', options: sessionOptions('cpu') });
  const threshold = Number((model.entry as Record<string, unknown>)['threshold'] ?? 0.5);
  return { session, entry: model.entry, threshold, inputMultiple: model.entry.inputMultiple };
}

/**
 * Damage probability per pixel of the box-reduced photo the block sums
 * describe: Float32Array of width*height, 0..1.
 */
export async function predictDamage(model: DefectModel, blocks: BlockSums): Promise<{ width: number; height: number; prob: Float32Array }> {
  const { width, height } = blocks;
  const { tensor, paddedWidth, paddedHeight } = inputTensor(blocks, model.inputMultiple);
  const feeds = { image: new ort.Tensor('float32', tensor, [1, 3, paddedHeight, paddedWidth]) };
  const out = await model.session.run(feeds);
  const logits = out['logits']!.data as Float32Array;
  const prob = new Float32Array(width * height);
  for (let y = 0; y < height; y++) {
    const row = y * paddedWidth;
    const o = y * width;
    for (let x = 0; x < width; x++) prob[o + x] = 1 / (1 + Math.exp(-logits[row + x]!));
  }
  return { width, height, prob };
}

/** A coarser pass runs only while its reduced photo keeps this short side, px. */
const MIN_PASS_SHORT_SIDE = 384;

/**
 * Damage probability at the working resolution (the photo reduced by f, whose
 * block sums are given) from up to `passes` runs of the network, on the photo
 * reduced by f, 2f, 4f...
 * The network learned strokes 1-8 px wide; a wider, softer scratch (a
 * high-resolution scan, an enlarged print) is that wide again on a reduced
 * copy. Each coarser map is enlarged bilinearly to the working grid, and a
 * pixel keeps its largest probability over the passes.
 */
export async function predictDamageMultiScale(
  model: DefectModel,
  blocks: BlockSums,
  passes: number,
): Promise<{ width: number; height: number; prob: Float32Array; passes: number }> {
  const { width, height, prob } = await predictDamage(model, blocks);
  let ran = 1;
  let coarse = blocks;
  for (let k = 1; k < passes; k++) {
    if (Math.min(blocks.sourceWidth, blocks.sourceHeight) / (2 * coarse.factor) < MIN_PASS_SHORT_SIDE) break;
    coarse = coarserSums(coarse);
    const run = await predictDamage(model, coarse);
    const enlarged = enlarge(run.prob, run.width, run.height, width, height, coarse.factor / blocks.factor);
    ran++;
    for (let i = 0; i < prob.length; i++) if (enlarged[i]! > prob[i]!) prob[i] = enlarged[i]!;
  }
  return { width, height, prob, passes: ran };
}

/**
 * A map of the photo reduced r times more than the grid, enlarged bilinearly
 * to the width x height grid (Float32Array): the values of `bilinear` at
 * each grid pixel's centre, with the column weights worked out once.
 */
function enlarge(map: Float32Array, mw: number, mh: number, width: number, height: number, r: number): Float32Array {
  const out = new Float32Array(width * height);
  if (r === 1) {
    out.set(map);
    return out;
  }
  // Grid pixel centre x sits at (x + 0.5) / r - 0.5 on the map's grid, clamped to it.
  const x0s = new Int32Array(width);
  const x1s = new Int32Array(width);
  const fxs = new Float64Array(width);
  for (let x = 0; x < width; x++) {
    const u = Math.min(mw - 1, Math.max(0, (x + 0.5) / r - 0.5));
    x0s[x] = u | 0;
    x1s[x] = (u | 0) + 1 < mw ? (u | 0) + 1 : u | 0;
    fxs[x] = u - (u | 0);
  }
  for (let y = 0; y < height; y++) {
    const v = Math.min(mh - 1, Math.max(0, (y + 0.5) / r - 0.5));
    const y0 = v | 0;
    const y1 = y0 + 1 < mh ? y0 + 1 : y0;
    const fy = v - y0;
    const top = y0 * mw;
    const bottom = y1 * mw;
    const o = y * width;
    for (let x = 0; x < width; x++) {
      const fx = fxs[x]!;
      const a = x0s[x]!;
      const b = x1s[x]!;
      const t = map[top + a]! * (1 - fx) + map[top + b]! * fx;
      const d = map[bottom + a]! * (1 - fx) + map[bottom + b]! * fx;
      out[o + x] = t * (1 - fy) + d * fy;
    }
  }
  return out;
}

/**
 * NCHW float32 RGB in [0,1] of the box-reduced photo (block sum / pixels in
 * the block / largest sample), padded right and bottom to multiples of
 * `multiple` by repeating the edge. Grey photos are repeated into three
 * channels.
 */
function inputTensor(blocks: BlockSums, multiple: number) {
  const { width, height, factor: f, sourceWidth, sourceHeight, sums, max } = blocks;
  const paddedWidth = Math.ceil(width / multiple) * multiple;
  const paddedHeight = Math.ceil(height / multiple) * multiple;
  const plane = paddedWidth * paddedHeight;
  const tensor = new Float32Array(3 * plane);
  const cols = new Float64Array(width);
  for (let bx = 0; bx < width; bx++) cols[bx] = blockSpan(bx, f, sourceWidth);
  for (let c = 0; c < 3; c++) {
    const from = (blocks.planes === 3 ? c : 0) * width * height;
    const base = c * plane;
    for (let by = 0; by < height; by++) {
      const rows = blockSpan(by, f, sourceHeight);
      const src = from + by * width;
      const dst = base + by * paddedWidth;
      for (let bx = 0; bx < width; bx++) tensor[dst + bx] = sums[src + bx]! / (rows * cols[bx]!) / max;
      // Edge padding: repeat the last column, then (below) the last row.
      const edge = tensor[dst + width - 1]!;
      for (let x = width; x < paddedWidth; x++) tensor[dst + x] = edge;
    }
    const last = base + (height - 1) * paddedWidth;
    for (let y = height; y < paddedHeight; y++) tensor.copyWithin(base + y * paddedWidth, last, last + paddedWidth);
  }
  return { tensor, paddedWidth, paddedHeight };
}
