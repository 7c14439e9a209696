import type { AppliedTone, ToneOptions } from '@shared/ipc/tone';
import type { Photo, PixelArray } from '../imaging/photo';
import { analyseTone, type ColourPixels, type ToneAnalysis } from './analyse';
import { resolveTone, toneAffine } from './auto';
import { rawSharp, readRaw } from './raw';

/**
 * Auto tone on a photo whose damage is already filled: chooses the settings
 * (Auto for whatever `options` leaves out), renders them with sharp, and
 * writes the result into photo.data, folding every change into `delta` (the
 * XOR delta against the original file that the encoder applies; see
 * imaging/encode.ts). Alpha is never touched. Returns what was applied.
 */
export async function applyTone(photo: Photo, delta: PixelArray, options: ToneOptions): Promise<AppliedTone> {
  const colour = colourPixels(photo);
  const analysis = await analyseTone(colour);
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
  const c = p.channels;
  const m = matrix.flat();
  const o = offset.map((v) => v * max);
  const out = p.data instanceof Uint16Array ? new Uint16Array(x.length) : new Uint8Array(x.length);
  const v = [0, 0, 0];
  for (let i = 0; i < x.length; i += c) {
    for (let ch = 0; ch < c; ch++) v[ch] = blurred ? x[i + ch]! + amount * (x[i + ch]! - blurred[i + ch]!) : x[i + ch]!;
    for (let ch = 0; ch < c; ch++) {
      let y = o[ch]!;
      for (let j = 0; j < c; j++) y += m[ch * c + j]! * v[j]!;
      out[i + ch] = y <= 0 ? 0 : y >= max ? max : Math.round(y);
    }
  }
  return out;
}

/** a + w (b - a), rounded, same type as a. */
function blend(a: PixelArray, b: PixelArray, w: number): PixelArray {
  const out = a.slice();
  for (let i = 0; i < out.length; i++) out[i] = Math.round(a[i]! + w * (b[i]! - a[i]!));
  return out;
}
