/**
 * Small raster helpers for the detector: luma extraction, integer box
 * down-sampling, box means. Every image here is single channel, row-major,
 * top-left origin; GreyImage holds 0..255 samples as Uint8Array.
 */
import type { PhotoPixels } from '../imaging/photo';
import type { GreyImage } from './morphology';

/** Interleaved pixels as decoded by src/main/imaging (imaging/photo.ts's PhotoPixels). */
export type PixelSource = PhotoPixels;

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
  // Windows that lie wholly inside take one add and one subtract and divide by k; the
  // edge windows go through the general steps. Both add before they subtract, in the
  // same order, so every sum (and so every mean) is the same whichever way it was reached.
  const k = 2 * r + 1;
  const tmp = new Float32Array(width * height);
  for (let y = 0; y < height; y++) {
    const row = y * width;
    let sum = 0;
    let x0 = 0;
    let x1 = -1;
    for (let x = 0; x < width; x++) {
      if (x > r && x + r < width) {
        sum += src[row + x + r]!;
        sum -= src[row + x - r - 1]!;
        tmp[row + x] = sum / k;
        x1 = x + r;
        x0 = x - r;
        continue;
      }
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
    const row = y * width;
    if (y > r && y + r < height) {
      const add = (y + r) * width;
      const sub = (y - r - 1) * width;
      const inv = 1 / k;
      for (let x = 0; x < width; x++) {
        const a = acc[x]! + tmp[add + x]! - tmp[sub + x]!;
        acc[x] = a;
        out[row + x] = a * inv;
      }
      y1 = y + r;
      y0 = y - r;
      continue;
    }
    const lo = Math.max(0, y - r);
    const hi = Math.min(height - 1, y + r);
    while (y1 < hi) {
      const add = ++y1 * width;
      for (let x = 0; x < width; x++) acc[x]! += tmp[add + x]!;
    }
    while (y0 < lo) {
      const sub = y0++ * width;
      for (let x = 0; x < width; x++) acc[x]! -= tmp[sub + x]!;
    }
    const inv = 1 / (hi - lo + 1);
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

/**
 * Sums of the colour samples over f x f blocks (the last row and column of
 * blocks may be partial), kept as exact sums so a coarser copy is the sum of
 * finer blocks and every copy equals a direct box reduction of the photo.
 */
export interface BlockSums {
  /** Blocks across and down: ceil(photo size / factor). */
  readonly width: number;
  readonly height: number;
  readonly factor: number;
  /** The photo's size, px (decides how many pixels the partial blocks hold). */
  readonly sourceWidth: number;
  readonly sourceHeight: number;
  /** 3 for RGB, 1 for grey (one plane serves R, G and B). */
  readonly planes: 1 | 3;
  /** Planar sums of the raw samples: plane c at c * width * height. */
  readonly sums: Float64Array;
  /** Largest sample value: 255 or 65535. */
  readonly max: number;
}

export interface ReducedPhoto {
  /** Full-resolution min- and max-channel planes (planesOf). */
  readonly full: Planes;
  /** Those planes box-reduced by the factor (downsamplePlanes). */
  readonly working: Planes;
  /** The colour channels' block sums at the factor, when asked for. */
  readonly colour?: BlockSums;
}

/**
 * planesOf, downsamplePlanes and (with `colour`) blockSums in one pass over
 * the photo's samples, with the same results: the detector needs all three
 * of a 12 MP scan, and reading it three times cost as much as the network.
 */
export function reducePhoto(src: PixelSource, f: number, colour: boolean): ReducedPhoto {
  const { width: W, height: H, channels, colourChannels, data } = src;
  if (data.length !== W * H * channels) {
    throw new RangeError(`Pixel buffer holds ${data.length} samples; ${W}x${H}x${channels} needs ${W * H * channels}`);
  }
  const w = Math.ceil(W / f);
  const h = Math.ceil(H / f);
  const n = W * H;
  const grey = colourChannels === 1;
  const shift = src.bitDepth === 16 ? 8 : 0;
  const lo = new Uint8Array(n);
  const hi = grey ? lo : new Uint8Array(n);
  const loSums = new Float64Array(w * h);
  const hiSums = grey ? loSums : new Float64Array(w * h);
  const planes = grey ? 1 : 3;
  const sums = colour ? new Float64Array(planes * w * h) : undefined;
  const plane = w * h;
  for (let y = 0; y < H; y++) {
    const base = ((y / f) | 0) * w;
    let i = y * W;
    let j = i * channels;
    for (let bx = 0; bx < w; bx++) {
      const end = Math.min(W, (bx + 1) * f) + y * W;
      let sl = 0;
      let sh = 0;
      let sr = 0;
      let sg = 0;
      let sb = 0;
      if (grey) {
        for (; i < end; i++, j += channels) {
          const v = data[j]!;
          lo[i] = v >>> shift;
          sl += v >>> shift;
          sr += v;
        }
      } else {
        for (; i < end; i++, j += channels) {
          const r = data[j]!;
          const g = data[j + 1]!;
          const b = data[j + 2]!;
          const l = (r < g ? (r < b ? r : b) : g < b ? g : b) >>> shift;
          const u = (r > g ? (r > b ? r : b) : g > b ? g : b) >>> shift;
          lo[i] = l;
          hi[i] = u;
          sl += l;
          sh += u;
          sr += r;
          sg += g;
          sb += b;
        }
        hiSums[base + bx]! += sh;
      }
      loSums[base + bx]! += sl;
      if (sums) {
        sums[base + bx]! += sr;
        if (!grey) {
          sums[plane + base + bx]! += sg;
          sums[2 * plane + base + bx]! += sb;
        }
      }
    }
  }
  const full: Planes = { bright: { width: W, height: H, data: lo }, dark: { width: W, height: H, data: hi } };
  let working = full;
  if (f > 1) {
    const bright = meansOf(loSums, w, h, f, W, H);
    working = { bright, dark: grey ? bright : meansOf(hiSums, w, h, f, W, H) };
  }
  const colourSums = sums && { width: w, height: h, factor: f, sourceWidth: W, sourceHeight: H, planes, sums, max: src.bitDepth === 16 ? 65535 : 255 } as const;
  return colourSums ? { full, working, colour: colourSums } : { full, working };
}

/** The colour block sums of a photo at factor f (see BlockSums). */
export function blockSums(src: PixelSource, f: number): BlockSums {
  return reducePhoto(src, f, true).colour!;
}

/** The same photo's block sums at twice the factor: each block the sum of up to 2x2 finer ones. */
export function coarserSums(s: BlockSums): BlockSums {
  const w = Math.ceil(s.width / 2);
  const h = Math.ceil(s.height / 2);
  const sums = new Float64Array(s.planes * w * h);
  for (let c = 0; c < s.planes; c++) {
    const from = c * s.width * s.height;
    const to = c * w * h;
    for (let y = 0; y < s.height; y++) {
      const row = to + (y >> 1) * w;
      const src = from + y * s.width;
      for (let x = 0; x < s.width; x++) sums[row + (x >> 1)]! += s.sums[src + x]!;
    }
  }
  return { ...s, width: w, height: h, factor: 2 * s.factor, sums };
}

/** Pixels in block column bx (or row) of a photo `size` px long reduced by f. */
export function blockSpan(bx: number, f: number, size: number): number {
  return Math.min(f, size - bx * f);
}

function meansOf(sums: Float64Array, w: number, h: number, f: number, W: number, H: number): GreyImage {
  const out = new Uint8Array(w * h);
  for (let by = 0; by < h; by++) {
    const rows = blockSpan(by, f, H);
    for (let bx = 0; bx < w; bx++) out[by * w + bx] = Math.round(sums[by * w + bx]! / (rows * blockSpan(bx, f, W)));
  }
  return { width: w, height: h, data: out };
}
