/**
 * The detector's tuned settings as functions of sensitivity (0..1) and of
 * scale (working short side / 512: sizes in px grow with the photo). Tuned on
 * the synthetic evaluation set (training/defects/evaluate.ts).
 */
import { DEFAULT_DETECT_SENSITIVITY } from '@shared/ipc/choices';
import type { CornerParams } from './corners';
import type { RefineParams } from './refine';
import type { ThinParams } from './thin';

/** 0 finds only the most obvious damage, 1 anything that might be damage (the IPC default too). */
export const DEFAULT_SENSITIVITY = DEFAULT_DETECT_SENSITIVITY;

/**
 * Where strokes are traced (hysteresis low threshold) does not depend on
 * sensitivity: only which traced components are kept does. So the mask at a
 * higher sensitivity always contains the mask at a lower one.
 */
const LOW_SCORE = 2;
const MIN_CONTRAST = 8;

/**
 * Probability threshold of the learned detector: the calibrated one at the
 * default sensitivity, moved by up to 2 logits either way (monotone).
 */
export function learnedThreshold(calibrated: number, sensitivity: number): number {
  const t = Math.min(0.999, Math.max(0.001, calibrated));
  const logit = Math.log(t / (1 - t)) + 4 * (DEFAULT_SENSITIVITY - sensitivity);
  return 1 / (1 + Math.exp(-logit));
}

/**
 * Learned detector's hysteresis (grow.ts): a pixel connected to a seed (a
 * pixel above learnedThreshold) is damage down to this many logits under it.
 * 0 turns growing off.
 */
export const LEARNED_GROW_LOGITS = 0;

/** Seed and grow thresholds of the learned detector at a sensitivity: the grow one `growLogits` logits lower. */
export function learnedThresholds(calibrated: number, sensitivity: number, growLogits = LEARNED_GROW_LOGITS): { seed: number; grow: number } {
  const seed = learnedThreshold(calibrated, sensitivity);
  return { seed, grow: 1 / (1 + Math.exp(growLogits - Math.log(seed / (1 - seed)))) };
}

/** Threshold multiplier: sensitivity 0 doubles every acceptance threshold, 1 halves it. */
function thresholdScale(sensitivity: number): number {
  return 2 ** ((0.5 - sensitivity) * 2);
}

/** Fine scale: hairline scratches, cracks and small dust at their own width. */
export function fineParams(sensitivity: number, scale: number, override: Partial<ThinParams> = {}): ThinParams {
  return thinParams(sensitivity, scale, { radius: Math.max(1, Math.round(2 * scale)), maxWidth: 4 * scale, dustMaxArea: 30 * scale * scale }, override);
}

/** Coarse scale: wider cracks and larger specks. */
export function coarseParams(sensitivity: number, scale: number, override: Partial<ThinParams> = {}): ThinParams {
  return thinParams(sensitivity, scale, { radius: Math.round(6 * scale), maxWidth: 10 * scale, dustMaxArea: 90 * scale * scale }, override);
}

/** What the two scales share; they differ only in filter radius and the widest stroke and speck they accept. */
function thinParams(
  sensitivity: number,
  scale: number,
  size: Pick<ThinParams, 'radius' | 'maxWidth' | 'dustMaxArea'>,
  override: Partial<ThinParams>,
): ThinParams {
  const m = thresholdScale(sensitivity);
  return {
    textureRadius: Math.round(20 * scale),
    texturePercentile: 0.7,
    noiseFloor: 2,
    minContrast: MIN_CONTRAST,
    high: 6 * m,
    low: LOW_SCORE,
    minLength: 30 * scale,
    dustHigh: 10 * m,
    halo: 0.4,
    ...size,
    ...override,
  };
}

export function cornerParams(sensitivity: number, override: Partial<CornerParams> = {}): CornerParams {
  const m = thresholdScale(sensitivity);
  return {
    // Candidate levels are fixed (see LOW_SCORE); sensitivity moves the acceptance tests.
    flatness: 10,
    brightLevel: 195,
    darkLevel: 30,
    minArea: 0.002 * m,
    maxArea: 0.25,
    maxSpan: 0.6,
    edgeContrast: 20 * m,
    maxRoughness: 6.5 / m,
    cornerReach: 0.05,
    // 0.1 measured best with detector 0.6.x on the synthetic set (corner IoU 0.46 against 0.30 at 0.3).
    minNetMean: 0.1,
    ...override,
  };
}

export function refineParams(sensitivity: number, corners: CornerParams): RefineParams {
  const m = thresholdScale(sensitivity);
  return {
    minResidual: 14 * m,
    halo: 0.4,
    brightLevel: corners.brightLevel - 15,
    darkLevel: corners.darkLevel + 15,
  };
}

