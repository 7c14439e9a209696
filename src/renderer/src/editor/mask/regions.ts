import { EMPTY_RECT, isEmpty, unionRect, type Rect } from '../geometry';

/**
 * The marked regions of a mask, for stepping through them one by one:
 * bounding boxes of 8-connected groups of marked pixels, with groups closer
 * than `gap` px merged (a dusty patch is one stop, not forty), in reading
 * order (top to bottom, then left to right).
 *
 * data: width*height bytes, row-major, image space, 1 = marked; only
 * `within` (the marks' content bounds) is searched.
 */
export function markRegions(data: Uint8Array, width: number, within: Rect, gap = 16): Rect[] {
  if (isEmpty(within)) return [];
  const w = within.x1 - within.x0;
  const h = within.y1 - within.y0;
  const seen = new Uint8Array(w * h);
  const stack: number[] = [];
  const boxes: Rect[] = [];
  for (let start = 0; start < seen.length; start++) {
    const sx = start % w;
    const sy = (start - sx) / w;
    if (seen[start] || !data[(sy + within.y0) * width + sx + within.x0]) continue;
    seen[start] = 1;
    stack.push(start);
    let box = { x0: sx, y0: sy, x1: sx + 1, y1: sy + 1 };
    while (stack.length > 0) {
      const i = stack.pop()!;
      const x = i % w;
      const y = (i - x) / w;
      box = { x0: Math.min(box.x0, x), y0: Math.min(box.y0, y), x1: Math.max(box.x1, x + 1), y1: Math.max(box.y1, y + 1) };
      for (let ny = Math.max(0, y - 1); ny <= Math.min(h - 1, y + 1); ny++) {
        for (let nx = Math.max(0, x - 1); nx <= Math.min(w - 1, x + 1); nx++) {
          const j = ny * w + nx;
          if (seen[j] || !data[(ny + within.y0) * width + nx + within.x0]) continue;
          seen[j] = 1;
          stack.push(j);
        }
      }
    }
    boxes.push({ x0: box.x0 + within.x0, y0: box.y0 + within.y0, x1: box.x1 + within.x0, y1: box.y1 + within.y0 });
  }
  return mergeNear(boxes, gap).sort((a, b) => a.y0 - b.y0 || a.x0 - b.x0);
}

/** Merges boxes whose gap is under `gap` px until none are, so chains of specks become one region. */
function mergeNear(boxes: Rect[], gap: number): Rect[] {
  let out = boxes;
  for (let merged = true; merged; ) {
    merged = false;
    const next: Rect[] = [];
    for (const box of out) {
      const i = next.findIndex((b) => near(b, box, gap));
      if (i < 0) next.push(box);
      else {
        next[i] = unionRect(next[i]!, box);
        merged = true;
      }
    }
    out = next;
  }
  return out;
}

function near(a: Rect, b: Rect, gap: number): boolean {
  return a.x0 < b.x1 + gap && b.x0 < a.x1 + gap && a.y0 < b.y1 + gap && b.y0 < a.y1 + gap;
}

/** The region after (direction 1) or before (-1) `current` in the list, wrapping; EMPTY_RECT when there are none. */
export function stepRegion(regions: readonly Rect[], current: number, direction: 1 | -1): { index: number; rect: Rect } {
  if (regions.length === 0) return { index: -1, rect: EMPTY_RECT };
  const index = current < 0 ? (direction > 0 ? 0 : regions.length - 1) : (((current + direction) % regions.length) + regions.length) % regions.length;
  return { index, rect: regions[index]! };
}
