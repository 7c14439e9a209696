import sharp from 'sharp';
import { EngineError } from '../errors/engine-error';
import { forEachNonZeroQuad } from './mask-scan';
import { photoInputOptions } from './decode';

/**
 * A binary mask in photo space.
 * data: Uint8Array of width*height, row-major, 1 = fill (damaged), 0 = keep.
 */
export interface BinaryMask {
  readonly width: number;
  readonly height: number;
  readonly data: Uint8Array;
}

export interface MaskOptions {
  /** Swap fill and keep (for masks drawn black-on-white). */
  readonly invert?: boolean;
  /** Grow the mask by 0-3 px (square neighbourhood) to cover halos around damage. */
  readonly dilatePx?: number;
}

/** Values above this (0..255 luminance, after compositing alpha on black) mean fill. */
export const MASK_THRESHOLD = 127;

/**
 * Loads a mask from a file path or encoded image bytes (any format sharp
 * reads), applies its own EXIF orientation, and binarises it at 127: white =
 * fill. Transparent areas count as black, so an RGBA drawing with white
 * strokes on a clear background works as is. When its size differs from the
 * photo it is resized with nearest-neighbour, so it stays binary and thin
 * strokes do not smear.
 */
export async function loadMask(
  source: string | Uint8Array,
  width: number,
  height: number,
  options: MaskOptions = {},
): Promise<BinaryMask> {
  const label = typeof source === 'string' ? source : `mask bytes (${source.byteLength} bytes)`;
  const fill = options.invert ? 0 : 1;
  let data: Uint8Array;
  try {
    data = await maskBits(source, width, height, fill);
  } catch (err) {
    throw new EngineError(
      'MASK_UNREADABLE',
      `Cannot read mask ${label}: the file is damaged, cut short or not an image; save the mask again`,
      err instanceof Error ? err.message.trim() : String(err),
    );
  }
  if (data.length !== width * height) {
    throw new EngineError('MASK_UNREADABLE', `Mask ${label} decoded to ${data.length} pixels, expected ${width * height}`);
  }
  const mask = { width, height, data };
  const dilate = options.dilatePx ?? 0;
  return dilate > 0 ? dilateMask(mask, dilate) : mask;
}

/**
 * The mask at the photo's size, binarised (fill where its grey, flattened on black, is above
 * MASK_THRESHOLD). Masks are nearly always neutral (black, white, grey) and opaque, without a
 * colour profile: then the grey is any colour channel (libvips' b-w conversion returns neutral
 * 8-bit values unchanged), read without the conversion, which costs more than decoding the
 * mask. Anything else goes through the conversion.
 */
async function maskBits(source: string | Uint8Array, width: number, height: number, fill: 0 | 1): Promise<Uint8Array> {
  const meta = await sharp(source, photoInputOptions('apply')).metadata();
  const resize = meta.autoOrient.width !== width || meta.autoOrient.height !== height;
  const read = () => {
    const pipeline = sharp(source, photoInputOptions('apply'));
    return resize ? pipeline.resize(width, height, { kernel: 'nearest', fit: 'fill' }) : pipeline;
  };
  if (!meta.icc && meta.depth === 'uchar') {
    const { data, info } = await read().raw().toBuffer({ resolveWithObject: true });
    const bits = binarise(data, info.channels, fill);
    if (bits) return bits;
  }
  const grey = await read().flatten({ background: '#000000' }).toColourspace('b-w').extractChannel(0).raw({ depth: 'uchar' }).toBuffer();
  return binarise(grey, 1, fill)!;
}

/**
 * Interleaved 8-bit samples thresholded at MASK_THRESHOLD; null when a pixel's colour channels
 * disagree or its alpha is not opaque (its grey on black is then not a channel's value).
 */
function binarise(data: Uint8Array, channels: number, fill: 0 | 1): Uint8Array | null {
  const n = data.length / channels;
  const bits = new Uint8Array(n);
  const keep = 1 - fill;
  // One loop per layout: this runs over every pixel of the photo, and a general loop with
  // per-pixel branches on the layout costs several times more.
  if (channels === 1) {
    for (let p = 0; p < n; p++) bits[p] = data[p]! > MASK_THRESHOLD ? fill : keep;
  } else if (channels === 3) {
    for (let p = 0, i = 0; p < n; p++, i += 3) {
      const v = data[i]!;
      if (data[i + 1] !== v || data[i + 2] !== v) return null;
      bits[p] = v > MASK_THRESHOLD ? fill : keep;
    }
  } else if (channels === 4) {
    for (let p = 0, i = 0; p < n; p++, i += 4) {
      const v = data[i]!;
      if (data[i + 1] !== v || data[i + 2] !== v || data[i + 3] !== 255) return null;
      bits[p] = v > MASK_THRESHOLD ? fill : keep;
    }
  } else {
    for (let p = 0, i = 0; p < n; p++, i += 2) {
      if (data[i + 1] !== 255) return null;
      bits[p] = data[i]! > MASK_THRESHOLD ? fill : keep;
    }
  }
  return bits;
}

/** Square dilation by r px (0-3), as two separable running-max passes. */
export function dilateMask(mask: BinaryMask, radius: number): BinaryMask {
  const r = Math.max(0, Math.min(3, Math.round(radius)));
  if (r === 0) return mask;
  const { width, height } = mask;
  const horizontal = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    const row = y * width;
    for (let x = 0; x < width; x++) {
      if (!mask.data[row + x]) continue;
      const x0 = Math.max(0, x - r);
      const x1 = Math.min(width - 1, x + r);
      for (let xx = x0; xx <= x1; xx++) horizontal[row + xx] = 1;
    }
  }
  const out = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    const row = y * width;
    for (let x = 0; x < width; x++) {
      if (!horizontal[row + x]) continue;
      const y0 = Math.max(0, y - r);
      const y1 = Math.min(height - 1, y + r);
      for (let yy = y0; yy <= y1; yy++) out[yy * width + x] = 1;
    }
  }
  return { width, height, data: out };
}

export function countMasked(mask: BinaryMask): number {
  const data = mask.data;
  let n = 0;
  forEachNonZeroQuad(data, (start, end) => {
    for (let i = start; i < end; i++) n += data[i]!;
  });
  return n;
}
