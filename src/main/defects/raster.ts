/**
 * Small raster helpers for the detector: luma extraction, integer box
 * down-sampling, box means. Every image here is single channel, row-major,
 * top-left origin; GreyImage holds 0..255 samples as Uint8Array.
 */
import type { GreyImage } from './morphology';

/**
 * Interleaved pixels as decoded by src/main/imaging (see Photo): channels =
 * colour (1 grey or 3 RGB) + 1 when there is alpha; 8- or 16-bit samples.
 */
export interface PixelSource {
  readonly width: number;
  readonly height: number;
  readonly channels: 1 | 2 | 3 | 4;
  readonly colourChannels: 1 | 3;
  readonly bitDepth: 8 | 16;
  readonly data: Uint8Array | Uint16Array;
}

/**
 * Luma (BT.601 weights, 8-bit) of every pixel, alpha ignored. Code values are
 * used as they are (no linearisation): damage is judged as it looks.
 */
export function lumaOf(src: PixelSource): GreyImage {
  const { width, height, channels, colourChannels, data } = src;
  const n = width * height;
  if (data.length !== n * channels) {
    throw new RangeError(`Pixel buffer holds ${data.length} samples; ${width}x${height}x${channels} needs ${n * channels}`);
  }
  const out = new Uint8Array(n);
  const shift = src.bitDepth === 16 ? 16 : 8;
  if (colourChannels === 1) {
    for (let i = 0, j = 0; i < n; i++, j += channels) out[i] = (data[j]! * 256) >>> shift;
    return { width, height, data: out };
  }
  // 77/150/29 sum to 256: luma = (77 R + 150 G + 29 B) / 256, exact in integers.
  for (let i = 0, j = 0; i < n; i++, j += channels) {
    const y = 77 * data[j]! + 150 * data[j + 1]! + 29 * data[j + 2]!;
    out[i] = y >>> shift;
  }
  return { width, height, data: out };
}

/**
 * The two planes damage is looked for in. Physical damage is achromatic:
 * exposed paper or a hole is near white in every channel, dirt and negative
 * scratches are near black. So bright damage is sought where even the
 * darkest channel rises (min of R, G, B) and dark damage where even the
 * brightest channel falls (max of R, G, B). A white scratch on pink skin is
 * faint in luma but plain in the blue channel, which the min plane follows;
 * a coloured natural detail (a red lip line) does not move both planes.
 * For grey photos both planes are the grey values. 8-bit, 0..255.
 */
export interface Planes {
  readonly bright: GreyImage;
  readonly dark: GreyImage;
}

export function planesOf(src: PixelSource): Planes {
  const { width, height, channels, colourChannels, data } = src;
  const n = width * height;
  if (data.length !== n * channels) {
    throw new RangeError(`Pixel buffer holds ${data.length} samples; ${width}x${height}x${channels} needs ${n * channels}`);
  }
  const shift = src.bitDepth === 16 ? 8 : 0;
  const lo = new Uint8Array(n);
  if (colourChannels === 1) {
    for (let i = 0, j = 0; i < n; i++, j += channels) lo[i] = data[j]! >>> shift;
    return { bright: { width, height, data: lo }, dark: { width, height, data: lo } };
  }
  const hi = new Uint8Array(n);
  for (let i = 0, j = 0; i < n; i++, j += channels) {
    const r = data[j]!;
    const g = data[j + 1]!;
    const b = data[j + 2]!;
    lo[i] = (r < g ? (r < b ? r : b) : g < b ? g : b) >>> shift;
    hi[i] = (r > g ? (r > b ? r : b) : g > b ? g : b) >>> shift;
  }
  return { bright: { width, height, data: lo }, dark: { width, height, data: hi } };
}

export function downsamplePlanes(planes: Planes, f: number): Planes {
  const bright = downsample(planes.bright, f);
  // Grey photos share one plane; keep sharing it.
  const dark = planes.dark === planes.bright ? bright : downsample(planes.dark, f);
  return { bright, dark };
}

/** Mean over f x f blocks; the last row/column of blocks may be partial. */
export function downsample(src: GreyImage, f: number): GreyImage {
  if (f <= 1) return src;
  const { width, height, data } = src;
  const w = Math.ceil(width / f);
  const h = Math.ceil(height / f);
  const sums = new Uint32Array(w);
  const out = new Uint8Array(w * h);
  const full = Math.floor(width / f);
  for (let by = 0; by < h; by++) {
    sums.fill(0);
    const y0 = by * f;
    const y1 = Math.min(height, y0 + f);
    for (let y = y0; y < y1; y++) {
      let i = y * width;
      // Whole blocks first (no per-pixel division), then the partial last block.
      for (let bx = 0; bx < full; bx++) {
        let s = 0;
        for (let k = 0; k < f; k++) s += data[i++]!;
        sums[bx]! += s;
      }
      for (let x = full * f; x < width; x++) sums[full]! += data[i++]!;
    }
    const rows = y1 - y0;
    for (let bx = 0; bx < w; bx++) {
      const cols = bx < full ? f : width - full * f;
      out[by * w + bx] = Math.round(sums[bx]! / (rows * cols));
    }
  }
  return { width: w, height: h, data: out };
}

/**
 * Mean over a (2r+1)^2 window clamped to the image (edge windows average
 * fewer samples), from two running-sum passes. Float32Array, same size.
 */
export function boxMean(src: Float32Array, width: number, height: number, r: number): Float32Array {
  const tmp = new Float32Array(width * height);
  for (let y = 0; y < height; y++) {
    const row = y * width;
    let sum = 0;
    let x0 = 0;
    let x1 = -1;
    for (let x = 0; x < width; x++) {
      const lo = Math.max(0, x - r);
      const hi = Math.min(width - 1, x + r);
      while (x1 < hi) sum += src[row + ++x1]!;
      while (x0 < lo) sum -= src[row + x0++]!;
      tmp[row + x] = sum / (hi - lo + 1);
    }
  }
  const out = new Float32Array(width * height);
  const acc = new Float64Array(width);
  let y0 = 0;
  let y1 = -1;
  for (let y = 0; y < height; y++) {
    const lo = Math.max(0, y - r);
    const hi = Math.min(height - 1, y + r);
    while (y1 < hi) {
      const row = ++y1 * width;
      for (let x = 0; x < width; x++) acc[x]! += tmp[row + x]!;
    }
    while (y0 < lo) {
      const row = y0++ * width;
      for (let x = 0; x < width; x++) acc[x]! -= tmp[row + x]!;
    }
    const inv = 1 / (hi - lo + 1);
    const row = y * width;
    for (let x = 0; x < width; x++) out[row + x] = acc[x]! * inv;
  }
  return out;
}

/**
 * Bilinear sample of a single-channel w*h raster at pixel coordinates (pixel
 * centres at integers), clamped to the edge.
 */
export function bilinear(img: ArrayLike<number>, w: number, h: number, u: number, v: number): number {
  const x = u < 0 ? 0 : u > w - 1 ? w - 1 : u;
  const y = v < 0 ? 0 : v > h - 1 ? h - 1 : v;
  const x0 = x | 0;
  const y0 = y | 0;
  const x1 = x0 + 1 < w ? x0 + 1 : x0;
  const y1 = y0 + 1 < h ? y0 + 1 : y0;
  const fx = x - x0;
  const fy = y - y0;
  const top = img[y0 * w + x0]! * (1 - fx) + img[y0 * w + x1]! * fx;
  const bottom = img[y1 * w + x0]! * (1 - fx) + img[y1 * w + x1]! * fx;
  return top * (1 - fy) + bottom * fy;
}
