import sharp, { type Sharp } from 'sharp';

/** What a test puts under a mask: the true picture, or content like real damage. */
export type DamageFill = 'truth' | 'white' | 'black' | 'noise';
export const DAMAGE_FILLS: readonly DamageFill[] = ['truth', 'white', 'black', 'noise'];

export interface RawLayout {
  readonly width: number;
  readonly height: number;
  readonly channels: 1 | 2 | 3 | 4;
  readonly bits: 8 | 16;
}

/**
 * A photo whose masked pixels hold `fill` instead of the truth: white as an
 * emulsion crack or dust, black as a tear, noise as neither, each sample drawn
 * from a fixed seed. Alpha (when present) is damaged too.
 * truth: interleaved samples of `layout`; mask: 1 = damage, one per pixel.
 */
export function damagedPhoto(truth: Uint8Array | Uint16Array, mask: Uint8Array, layout: RawLayout, fill: DamageFill): Sharp {
  const { width, height, channels, bits } = layout;
  const max = bits === 16 ? 65535 : 255;
  const out = truth.slice();
  let seed = 0x9e3779b9;
  for (let p = 0; p < mask.length; p++) {
    if (!mask[p] || fill === 'truth') continue;
    for (let c = 0; c < channels; c++) {
      seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
      out[p * channels + c] = fill === 'white' ? max : fill === 'black' ? 0 : Math.floor((seed / 2 ** 32) * (max + 1));
    }
  }
  // sharp takes the sample type from the typed array (Uint16Array -> 16-bit).
  const s = sharp(out as unknown as Buffer, { raw: { width, height, channels } });
  if (bits === 16) return s.toColourspace(channels <= 2 ? 'grey16' : 'rgb16');
  return channels <= 2 ? s.toColourspace('b-w') : s;
}
