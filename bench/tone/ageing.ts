/**
 * A documented, seeded "ageing" of clean photos for the tone benchmark: what
 * decades do to a colour print, in this order, each drawn per photo from a
 * generator seeded by the photo's index:
 *
 * 1. mild softness: a Gaussian blur of sigma 0.6-1.0 px on half of the photos;
 * 2. fade: contrast kept at 55-80 % and blacks lifted by 0.06-0.18 (of full
 *    scale), so the darkest black becomes a grey and whites stay below 0.98;
 * 3. dye fade: one cast of three (yellow: blue dye lost; magenta: green lost;
 *    cyan: red lost) at 50-100 % of a full cast, applied as a per-channel
 *    gain (0.80-0.82 on the fading channel) and offsets of up to 0.04;
 * 4. grain: Gaussian noise of sigma 2-5 (8-bit units), shared by the three
 *    channels (silver grain is colourless), plus a fifth as much per channel.
 *
 * Input and output: 8-bit sRGB, interleaved RGB, same size.
 */
import sharp from 'sharp';

export interface Ageing {
  readonly blur: number;
  readonly contrast: number;
  readonly lift: number;
  readonly cast: 'yellow' | 'magenta' | 'cyan';
  readonly castAmount: number;
  readonly grain: number;
}

const CASTS: Readonly<Record<Ageing['cast'], { gain: readonly number[]; offset: readonly number[] }>> = {
  yellow: { gain: [1, 0.97, 0.8], offset: [0.04, 0.03, 0] },
  magenta: { gain: [1, 0.82, 0.95], offset: [0.04, 0, 0.03] },
  cyan: { gain: [0.82, 1, 1], offset: [0, 0.03, 0.04] },
};

/** mulberry32: small, seedable, good enough for noise. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function drawAgeing(seed: number): Ageing {
  const r = rng(seed * 7919 + 17);
  const casts = ['yellow', 'magenta', 'cyan'] as const;
  return {
    blur: r() < 0.5 ? 0.6 + 0.4 * r() : 0,
    contrast: 0.55 + 0.25 * r(),
    lift: 0.06 + 0.12 * r(),
    cast: casts[Math.floor(r() * 3)]!,
    castAmount: 0.5 + 0.5 * r(),
    grain: 2 + 3 * r(),
  };
}

/** Ages an 8-bit RGB image (width x height x 3) as described above. */
export async function age(rgb: Uint8Array, width: number, height: number, a: Ageing, seed: number): Promise<Uint8Array> {
  const src = a.blur > 0 ? new Uint8Array(await sharp(rgb, { raw: { width, height, channels: 3 } }).blur(a.blur).raw().toBuffer()) : rgb;
  const cast = CASTS[a.cast];
  const gain = cast.gain.map((g) => 1 - a.castAmount * (1 - g));
  const offset = cast.offset.map((o) => a.castAmount * o);
  const r = rng(seed * 104729 + 3);
  const gauss = () => Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
  const out = new Uint8Array(src.length);
  for (let i = 0; i < src.length; i += 3) {
    const shared = a.grain * gauss();
    for (let c = 0; c < 3; c++) {
      const faded = a.lift + a.contrast * (src[i + c]! / 255);
      const dyed = gain[c]! * faded + offset[c]!;
      const v = dyed * 255 + shared + 0.2 * a.grain * gauss();
      out[i + c] = Math.max(0, Math.min(255, Math.round(v)));
    }
  }
  return out;
}
