import type { ToneLook } from '@shared/ipc/tone';
import { LUMA, type PixelArray } from '../imaging/photo';
import { ESTIMATOR_SIDE, estimatePoints, type ToneEstimator, type TonePoints } from './estimator';
import { readLook } from './look';
import { rawSharp, readRaw, type ColourPixels } from './raw';

/** What Auto needs to know about a photo. Levels are 0..1 of the full scale. */
export interface ToneAnalysis {
  readonly channels: 1 | 3;
  readonly look: ToneLook;
  /** Per colour channel: robust black and white (ROBUST_PCT) and mean. */
  readonly lo: readonly number[];
  readonly hi: readonly number[];
  readonly mean: readonly number[];
  /** The same for luminance (Rec. 601 weights). */
  readonly yLo: number;
  readonly yHi: number;
  readonly yMean: number;
  /** Grain: robust standard deviation of the fine noise, in 8-bit units. */
  readonly noise: number;
  /** Mean chroma, and the spread of chroma off the mean hue's line (98th percentile), 8-bit opponent units. */
  readonly chroma: number;
  readonly spread: number;
  /** The learned estimator's black and white points per colour channel (RGB), when its model is installed. */
  readonly learned?: TonePoints;
}

/**
 * Robust black and white: the 0.2nd and 99.8th percentiles. On the tuning
 * photos more extreme percentiles scored higher still (0.1 %: +0.1 dB), but
 * the synthetic fade clips nothing, while real scans carry dust, white
 * scratches and torn corners that the extremes would take for black and white.
 */
const ROBUST_PCT = { low: 0.002, high: 0.998 } as const;
/** Statistics come from a copy this size (long side): fast, and grain averages out of the percentiles. */
const STATS_SIDE = 512;
/** Chroma is judged on a smaller copy, so JPEG chroma noise and grain do not look like colour. */
const CHROMA_SIDE = 128;
export async function analyseTone(pixels: ColourPixels, estimator?: ToneEstimator | null): Promise<ToneAnalysis> {
  const max = pixels.data instanceof Uint16Array ? 65535 : 255;
  const small = await resized(pixels, STATS_SIDE);
  const c = pixels.channels;
  const n = small.length / c;
  const channels = Array.from({ length: c }, (_, ch) => levelsOf(n, (k) => small[k * c + ch]! / max));
  const lo = channels.map((l) => l.lo);
  const hi = channels.map((l) => l.hi);
  const mean = channels.map((l) => l.mean);
  const luma =
    c === 3
      ? levelsOf(n, (k) => (LUMA[0] * small[3 * k]! + LUMA[1] * small[3 * k + 1]! + LUMA[2] * small[3 * k + 2]!) / max)
      : channels[0]!;
  const { lo: yLo, hi: yHi, mean: yMean } = luma;
  // The chroma copy and the estimator's thumbnail come from the statistics copy: one pass over the full photo, not three.
  const statsCopy: ColourPixels = { ...(Math.max(pixels.width, pixels.height) <= STATS_SIDE ? pixels : fitted(pixels, STATS_SIDE)), channels: c, data: small };
  const { look, chroma, spread } = c === 1 ? { look: 'monochrome' as const, chroma: 0, spread: 0 } : readLook(await resized(statsCopy, CHROMA_SIDE), max);
  const learned = estimator ? await estimatePoints(estimator, await thumbnail(statsCopy, max)) : undefined;
  return { channels: c, look, lo, hi, mean, yLo, yHi, yMean, noise: await grainOf(pixels, max), chroma, spread, ...(learned ? { learned } : {}) };
}

/**
 * The estimator's input: the statistics copy resized to 128 x 128 (aspect
 * ignored, as in training), planar RGB floats 0..1; grey is repeated into
 * all three channels.
 */
export async function thumbnail(p: ColourPixels, max: number): Promise<Float32Array> {
  const side = ESTIMATOR_SIDE;
  const t = await readRaw(rawSharp(p).resize({ width: side, height: side, fit: 'fill', kernel: 'linear' }), p, side * side * p.channels);
  const n = side * side;
  const out = new Float32Array(3 * n);
  const c = p.channels;
  for (let i = 0; i < n; i++) for (let ch = 0; ch < 3; ch++) out[ch * n + i] = t[i * c + (c === 3 ? ch : 0)]! / max;
  return out;
}

/** The size of a copy whose long side is `side`, aspect kept. */
function fitted(p: { width: number; height: number }, side: number): { width: number; height: number } {
  return p.width >= p.height ? { width: side, height: Math.max(1, Math.round((side * p.height) / p.width)) } : { width: Math.max(1, Math.round((side * p.width) / p.height)), height: side };
}

/** A downscaled copy (area-averaged), same sample type. */
async function resized(p: ColourPixels, side: number): Promise<PixelArray> {
  if (Math.max(p.width, p.height) <= side) return p.data;
  const { width, height } = fitted(p, side);
  return readRaw(rawSharp(p).resize({ width, height, fit: 'fill', kernel: 'linear' }), p, width * height * p.channels);
}

/** Robust black and white (ROBUST_PCT) and mean of a plane's n samples (0..1), sample k read by `at(k)`. */
function levelsOf(n: number, at: (k: number) => number): { lo: number; hi: number; mean: number } {
  const hist = new Uint32Array(1024);
  let sum = 0;
  for (let k = 0; k < n; k++) {
    const v = at(k);
    sum += v;
    hist[Math.min(1023, Math.round(v * 1023))]!++;
  }
  return { lo: percentile(hist, n, ROBUST_PCT.low), hi: percentile(hist, n, ROBUST_PCT.high), mean: sum / n };
}

/** The value below which `share` of the samples lie, from a 1024-bin histogram of 0..1. */
function percentile(hist: Uint32Array, n: number, share: number): number {
  const target = share * n;
  let seen = 0;
  for (let b = 0; b < hist.length; b++) {
    seen += hist[b]!;
    if (seen >= target) return b / 1023;
  }
  return 1;
}

/**
 * Grain: the median absolute difference between the photo and its 3x3
 * median, on a 256 x 256 crop from the middle at full resolution (grain is
 * lost in any downscaled copy), as a Gaussian sigma in 8-bit units.
 */
async function grainOf(p: ColourPixels, max: number): Promise<number> {
  const side = Math.min(256, p.width, p.height);
  if (side < 8) return 0;
  const x0 = Math.floor((p.width - side) / 2);
  const y0 = Math.floor((p.height - side) / 2);
  const grey = new Uint8Array(side * side);
  const c = p.channels;
  for (let y = 0; y < side; y++) {
    for (let x = 0; x < side; x++) {
      const i = ((y0 + y) * p.width + x0 + x) * c;
      const v = c === 3 ? LUMA[0] * p.data[i]! + LUMA[1] * p.data[i + 1]! + LUMA[2] * p.data[i + 2]! : p.data[i]!;
      grey[y * side + x] = Math.round((v * 255) / max);
    }
  }
  const med = await readRaw(rawSharp({ width: side, height: side, channels: 1, data: grey }).median(3), { width: side, height: side, channels: 1, data: grey });
  const hist = new Uint32Array(256);
  for (let i = 0; i < grey.length; i++) hist[Math.abs(grey[i]! - med[i]!)]!++;
  // The median of the integer differences, interpolated within its bin (differences are mostly 0-3).
  const half = grey.length / 2;
  let seen = 0;
  let mad = 0;
  for (let d = 0; d < 256; d++) {
    if (seen + hist[d]! >= half) {
      mad = d - 0.5 + (half - seen) / hist[d]!;
      break;
    }
    seen += hist[d]!;
  }
  // For Gaussian noise the median |x - median3(x)| is about 0.6 sigma; 1.4826 turns a MAD into sigma.
  return Math.max(0, (mad * 1.4826) / 0.6);
}
