import sharp from 'sharp';
import { EngineError } from '../errors/engine-error';
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
  let grey: Buffer;
  try {
    let pipeline = sharp(source, photoInputOptions('apply'))
      .flatten({ background: '#000000' })
      .toColourspace('b-w');
    const meta = await sharp(source, { autoOrient: true }).metadata();
    if (meta.autoOrient.width !== width || meta.autoOrient.height !== height) {
      pipeline = pipeline.resize(width, height, { kernel: 'nearest', fit: 'fill' });
    }
    grey = await pipeline.extractChannel(0).raw({ depth: 'uchar' }).toBuffer();
  } catch (err) {
    throw new EngineError(
      'MASK_UNREADABLE',
      `Cannot read mask ${label}: the file is damaged, cut short or not an image; save the mask again`,
      err instanceof Error ? err.message.trim() : String(err),
    );
  }
  if (grey.length !== width * height) {
    throw new EngineError('MASK_UNREADABLE', `Mask ${label} decoded to ${grey.length} pixels, expected ${width * height}`);
  }
  const data = new Uint8Array(width * height);
  const fill = options.invert ? 0 : 1;
  for (let i = 0; i < data.length; i++) data[i] = grey[i]! > MASK_THRESHOLD ? fill : 1 - fill;
  const mask = { width, height, data };
  const dilate = options.dilatePx ?? 0;
  return dilate > 0 ? dilateMask(mask, dilate) : mask;
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
  let n = 0;
  for (let i = 0; i < mask.data.length; i++) n += mask.data[i]!;
  return n;
}
