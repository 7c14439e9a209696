import type { MaskBitmap } from './mask-bitmap';

/**
 * The mask the engine fills: the union (OR) of the given layers' masks.
 * Returns width*height bytes, row-major, image space, 1 = fill, 0 = keep.
 */
export function unionMasks(masks: readonly MaskBitmap[], width: number, height: number): Uint8Array {
  const out = new Uint8Array(width * height);
  for (const mask of masks) {
    if (mask.width !== width || mask.height !== height) throw new Error('unionMasks: masks differ in size');
    const src = mask.data;
    for (let i = 0; i < out.length; i++) out[i] = out[i]! | src[i]!;
  }
  return out;
}

/** Pixels set in `union` (a unionMasks result or any 0/1 array). */
export function countSet(union: Uint8Array): number {
  let n = 0;
  for (let i = 0; i < union.length; i++) n += union[i]!;
  return n;
}
