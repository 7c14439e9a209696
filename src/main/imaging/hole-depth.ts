import type { BinaryMask } from './mask';
import type { Box } from './regions';

/**
 * How deep the hole reaches inside a box: the largest Euclidean distance, in
 * pixels, from a masked pixel to the nearest unmasked pixel of the box. A
 * 2-px scratch is about 1 deep, a 200-px tear about 100, whatever their area.
 * Outside the box is not context (a torn corner's edge is the photo's), so a
 * box with no unmasked pixel at all is as deep as its longest side.
 *
 * Exact distance transform of Felzenszwalb and Huttenlocher: one 1-D lower
 * envelope of parabolas per column, then per row; O(pixels).
 */
export function holeDepth(mask: BinaryMask, box: Box): number {
  const w = box.x1 - box.x0;
  const h = box.y1 - box.y0;
  if (w <= 0 || h <= 0) return 0;
  const INF = 1e20;
  const d = new Float64Array(w * h);
  let any = false;
  for (let y = 0; y < h; y++) {
    const row = (box.y0 + y) * mask.width + box.x0;
    for (let x = 0; x < w; x++) {
      const hole = mask.data[row + x] !== 0;
      d[y * w + x] = hole ? INF : 0;
      any ||= hole;
    }
  }
  if (!any) return 0;
  const n = Math.max(w, h);
  const f = new Float64Array(n);
  const out = new Float64Array(n);
  const v = new Int32Array(n);
  const z = new Float64Array(n + 1);
  for (let x = 0; x < w; x++) {
    for (let y = 0; y < h; y++) f[y] = d[y * w + x]!;
    envelope(f, h, out, v, z);
    for (let y = 0; y < h; y++) d[y * w + x] = out[y]!;
  }
  let max = 0;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) f[x] = d[y * w + x]!;
    envelope(f, w, out, v, z);
    for (let x = 0; x < w; x++) if (out[x]! > max) max = out[x]!;
  }
  return Math.min(Math.sqrt(max), Math.max(w, h));
}

/** Squared distance transform of sampled function f[0..n) into out (1-D, in place buffers). */
function envelope(f: Float64Array, n: number, out: Float64Array, v: Int32Array, z: Float64Array): void {
  let k = 0;
  v[0] = 0;
  z[0] = -Infinity;
  z[1] = Infinity;
  for (let q = 1; q < n; q++) {
    // z[0] is -Infinity, so k never drops below 0.
    let s = intersection(f, q, v[k]!);
    while (s <= z[k]!) s = intersection(f, q, v[--k]!);
    k++;
    v[k] = q;
    z[k] = s;
    z[k + 1] = Infinity;
  }
  k = 0;
  for (let q = 0; q < n; q++) {
    while (z[k + 1]! < q) k++;
    const p = v[k]!;
    out[q] = (q - p) * (q - p) + f[p]!;
  }
}

/** Where the parabolas rooted at q and p cross. */
function intersection(f: Float64Array, q: number, p: number): number {
  return (f[q]! + q * q - (f[p]! + p * p)) / (2 * q - 2 * p);
}
