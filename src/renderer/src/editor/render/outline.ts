import { intersectRect, rectHeight, rectWidth, type Rect } from '../geometry';
import { grownArea } from '../mask/grow';

/**
 * Which pixels of `r` lie within `width` px of the edge of the marks (the
 * union of `masks`, each width*height bytes, 1 = masked): set and not in the
 * marks shrunk by `width`. The photo border is not an edge. Returns
 * rectWidth(r)*rectHeight(r) bytes, row-major, 1 = edge.
 */
export function outlineOf(masks: readonly Uint8Array[], width: number, height: number, r: Rect, bandWidth: number): Uint8Array {
  const band = Math.max(1, Math.round(bandWidth));
  // The union around r, wide enough that every pixel of r sees its whole neighbourhood.
  const around = intersectRect({ x0: r.x0 - band, y0: r.y0 - band, x1: r.x1 + band, y1: r.y1 + band }, { x0: 0, y0: 0, x1: width, y1: height });
  const aw = rectWidth(around);
  const ah = rectHeight(around);
  const union = new Uint8Array(aw * ah);
  for (let y = around.y0; y < around.y1; y++) {
    for (let x = around.x0; x < around.x1; x++) {
      let v = 0;
      for (const m of masks) v |= m[y * width + x]!;
      union[(y - around.y0) * aw + (x - around.x0)] = v;
    }
  }
  // Shrinking treats outside `around` as marked: right at the photo border, and harmless elsewhere (band px away from r).
  const local = { x0: r.x0 - around.x0, y0: r.y0 - around.y0, x1: r.x1 - around.x0, y1: r.y1 - around.y0 };
  const inner = grownArea(union, aw, ah, -band, local);
  const w = rectWidth(r);
  const out = new Uint8Array(w * rectHeight(r));
  for (let y = 0; y < rectHeight(r); y++) {
    for (let x = 0; x < w; x++) out[y * w + x] = union[(y + local.y0) * aw + x + local.x0]! & (inner[y * w + x]! ^ 1);
  }
  return out;
}
