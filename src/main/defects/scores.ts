/**
 * The learned detector's preview scores (the rule is scoreLevel in
 * src/shared/ipc/detection.ts): per working pixel, the sensitivity from which
 * the learned mask flags it (the network's probability passes
 * learnedThreshold, or its grow threshold next to flagged pixels), as a byte. The editor
 * thresholds these while the sensitivity slider moves, for a preview that
 * needs no round trip; the exact mask comes from defectMaskAt.
 */
import { DEFAULT_DETECT_SENSITIVITY } from '@shared/ipc/detection';
import type { DetectionBasis } from './detect';
import { grownLevels } from './grow';
import { LEARNED_GROW_LOGITS } from './params';

export interface ScoreMap {
  /** The working resolution: the photo box-reduced by `factor`. */
  readonly width: number;
  readonly height: number;
  readonly factor: number;
  /** width*height bytes, row-major: flagged at sensitivity s when above scoreLevel(s). */
  readonly data: Uint8Array;
}

/**
 * learnedThreshold moves the calibrated threshold by 4 logits per unit of
 * sensitivity, so probability p is a seed from sensitivity
 * s* = default - (logit(p) - logit(calibrated)) / 4 on; the byte is
 * 255 (1 - s*), clamped. Pixels may be grown through (learnedThresholds)
 * from growLogits / 4 lower on, and a pixel's score is the level from which
 * the hysteresis flags it (grownLevels). null for the classical detector (no
 * probabilities).
 */
export function scoreMapOf(basis: DetectionBasis): ScoreMap | null {
  const { prob } = basis;
  if (!prob) return null;
  const { width, height } = basis.working.bright;
  const t = Math.min(0.999, Math.max(0.001, basis.threshold ?? 0.5));
  const base = Math.log(t / (1 - t));
  const boost = (255 * (basis.tuning?.growLogits ?? LEARNED_GROW_LOGITS)) / 4;
  const seed = new Uint8Array(prob.length);
  const grow = new Uint8Array(prob.length);
  for (let i = 0; i < prob.length; i++) {
    const p = Math.min(1 - 1e-7, Math.max(1e-7, prob[i]!));
    const from = DEFAULT_DETECT_SENSITIVITY - (Math.log(p / (1 - p)) - base) / 4;
    seed[i] = toByte(255 * (1 - from));
    grow[i] = toByte(255 * (1 - from) + boost);
  }
  const data = boost > 0 ? grownLevels(seed, grow, width, height) : seed;
  return { width, height, factor: basis.factor, data };
}

function toByte(v: number): number {
  const r = Math.round(v);
  return r <= 0 ? 0 : r >= 255 ? 255 : r;
}
