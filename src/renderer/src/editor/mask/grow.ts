import { intersectRect, isEmpty, rectWidth, type Rect } from '../geometry';

/** The most a layer's edge moves in one grow or shrink step (px). */
export const MAX_GROW = 5;

/**
 * Grows (radius > 0) or shrinks (radius < 0) a 0/1 mask by a disc of |radius|
 * photo pixels: a pixel is set after growing when some set pixel lies within
 * the disc around it, and stays set after shrinking only when no unset pixel
 * does. Outside the photo counts as set when shrinking, so marks touching the
 * border (a torn corner) do not pull away from it.
 *
 * data: width*height bytes, row-major, image space, 1 = masked. Only `area`
 * is computed (it must hold every pixel that can change: the content bounds,
 * plus |radius| when growing). Returns the new pixels of `area`, row-major,
 * rectWidth*rectHeight bytes.
 */
export function grownArea(data: Uint8Array, width: number, height: number, radius: number, area: Rect): Uint8Array {
  const r = Math.round(Math.abs(radius));
  const a = intersectRect(area, { x0: 0, y0: 0, x1: width, y1: height });
  const w = rectWidth(a);
  const out = new Uint8Array(w * Math.max(0, a.y1 - a.y0));
  if (isEmpty(a)) return out;
  const grow = radius > 0;
  // Growing looks for set pixels near each pixel; shrinking for unset ones (outside the photo counts as set).
  const target = grow ? 1 : 0;
  const outside = 1 - target;
  const valueAt = (x: number, y: number): number => (x < 0 || y < 0 || x >= width || y >= height ? outside : data[y * width + x]!);
  // Per row of the area widened by r: horizontal distance to the nearest target pixel (r + 1 = none within r).
  const rows = new Map<number, Int32Array>();
  const rowDistance = (y: number): Int32Array => {
    let d = rows.get(y);
    if (d) return d;
    d = new Int32Array(w).fill(r + 1);
    let last = -Infinity;
    for (let x = a.x0 - r; x < a.x1; x++) {
      if (valueAt(x, y) === target) last = x;
      if (x >= a.x0) d[x - a.x0] = Math.min(r + 1, x - last);
    }
    let next = Infinity;
    for (let x = a.x1 - 1 + r; x >= a.x0; x--) {
      if (valueAt(x, y) === target) next = x;
      if (x < a.x1) d[x - a.x0] = Math.min(d[x - a.x0]!, next - x);
    }
    rows.set(y, d);
    return d;
  };
  const r2 = r * r;
  for (let y = a.y0; y < a.y1; y++) {
    // Rows further than r above no longer matter.
    rows.delete(y - r - 1);
    const line = (y - a.y0) * w;
    const band: Int32Array[] = [];
    for (let dy = -r; dy <= r; dy++) band.push(rowDistance(y + dy));
    for (let i = 0; i < w; i++) {
      let near = false;
      for (let k = 0; k < band.length && !near; k++) {
        const dx = band[k]![i]!;
        const dy = k - r;
        near = dx <= r && dx * dx + dy * dy <= r2;
      }
      const own = data[y * width + a.x0 + i]!;
      out[line + i] = grow ? (near ? 1 : 0) : own && !near ? 1 : 0;
    }
  }
  return out;
}
