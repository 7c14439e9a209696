import type { AppliedTone, ToneOptions } from '@shared/ipc/tone';
import type { Photo, PixelArray } from '../imaging/photo';
import { analyseTone, type ToneAnalysis } from './analyse';
import type { ColourPixels } from './raw';
import { resolveTone, toneAffine } from './auto';
import type { ToneEstimator } from './estimator';
import { rawSharp, readRaw } from './raw';

/**
 * Auto tone on a photo whose damage is already filled: chooses the settings
 * (Auto for whatever `options` leaves out), renders them with sharp, and
 * writes the result into photo.data, folding every change into `delta` (the
 * XOR delta against the original file that the encoder applies; see
 * imaging/encode.ts). Alpha is never touched. With `estimator` (the learned
 * model, estimator.ts) Auto's black and white points are its; without, the
 * classical fit's. Returns what was applied.
 */
export async function applyTone(photo: Photo, delta: PixelArray, options: ToneOptions, estimator?: ToneEstimator | null): Promise<AppliedTone> {
  const colour = colourPixels(photo);
  const analysis = await analyseTone(colour, estimator);
  const applied = resolveTone(options, analysis);
  const toned = await renderTone(colour, applied, analysis);
  const { data, channels } = photo;
  const c = photo.colourChannels;
  for (let px = 0, k = 0; k < toned.length; px += channels) {
    for (let ch = 0; ch < c; ch++, k++) {
      const i = px + ch;
      const next = toned[k]!;
      delta[i] = delta[i]! ^ data[i]! ^ next;
      data[i] = next;
    }
  }
  return applied;
}

/** The colour samples without alpha (the photo's own array when it has none). */
function colourPixels(photo: Photo): ColourPixels {
  const { width, height, colourChannels: c, channels, data } = photo;
  if (!photo.hasAlpha) return { width, height, channels: c, data };
  const out = data instanceof Uint16Array ? new Uint16Array(width * height * c) : new Uint8Array(width * height * c);
  for (let px = 0, k = 0; k < out.length; px += channels) for (let ch = 0; ch < c; ch++) out[k++] = data[px + ch]!;
  return { width, height, channels: c, data: out };
}

/**
 * Grain reduction (a 3x3 median blended in by `grain` %), sharpening (an
 * unsharp mask: the detail above a 1 px Gaussian, added back by up to 1.5x),
 * then the colour and contrast map. sharp does the median and the blur;
 * the affine map and the unsharp sum are one loop here because sharp's
 * recomb and sharpen go through 8 bits on 16-bit raw input (measured:
 * 20000 x 1.5 came back 30207), and a 16-bit scan must stay 16-bit.
 * Same layout and sample type out as in.
 */
export async function renderTone(p: ColourPixels, t: AppliedTone, analysis: ToneAnalysis): Promise<PixelArray> {
  const max = p.data instanceof Uint16Array ? 65535 : 255;
  const x = t.grain > 0 ? blend(p.data, await readRaw(rawSharp(p).median(3), p), t.grain / 100) : p.data;
  const amount = (1.5 * t.sharpen) / 100;
  const blurred = amount > 0 ? await readRaw(rawSharp({ ...p, data: x }).blur(1), p) : null;
  const { matrix, offset } = toneAffine(t, analysis);
  const m = matrix.flat();
  const o = offset.map((v) => v * max);
  const out = p.data instanceof Uint16Array ? new Uint16Array(x.length) : new Uint8Array(x.length);
  // The unsharp sum first, so the loop below is one affine map; written out for 3 channels (most of the time is here).
  const v = blurred ? unsharp(x, blurred, amount) : x;
  const clampTo = (y: number) => (y <= 0 ? 0 : y >= max ? max : Math.round(y));
  const c = p.channels;
  const diagonal = m.every((w, k) => w === 0 || k % (c + 1) === 0);
  if (!blurred && diagonal) {
    // Each channel maps through its own curve: a lookup table per channel (0..max), several times faster.
    const luts = Array.from({ length: c }, (_, ch) => Uint32Array.from({ length: max + 1 }, (_, q) => clampTo(o[ch]! + m[ch * (c + 1)]! * q)));
    for (let ch = 0; ch < c; ch++) {
      const lut = luts[ch]!;
      for (let i = ch; i < x.length; i += c) out[i] = lut[x[i]!]!;
    }
  } else if (c === 1) {
    for (let i = 0; i < v.length; i++) out[i] = clampTo(o[0]! + m[0]! * v[i]!);
  } else {
    const [m00, m01, m02, m10, m11, m12, m20, m21, m22] = m as [number, number, number, number, number, number, number, number, number];
    const [o0, o1, o2] = o as [number, number, number];
    for (let i = 0; i < v.length; i += 3) {
      const r = v[i]!;
      const g = v[i + 1]!;
      const b = v[i + 2]!;
      out[i] = clampTo(o0 + m00 * r + m01 * g + m02 * b);
      out[i + 1] = clampTo(o1 + m10 * r + m11 * g + m12 * b);
      out[i + 2] = clampTo(o2 + m20 * r + m21 * g + m22 * b);
    }
  }
  return out;
}

/** x + amount (x - blurred), unrounded and unclamped (the affine map rounds once). */
function unsharp(x: PixelArray, blurred: PixelArray, amount: number): Float32Array {
  const out = new Float32Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = x[i]! + amount * (x[i]! - blurred[i]!);
  return out;
}

/** a + w (b - a), rounded, same type as a. */
function blend(a: PixelArray, b: PixelArray, w: number): PixelArray {
  const out = a.slice();
  for (let i = 0; i < out.length; i++) out[i] = Math.round(a[i]! + w * (b[i]! - a[i]!));
  return out;
}
