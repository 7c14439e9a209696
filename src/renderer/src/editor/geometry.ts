/** A point in image space: full-resolution photo pixels, origin top-left, x right, y down. */
export interface Point {
  readonly x: number;
  readonly y: number;
}

/** An integer pixel rectangle in image space; x0/y0 inclusive, x1/y1 exclusive. */
export interface Rect {
  readonly x0: number;
  readonly y0: number;
  readonly x1: number;
  readonly y1: number;
}

export const EMPTY_RECT: Rect = { x0: 0, y0: 0, x1: 0, y1: 0 };

export function isEmpty(r: Rect): boolean {
  return r.x1 <= r.x0 || r.y1 <= r.y0;
}

export function rectWidth(r: Rect): number {
  return Math.max(0, r.x1 - r.x0);
}

export function rectHeight(r: Rect): number {
  return Math.max(0, r.y1 - r.y0);
}

export function unionRect(a: Rect, b: Rect): Rect {
  if (isEmpty(a)) return b;
  if (isEmpty(b)) return a;
  return { x0: Math.min(a.x0, b.x0), y0: Math.min(a.y0, b.y0), x1: Math.max(a.x1, b.x1), y1: Math.max(a.y1, b.y1) };
}

export function intersectRect(a: Rect, b: Rect): Rect {
  const r = { x0: Math.max(a.x0, b.x0), y0: Math.max(a.y0, b.y0), x1: Math.min(a.x1, b.x1), y1: Math.min(a.y1, b.y1) };
  return isEmpty(r) ? EMPTY_RECT : r;
}

/** The whole-pixel rectangle covering [x0,x1) x [y0,y1) in real coordinates, clipped to width x height. */
export function pixelBounds(x0: number, y0: number, x1: number, y1: number, width: number, height: number): Rect {
  return intersectRect(
    { x0: Math.floor(Math.min(x0, x1)), y0: Math.floor(Math.min(y0, y1)), x1: Math.ceil(Math.max(x0, x1)), y1: Math.ceil(Math.max(y0, y1)) },
    { x0: 0, y0: 0, x1: width, y1: height },
  );
}

/** The real-valued extremes of some points (Infinity/-Infinity when there are none). */
export function pointExtent(points: readonly Point[]): { minX: number; minY: number; maxX: number; maxY: number } {
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (const p of points) {
    minX = Math.min(minX, p.x);
    minY = Math.min(minY, p.y);
    maxX = Math.max(maxX, p.x);
    maxY = Math.max(maxY, p.y);
  }
  return { minX, minY, maxX, maxY };
}

export function fullRect(width: number, height: number): Rect {
  return { x0: 0, y0: 0, x1: width, y1: height };
}
