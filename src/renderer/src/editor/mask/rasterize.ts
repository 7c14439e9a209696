import { EMPTY_RECT, fullRect, isEmpty, pixelBounds, pointExtent, type Point, type Rect } from '../geometry';
import type { MaskBitmap } from './mask-bitmap';

/*
 * Shape rasterisers over a full-resolution MaskBitmap, all in image space.
 * A pixel (x, y) is covered when its centre (x + 0.5, y + 0.5) lies in the
 * shape. Each returns the rectangle it may have changed (empty when nothing),
 * which the history and the overlay use as their dirty region.
 * `value`: 1 paints (brush), 0 erases.
 */

/**
 * A round-capped stroke segment from a to b (a capsule) of the given radius;
 * a === b stamps a disc. Consecutive segments of one stroke share their end
 * discs, so a polyline paints without gaps or seams.
 */
export function stampSegment(mask: MaskBitmap, a: Point, b: Point, radius: number, value: 0 | 1): Rect {
  const r = Math.max(0.5, radius);
  const bounds = pixelBounds(Math.min(a.x, b.x) - r, Math.min(a.y, b.y) - r, Math.max(a.x, b.x) + r, Math.max(a.y, b.y) + r, mask.width, mask.height);
  if (isEmpty(bounds)) return EMPTY_RECT;
  const { data, width } = mask;
  let changed: Rect = EMPTY_RECT;
  for (let y = bounds.y0; y < bounds.y1; y++) {
    // The capsule is convex, so each row meets it in one span of pixel centres: fill it whole.
    const span = capsuleSpan(a, b, r, y + 0.5);
    if (!span) continue;
    const x0 = Math.max(bounds.x0, Math.ceil(span[0] - 0.5));
    const x1 = Math.min(bounds.x1, Math.floor(span[1] - 0.5) + 1);
    if (x1 <= x0) continue;
    data.fill(value, y * width + x0, y * width + x1);
    changed = isEmpty(changed) ? { x0, y0: y, x1, y1: y + 1 } : { x0: Math.min(changed.x0, x0), y0: changed.y0, x1: Math.max(changed.x1, x1), y1: y + 1 };
  }
  return changed;
}

/**
 * Where the horizontal line at height py crosses the capsule around a-b of
 * radius r: [left, right] in x, or null. The capsule is the union of the two
 * end discs and the band along the segment; each meets the line in an
 * interval and, the capsule being convex, their union is one interval.
 */
function capsuleSpan(a: Point, b: Point, r: number, py: number): [number, number] | null {
  let lo = Infinity;
  let hi = -Infinity;
  for (const c of [a, b]) {
    const dy = py - c.y;
    const h2 = r * r - dy * dy;
    if (h2 < 0) continue;
    const h = Math.sqrt(h2);
    lo = Math.min(lo, c.x - h);
    hi = Math.max(hi, c.x + h);
  }
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  const len = Math.hypot(dx, dy);
  if (len > 0 && dy !== 0) {
    // Inside the band: 0 <= t(x) <= 1 and |n(x)| <= r, both linear in x.
    // t(x) = ((x - a.x) dx + (py - a.y) dy) / len^2 ; n(x) = ((x - a.x) dy - (py - a.y) dx) / len
    const tRange = linearRange(dx / (len * len), ((-a.x) * dx + (py - a.y) * dy) / (len * len), 0, 1);
    const nRange = linearRange(dy / len, ((-a.x) * dy - (py - a.y) * dx) / len, -r, r);
    const l = Math.max(tRange[0], nRange[0]);
    const h = Math.min(tRange[1], nRange[1]);
    if (l <= h) {
      lo = Math.min(lo, l);
      hi = Math.max(hi, h);
    }
  } else if (len > 0) {
    // A horizontal segment: the band covers the row when the row is within r of it.
    if (Math.abs(py - a.y) <= r) {
      lo = Math.min(lo, Math.min(a.x, b.x));
      hi = Math.max(hi, Math.max(a.x, b.x));
    }
  }
  return lo <= hi ? [lo, hi] : null;
}

/** The x where min <= k x + m <= max, for k != 0 (k = 0: everything or nothing). */
function linearRange(k: number, m: number, min: number, max: number): [number, number] {
  if (k === 0) return m >= min && m <= max ? [-Infinity, Infinity] : [Infinity, -Infinity];
  const p = (min - m) / k;
  const q = (max - m) / k;
  return p < q ? [p, q] : [q, p];
}

/**
 * A closed polygon (the lasso), filled by the even-odd rule with a scanline
 * over pixel centres; fewer than 3 points fill nothing.
 */
export function fillPolygon(mask: MaskBitmap, points: readonly Point[], value: 0 | 1): Rect {
  if (points.length < 3) return EMPTY_RECT;
  const { minX, minY, maxX, maxY } = pointExtent(points);
  const bounds = pixelBounds(minX, minY, maxX, maxY, mask.width, mask.height);
  if (isEmpty(bounds)) return EMPTY_RECT;
  const { data, width } = mask;
  const n = points.length;
  const crossings: number[] = [];
  let changed: Rect = EMPTY_RECT;
  for (let y = bounds.y0; y < bounds.y1; y++) {
    const py = y + 0.5;
    crossings.length = 0;
    for (let i = 0, j = n - 1; i < n; j = i++) {
      const pi = points[i]!;
      const pj = points[j]!;
      // Half-open rule: an edge counts when py is in [min y, max y), so shared vertices count once.
      if (pi.y > py !== pj.y > py) crossings.push(pi.x + ((py - pi.y) / (pj.y - pi.y)) * (pj.x - pi.x));
    }
    crossings.sort((p, q) => p - q);
    for (let k = 0; k + 1 < crossings.length; k += 2) {
      // Pixels whose centre lies in [left, right).
      const x0 = Math.max(bounds.x0, Math.ceil(crossings[k]! - 0.5));
      const x1 = Math.min(bounds.x1, Math.ceil(crossings[k + 1]! - 0.5));
      if (x1 <= x0) continue;
      data.fill(value, y * width + x0, y * width + x1);
      changed = {
        x0: isEmpty(changed) ? x0 : Math.min(changed.x0, x0),
        y0: isEmpty(changed) ? y : Math.min(changed.y0, y),
        x1: isEmpty(changed) ? x1 : Math.max(changed.x1, x1),
        y1: y + 1,
      };
    }
  }
  return changed;
}

/** An axis-aligned rectangle between two corner points (any order). */
export function fillRect(mask: MaskBitmap, a: Point, b: Point, value: 0 | 1): Rect {
  const x0 = Math.max(0, Math.round(Math.min(a.x, b.x)));
  const x1 = Math.min(mask.width, Math.round(Math.max(a.x, b.x)));
  const y0 = Math.max(0, Math.round(Math.min(a.y, b.y)));
  const y1 = Math.min(mask.height, Math.round(Math.max(a.y, b.y)));
  if (x1 <= x0 || y1 <= y0) return EMPTY_RECT;
  for (let y = y0; y < y1; y++) mask.data.fill(value, y * mask.width + x0, y * mask.width + x1);
  return { x0, y0, x1, y1 };
}

export function clearMask(mask: MaskBitmap): Rect {
  const bounds = mask.bounds();
  if (isEmpty(bounds)) return EMPTY_RECT;
  mask.data.fill(0);
  return bounds;
}

export function invertMask(mask: MaskBitmap): Rect {
  const { data } = mask;
  for (let i = 0; i < data.length; i++) data[i] = data[i]! ^ 1;
  return fullRect(mask.width, mask.height);
}
