/**
 * The learned tone estimator (training/patina_train/tone_net.py): from a
 * 128 x 128 thumbnail it predicts each colour channel's black and white
 * point, which Auto turns into one per-channel map (auto.ts). Its model lives
 * in <models>/tone/ with its own manifest (role "tone"), hash-checked before
 * loading like the other models. Without that folder Auto falls back to its
 * classical percentile fit.
 *
 * ONNX contract: input `image` float32 [1,3,128,128] RGB in [0,1] (the photo
 * resized to 128 x 128, aspect ignored); output `points` float32 [1,2,3]:
 * row 0 the black points, row 1 the white points, 0..1 of full scale.
 */
import { access } from 'node:fs/promises';
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import { loadOncePerFolder } from '../inference/load-once';
import type { ModelEntry } from '../inference/manifest';
import { ONE_THREAD, openModel } from '../inference/open-model';
import { EngineError } from '../errors/engine-error';

export const ESTIMATOR_SIDE = 128;

export interface ToneEstimator {
  readonly session: ort.InferenceSession;
  readonly entry: ModelEntry;
}

/** Black and white points per colour channel (R, G, B), 0..1 of full scale. */
export interface TonePoints {
  readonly black: readonly number[];
  readonly white: readonly number[];
}

const loadOnce = loadOncePerFolder<ToneEstimator | null>(load);

/** The estimator under `<modelsDir>/tone/`, loaded once per folder and process; null when that folder has no manifest. */
export function loadToneEstimator(modelsDir: string): Promise<ToneEstimator | null> {
  return loadOnce(path.resolve(modelsDir, 'tone'));
}

async function load(dir: string): Promise<ToneEstimator | null> {
  try {
    await access(path.join(dir, 'manifest.json'));
  } catch {
    return null;
  }
  // One thread: the graph is tiny (a sort and four small convolutions); a second pool would cost more than it saves.
  const { session, model } = await openModel(dir, 'tone', { name: 'tone', input: 'image', output: 'points', options: ONE_THREAD });
  return { session, entry: model.entry };
}

/** Runs the estimator on a thumbnail: planar float32 RGB, ESTIMATOR_SIDE x ESTIMATOR_SIDE, 0..1. */
export async function estimatePoints(estimator: ToneEstimator, planar: Float32Array): Promise<TonePoints> {
  const n = ESTIMATOR_SIDE * ESTIMATOR_SIDE;
  if (planar.length !== 3 * n) throw new Error(`Tone estimator: thumbnail has ${planar.length} samples, expected ${3 * n}`);
  const out = await estimator.session.run({ image: new ort.Tensor('float32', planar, [1, 3, ESTIMATOR_SIDE, ESTIMATOR_SIDE]) });
  const p = out['points']!.data as Float32Array;
  if (p.length !== 6 || !p.every(Number.isFinite)) throw new EngineError('MODEL_INVALID', 'The tone model returned no usable black and white points');
  return { black: [p[0]!, p[1]!, p[2]!], white: [p[3]!, p[4]!, p[5]!] };
}
