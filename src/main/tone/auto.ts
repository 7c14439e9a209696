import type { AppliedTone, ToneColourMode, ToneOptions } from '@shared/ipc/tone';
import { LUMA, type ToneAnalysis } from './analyse';

/**
 * Where a well-exposed photo's robust black and white points sit (0..1):
 * the medians of the 0.5th / 99.5th luminance percentiles over the training
 * photos (tone/README.md). Stretching to these instead of 0 and 1 is what
 * keeps Auto from crushing shadows and blowing highlights the way
 * per-channel auto-levels does.
 */
export const TARGET_BLACK = 0.04;
export const TARGET_WHITE = 0.95;
/** The most a faded range is stretched (a nearly flat photo would otherwise amplify its grain tenfold). */
const MAX_GAIN = 3;
/** Grain (sigma, 8-bit units) below which Auto leaves it alone, and at which it applies full reduction. */
const GRAIN_FROM = 5;
const GRAIN_FULL = 12;

/** Auto's choices for every setting the options leave out. */
export function resolveTone(options: ToneOptions, a: ToneAnalysis): AppliedTone {
  const overridden = (Object.keys(options) as (keyof ToneOptions)[]).filter((k) => options[k] !== undefined);
  const autoColour: ToneColourMode = a.look === 'sepia' ? 'keep' : 'neutralise';
  return {
    strength: options.strength ?? 100,
    colour: options.colour ?? autoColour,
    contrast: options.contrast ?? 100,
    grain: options.grain ?? Math.round(100 * clamp01((a.noise - GRAIN_FROM) / (GRAIN_FULL - GRAIN_FROM))),
    sharpen: options.sharpen ?? 0,
    look: a.look,
    overridden,
    black: a.lo.map(round3),
    white: a.hi.map(round3),
  };
}

/**
 * The colour and contrast correction as one affine map on 0..1 samples:
 * out = matrix x in + offset, matrix channels x channels. Affine maps compose
 * and blend into affine maps, so contrast, colour and strength all fold into
 * one sharp recomb + linear.
 */
export interface ToneAffine {
  readonly matrix: readonly (readonly number[])[];
  readonly offset: readonly number[];
}

export function toneAffine(t: AppliedTone, a: ToneAnalysis): ToneAffine {
  const c = a.channels;
  // Contrast: luminance's robust range onto the target range, never compressing
  // a range that is already wide nor lifting a black that is already deep.
  const black = Math.min(TARGET_BLACK, a.yLo);
  const white = Math.max(TARGET_WHITE, a.yHi);
  const fullGain = Math.min(MAX_GAIN, (white - black) / Math.max(1e-3, a.yHi - a.yLo));
  const k = t.contrast / 100;
  const gain = 1 + k * (fullGain - 1);
  const lift = k * (black - fullGain * a.yLo);
  // y -> gain * y + lift is the tone curve; each colour mode says what it does to chroma.
  let m: number[][];
  let o: number[];
  if (c === 1) {
    m = [[gain]];
    o = [lift];
  } else if (t.colour === 'keep') {
    m = scaled(identity(3), gain);
    o = [lift, lift, lift];
  } else if (t.colour === 'leave') {
    // x_c + (curve(Y) - Y): brightness follows the curve, chroma stays as it was.
    m = identity(3).map((row) => row.map((v, j) => v + (gain - 1) * LUMA[j]!));
    o = [lift, lift, lift];
  } else if (a.look !== 'colour') {
    // A monochrome print neutralised is grey: every channel becomes the curve of luminance.
    m = [0, 1, 2].map(() => LUMA.map((w) => gain * w));
    o = [lift, lift, lift];
  } else {
    // Each channel's black point, white point and mean mapped (least squares) onto luminance's:
    // black point and white patch per dye, with grey-world pulling the midtones together.
    m = [];
    o = [];
    for (let ch = 0; ch < 3; ch++) {
      const [s, b] = fitLine([a.lo[ch]!, a.hi[ch]!, a.mean[ch]!], [a.yLo, a.yHi, a.yMean]);
      const row = [0, 0, 0];
      row[ch] = gain * s;
      m.push(row);
      o.push(gain * b + lift);
    }
  }
  const s = t.strength / 100;
  const id = identity(c);
  return {
    matrix: m.map((row, i) => row.map((v, j) => (1 - s) * id[i]![j]! + s * v)),
    offset: o.map((v) => s * v),
  };
}

/** Least-squares line through points (x, y): [slope, intercept]; slope kept to 0.5..2 so an odd channel cannot run away. */
function fitLine(x: readonly number[], y: readonly number[]): [number, number] {
  const n = x.length;
  const mx = x.reduce((p, v) => p + v, 0) / n;
  const my = y.reduce((p, v) => p + v, 0) / n;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < n; i++) {
    sxy += (x[i]! - mx) * (y[i]! - my);
    sxx += (x[i]! - mx) ** 2;
  }
  const slope = sxx < 1e-6 ? 1 : Math.min(2, Math.max(0.5, sxy / sxx));
  return [slope, my - slope * mx];
}

function identity(n: number): number[][] {
  return Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 1 : 0)));
}

function scaled(m: number[][], f: number): number[][] {
  return m.map((row) => row.map((v) => v * f));
}

function clamp01(v: number): number {
  return Math.min(1, Math.max(0, v));
}

function round3(v: number): number {
  return Math.round(v * 1000) / 1000;
}
