import type { AppliedTone, ToneColourMode, ToneOptions } from '@shared/ipc/tone';
import { LUMA } from '../imaging/photo';
import type { ToneAnalysis } from './analyse';
import type { TonePoints } from './estimator';

/**
 * Where the contrast stretch aims the photo's robust black and white points
 * (0..1), before Auto's 80 % (AUTO_CONTRAST). On the tuning photos (bench/tone
 * --tune) 0.01 / 0.99 at 80 % scored best: 0.6 dB above the training photos'
 * median 0.5 / 99.5 % percentiles (0.047 / 0.953) at 80 %, and above either at 100 %.
 */
export const TARGET_BLACK = 0.01;
export const TARGET_WHITE = 0.99;
/** The most a faded range is stretched (a nearly flat photo would otherwise amplify its grain tenfold). */
const MAX_GAIN = 3;
/**
 * Auto's contrast: 80 % of the way to the target range. A faded print and a
 * naturally soft scene (mist, an overcast sky) look alike, and the full
 * stretch over-brightens the second kind; on the tuning photos (bench/tone,
 * --tune) 80 % scored best in both PSNR and CIEDE2000.
 */
const AUTO_CONTRAST = 80;
/**
 * How much of each dye's own black and white point correction is applied
 * (the rest follows the common curve). Scenes are not neutral: a meadow's
 * green channel really does reach higher than its blue; 0.85 scored best on
 * the tuning photos, 1 over-corrects such scenes and 0.5 leaves casts.
 */
const CAST_SHARE = 0.85;
/**
 * Auto's grain ramp: below `from` (the estimate's sigma, 8-bit units, see
 * analyse.ts) Auto leaves grain alone; from there it rises to `max` at `full`.
 * The estimate counts fine texture as grain, so Auto is cautious: a median
 * smooths texture too.
 */
const AUTO_GRAIN = { from: 7, full: 20, max: 50 } as const;

/** Auto's choices for every setting the options leave out. */
export function resolveTone(options: ToneOptions, a: ToneAnalysis): AppliedTone {
  const overridden = (Object.keys(options) as (keyof ToneOptions)[]).filter((k) => options[k] !== undefined);
  const autoColour: ToneColourMode = a.look === 'sepia' ? 'keep' : 'neutralise';
  return {
    strength: options.strength ?? 100,
    colour: options.colour ?? autoColour,
    // The learned points are the whole correction already (trained to undo a fade, misty scenes included).
    contrast: options.contrast ?? (a.learned ? 100 : AUTO_CONTRAST),
    grain: options.grain ?? autoGrain(a.noise),
    sharpen: options.sharpen ?? 0,
    look: a.look,
    overridden,
    black: (a.learned?.black ?? a.lo).slice(0, a.channels).map(round3),
    white: (a.learned?.white ?? a.hi).slice(0, a.channels).map(round3),
    estimator: a.learned ? 'learned' : 'classical',
  };
}

/** Auto's grain setting for a photo whose grain estimate is `noise` (AUTO_GRAIN's ramp). */
function autoGrain(noise: number): number {
  const { from, full, max } = AUTO_GRAIN;
  return Math.round(max * clamp01((noise - from) / (full - from)));
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
  const { m, o } = a.learned ? learnedMap(t, a, a.learned) : classicalMap(t, a);
  const s = t.strength / 100;
  const id = identity(a.channels);
  return {
    matrix: m.map((row, i) => row.map((v, j) => (1 - s) * id[i]![j]! + s * v)),
    offset: o.map((v) => s * v),
  };
}

/**
 * The most a learned point pair may stretch or squeeze a channel: a safety
 * net for a photo unlike anything in training, never reached on the benchmark.
 */
const LEARNED_GAIN = [0.5, 4] as const;

/**
 * The learned per-channel map x_c -> g_c x_c + o_c, split into a common tone
 * curve on luminance (y -> G y + O, G and O the Rec. 601 mix of the channels'
 * gains and offsets) and, after it, what is left: the cast correction.
 * Contrast scales the common curve only; the colour modes decide what
 * happens to the cast part, as in the classical map.
 */
function learnedMap(t: AppliedTone, a: ToneAnalysis, p: TonePoints): { m: number[][]; o: number[] } {
  const g = [0, 1, 2].map((ch) => Math.min(LEARNED_GAIN[1], Math.max(LEARNED_GAIN[0], 1 / Math.max(1e-3, p.white[ch]! - p.black[ch]!))));
  const off = g.map((gc, ch) => -p.black[ch]! * gc);
  const G = LUMA.reduce((sum, w, ch) => sum + w * g[ch]!, 0);
  const O = LUMA.reduce((sum, w, ch) => sum + w * off[ch]!, 0);
  const k = t.contrast / 100;
  const gain = 1 + k * (G - 1);
  const lift = k * O;
  if (a.channels === 1) return { m: [[gain]], o: [lift] };
  if (t.colour === 'neutralise' && a.look === 'colour') {
    // x_c -> G (g_c / G x_c + (o_c - O) / G) + O is the learned map; the common curve at this contrast replaces G, O.
    return {
      m: [0, 1, 2].map((ch) => [0, 1, 2].map((j) => (j === ch ? (gain * g[ch]!) / G : 0))),
      o: [0, 1, 2].map((ch) => (gain * (off[ch]! - O)) / G + lift),
    };
  }
  return commonCurve(t, a, gain, lift);
}

/** The tone curve y -> gain y + lift in the colour modes that share it across channels (keep, leave, a monochrome print neutralised). */
function commonCurve(t: AppliedTone, a: ToneAnalysis, gain: number, lift: number): { m: number[][]; o: number[] } {
  const o = [lift, lift, lift];
  // leave, and keep on a monochrome or toned print: x_c + (curve(Y) - Y): brightness follows the curve,
  // each pixel's colour offset stays as it was, so a sepia print keeps its hue and its chroma (scaling
  // the channels instead raised a faded sepia's mean chroma from 8.3 to 12.6 on the benchmark's prints).
  const brightnessOnly = t.colour === 'leave' || (t.colour === 'keep' && a.look !== 'colour');
  if (brightnessOnly) return { m: identity(3).map((row) => row.map((v, j) => v + (gain - 1) * LUMA[j]!)), o };
  // keep on a colour photo: the same curve on every channel, hue kept.
  if (t.colour === 'keep') return { m: scaled(identity(3), gain), o };
  // A monochrome print neutralised is grey: every channel becomes the curve of luminance.
  if (a.look !== 'colour') return { m: [0, 1, 2].map(() => LUMA.map((w) => gain * w)), o };
  throw new Error('commonCurve: a colour photo neutralised has per-channel maps');
}

/** Auto without the learned model: luminance percentiles for contrast, each dye's black and white point for the cast. */
function classicalMap(t: AppliedTone, a: ToneAnalysis): { m: number[][]; o: number[] } {
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
  if (c === 1) return { m: [[gain]], o: [lift] };
  if (t.colour !== 'neutralise' || a.look !== 'colour') return commonCurve(t, a, gain, lift);
  // Each dye's black point and white patch mapped onto luminance's (faded dyes are a per-channel
  // gain and offset), CAST_SHARE of the way; then the common curve. The channel means (grey-world)
  // are left out of the fit: with them, green meadows and blue skies were pulled grey.
  const m: number[][] = [];
  const o: number[] = [];
  for (let ch = 0; ch < 3; ch++) {
    const [s, b] = fitLine([a.lo[ch]!, a.hi[ch]!], [a.yLo, a.yHi]);
    const row = [0, 0, 0];
    row[ch] = gain * (1 + CAST_SHARE * (s - 1));
    m.push(row);
    o.push(gain * CAST_SHARE * b + lift);
  }
  return { m, o };
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
