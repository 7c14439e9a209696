/**
 * The learned detector's preview scores (the rule is scoreLevel in
 * src/shared/ipc/detection.ts): per working pixel, the sensitivity from which
 * the network's probability passes learnedThreshold, as a byte. The editor
 * thresholds these while the sensitivity slider moves, for a preview that
 * needs no round trip; the exact mask comes from defectMaskAt.
 */
import { DEFAULT_DETECT_SENSITIVITY } from '@shared/ipc/detection';
import type { DetectionBasis } from './detect';

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
 * sensitivity, so probability p is flagged from sensitivity
 * s* = default - (logit(p) - logit(calibrated)) / 4 on; the byte is
 * 255 (1 - s*), clamped. null for the classical detector (no probabilities).
 */
export function scoreMapOf(basis: DetectionBasis): ScoreMap | null {
  const { prob } = basis;
  if (!prob) return null;
  const t = Math.min(0.999, Math.max(0.001, basis.threshold ?? 0.5));
  const base = Math.log(t / (1 - t));
  const data = new Uint8Array(prob.length);
  for (let i = 0; i < prob.length; i++) {
    const p = Math.min(1 - 1e-7, Math.max(1e-7, prob[i]!));
    const from = DEFAULT_DETECT_SENSITIVITY - (Math.log(p / (1 - p)) - base) / 4;
    const v = Math.round(255 * (1 - from));
    data[i] = v <= 0 ? 0 : v >= 255 ? 255 : v;
  }
  return { width: basis.working.bright.width, height: basis.working.bright.height, factor: basis.factor, data };
}
