/**
 * The snapping scratch brush: a rough stroke along a scratch or crack (or a
 * click on a dust spot) becomes a mask of just the damaged pixels under it.
 *
 * Inside the stroke's band, damage is what stands out from its surroundings
 * and is narrower than the band: a white top-hat of the bright plane (exposed
 * paper, light scratches) and a black top-hat of the dark plane (dirt, dark
 * scratches), with a radius set by the brush width, so a white collar or a
 * dark sleeve wider than the brush is not taken while a crack across it is.
 * The threshold adapts to the band (its median and spread: the band is mostly
 * undamaged photo) and the sensitivity; a hysteresis step keeps the faint
 * ends of a crack that is strong elsewhere, and a 1-px rim is added because a
 * crack's soft edge would otherwise ghost after the fill.
 *
 * Long strokes are cut into pieces about as long as the brush is wide, each
 * processed in its own small window, so the cost follows the stroke's area,
 * not its bounding box (a diagonal stroke across a 12 MP scan stays cheap).
 */
import { labelComponents } from './components';
import { blackTopHat, dilate, whiteTopHat, type GreyImage } from './morphology';
import { planesOf, type PixelSource, type Planes } from './raster';

export type Point = readonly [number, number];

export interface SnapStroke {
  /** Centre line in image pixels. One point is a dab. */
  readonly points: readonly Point[];
  /** Brush diameter in image pixels. */
  readonly width: number;
}

export interface SnapOptions {
  /** 0..1: higher takes fainter damage. */
  readonly sensitivity: number;
  /**
   * Light damage (exposed paper, white scratches), dark (dirt, dark scratches),
   * or 'auto': whichever stands out more in each window, both when about equal.
   */
  readonly polarity?: 'auto' | 'light' | 'dark';
}

/** A mask window: `mask` is width*height, 255 = damage, placed at (x, y) in the photo. */
export interface SnapMask {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
  readonly mask: Uint8Array;
  /** Damage pixels in `mask`. */
  readonly pixels: number;
}

/**
 * A photo, or its two planes already made (planesOf): a caller snapping many
 * strokes on one photo keeps the planes, since making them scans every pixel.
 */
export type SnapSource = PixelSource | Planes;

export const DEFAULT_SNAP_SENSITIVITY = 0.6;
/**
 * Below this top-hat height (8-bit levels) nothing counts as damage whatever
 * the band's statistics: in a flat dark area the spread is tiny and film grain
 * or JPEG noise would pass. From FLOOR_LOW at full sensitivity to FLOOR_HIGH at none.
 */
const FLOOR_LOW = 6;
const FLOOR_HIGH = 22;
const RIM_PX = 1;

/** The damaged pixels under a brush stroke. */
export function snapStroke(source: SnapSource, stroke: SnapStroke, options: SnapOptions): SnapMask {
  const planes = planesFor(source);
  const image = planes.bright;
  const width = Math.max(1, stroke.width);
  const radius = width / 2;
  const bounds = clampBox(boxOfPoints(stroke.points, radius + 1), image);
  if (bounds.width === 0 || bounds.height === 0) return emptyMask(bounds);
  const found: SnapMask[] = [];
  for (const piece of piecesOf(stroke.points, Math.max(8, 2 * width))) {
    const band = clampBox(boxOfPoints(piece, radius + 1), image);
    if (band.width === 0 || band.height === 0) continue;
    const inBand = bandOf(piece, radius, band);
    const part = snapWindow(planes, band, inBand, topHatRadius(width), options, 'all');
    if (part.pixels > 0) found.push(part);
  }
  return unionOf(found, bounds);
}

/**
 * The pieces' damage in one window around what they found (within `bounds`),
 * not the stroke's bounding box: a long diagonal stroke's box is most of the photo.
 * Nothing found: an empty window at the box's corner.
 */
function unionOf(found: readonly SnapMask[], bounds: Box): SnapMask {
  if (found.length === 0) return emptyMask({ x: bounds.x, y: bounds.y, width: 0, height: 0 });
  let x0 = Infinity;
  let y0 = Infinity;
  let x1 = -Infinity;
  let y1 = -Infinity;
  for (const f of found) {
    const c = contentBox(f);
    x0 = Math.min(x0, c.x);
    y0 = Math.min(y0, c.y);
    x1 = Math.max(x1, c.x + c.width);
    y1 = Math.max(y1, c.y + c.height);
  }
  const bx0 = Math.max(x0, bounds.x);
  const by0 = Math.max(y0, bounds.y);
  const bx1 = Math.min(x1, bounds.x + bounds.width);
  const by1 = Math.min(y1, bounds.y + bounds.height);
  const out = emptyMask({ x: bx0, y: by0, width: Math.max(0, bx1 - bx0), height: Math.max(0, by1 - by0) });
  let pixels = 0;
  for (const f of found) pixels += paste(out, f);
  return { ...out, pixels };
}

/** The smallest box holding a window's marked pixels (the window has some). */
function contentBox(m: SnapMask): Box {
  let x0 = m.width;
  let y0 = m.height;
  let x1 = 0;
  let y1 = 0;
  for (let y = 0; y < m.height; y++) {
    for (let x = 0, i = y * m.width; x < m.width; x++, i++) {
      if (!m.mask[i]) continue;
      if (x < x0) x0 = x;
      if (x >= x1) x1 = x + 1;
      if (y < y0) y0 = y;
      y1 = y + 1;
    }
  }
  return { x: m.x + x0, y: m.y + y0, width: Math.max(0, x1 - x0), height: Math.max(0, y1 - y0) };
}

/**
 * The damage inside a polygon no wider than `detailWidth` px: a whole area
 * of background swept at once (labelling a crack network). Tiled like a stroke.
 */
export function snapPolygon(source: SnapSource, polygon: readonly Point[], detailWidth: number, options: SnapOptions): SnapMask {
  const planes = planesFor(source);
  const bounds = clampBox(boxOfPoints(polygon, 1), planes.bright);
  const out = emptyMask(bounds);
  if (out.width === 0 || out.height === 0) return out;
  const tile = 128;
  const inside = (x: number, y: number): boolean => insidePolygon(x, y, polygon);
  for (let ty = bounds.y; ty < bounds.y + bounds.height; ty += tile) {
    for (let tx = bounds.x; tx < bounds.x + bounds.width; tx += tile) {
      const box = clampBox({ x: tx, y: ty, width: tile, height: tile }, { width: bounds.x + bounds.width, height: bounds.y + bounds.height });
      paste(out, snapWindow(planes, box, inside, topHatRadius(detailWidth), options, 'all'));
    }
  }
  return finish(out);
}

/** The spot under a click: the damaged component nearest `at` within `radius`. */
export function snapSpot(source: SnapSource, at: Point, radius: number, options: SnapOptions): SnapMask {
  const planes = planesFor(source);
  const r = Math.max(2, radius);
  const bounds = clampBox(boxOfPoints([at], r + 1), planes.bright);
  const out = emptyMask(bounds);
  if (out.width === 0 || out.height === 0) return out;
  const inBand = (x: number, y: number): boolean => Math.hypot(x - at[0], y - at[1]) <= r;
  const found = snapWindow(planes, bounds, inBand, topHatRadius(2 * r), options, at);
  paste(out, found);
  return finish(out);
}

function planesFor(source: SnapSource): Planes {
  return 'bright' in source ? source : planesOf(source);
}

interface Box {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/** A top-hat keeps details narrower than 2r+1: as wide as the brush, no wider. */
function topHatRadius(brushWidth: number): number {
  return Math.min(48, Math.max(2, Math.ceil(brushWidth / 2)));
}

/**
 * Damage inside `band` (pixels where `inBand` holds) of the window `box`,
 * which is widened by the top-hat radius so the filter sees the surroundings.
 * `keep` 'all' keeps every component; a point keeps the one nearest it.
 */
function snapWindow(
  planes: Planes,
  box: Box,
  inBand: (x: number, y: number) => boolean,
  r: number,
  options: SnapOptions,
  keep: 'all' | Point,
): SnapMask {
  const sensitivity = options.sensitivity;
  const polarity = options.polarity ?? 'auto';
  const full = planes.bright;
  const win = clampBox({ x: box.x - r - 1, y: box.y - r - 1, width: box.width + 2 * r + 2, height: box.height + 2 * r + 2 }, full);
  const bright = whiteTopHat(crop(planes.bright, win), r).data;
  const dark = blackTopHat(crop(planes.dark, win), r).data;
  const n = win.width * win.height;
  const band = new Uint8Array(n);
  const bandIdx: number[] = [];
  for (let y = 0; y < win.height; y++) {
    for (let x = 0; x < win.width; x++) {
      const px = win.x + x;
      const py = win.y + y;
      if (px < box.x || py < box.y || px >= box.x + box.width || py >= box.y + box.height) continue;
      if (!inBand(px + 0.5, py + 0.5)) continue;
      band[y * win.width + x] = 1;
      bandIdx.push(y * win.width + x);
    }
  }
  const empty: SnapMask = { ...win, mask: new Uint8Array(n), pixels: 0 };
  if (bandIdx.length === 0) return empty;
  // One polarity unless both are about as strong: a white crack's dark fringe is not damage.
  const hiB = rankOf(histogramOf(bright, bandIdx), 0.97, bandIdx.length);
  const hiD = rankOf(histogramOf(dark, bandIdx), 0.97, bandIdx.length);
  const useBright = polarity === 'light' || (polarity === 'auto' && hiB >= 0.85 * hiD);
  const useDark = polarity === 'dark' || (polarity === 'auto' && hiD >= 0.85 * hiB);
  const score = new Uint8Array(n);
  for (const i of bandIdx) score[i] = Math.max(useBright ? bright[i]! : 0, useDark ? dark[i]! : 0);
  const levels = histogramOf(score, bandIdx);
  const med = rankOf(levels, 0.5, bandIdx.length);
  // The median absolute deviation, from the same counts: |v - med| is an 8-bit level too.
  const deviations = new Uint32Array(256);
  for (let v = 0; v < 256; v++) deviations[Math.abs(v - med)]! += levels[v]!;
  const spread = Math.max(1, 1.4826 * rankOf(deviations, 0.5, bandIdx.length));
  const k = 6 - 4.5 * clamp01(sensitivity);
  const floor = FLOOR_HIGH - (FLOOR_HIGH - FLOOR_LOW) * clamp01(sensitivity);
  const strong = Math.max(floor, med + k * spread);
  const weak = Math.max(floor * 0.75, med + 0.5 * k * spread);
  const candidate = new Uint8Array(n);
  for (const i of bandIdx) if (score[i]! >= weak) candidate[i] = 1;
  const { labels, components } = labelComponents(candidate, win.width, win.height, score);
  const chosen = new Uint8Array(components.length + 1);
  if (keep === 'all') {
    for (const c of components) if (c.maxScore >= strong) chosen[c.label] = 1;
  } else {
    const target = nearestComponent(labels, win, keep, components.map((c) => c.maxScore >= strong));
    if (target) chosen[target] = 1;
  }
  const core = new Uint8Array(n);
  let any = false;
  for (let i = 0; i < n; i++) {
    if (chosen[labels[i]!]) {
      core[i] = 255;
      any = true;
    }
  }
  if (!any) return empty;
  // The soft rim, inside the band widened by the rim.
  const grown = dilate({ width: win.width, height: win.height, data: core }, RIM_PX).data;
  const bandGrown = dilate({ width: win.width, height: win.height, data: band }, RIM_PX).data;
  const mask = new Uint8Array(n);
  let pixels = 0;
  for (let i = 0; i < n; i++) {
    if (grown[i] && bandGrown[i]) {
      mask[i] = 255;
      pixels++;
    }
  }
  return { ...win, mask, pixels };
}

function nearestComponent(labels: Int32Array, win: Box, at: Point, strong: boolean[]): number {
  let best = 0;
  let bestD = Infinity;
  for (let y = 0; y < win.height; y++) {
    for (let x = 0; x < win.width; x++) {
      const l = labels[y * win.width + x]!;
      if (!l || !strong[l - 1]) continue;
      const d = Math.hypot(win.x + x + 0.5 - at[0], win.y + y + 0.5 - at[1]);
      if (d < bestD) {
        bestD = d;
        best = l;
      }
    }
  }
  return best;
}

/** Splits a polyline into runs of about `length` px (sharing end points) so each gets a small window. */
function piecesOf(points: readonly Point[], length: number): Point[][] {
  if (points.length <= 1) return [points.slice()];
  const pieces: Point[][] = [];
  let current: Point[] = [points[0]!];
  let run = 0;
  for (let i = 1; i < points.length; i++) {
    const a = points[i - 1]!;
    const b = points[i]!;
    const seg = Math.hypot(b[0] - a[0], b[1] - a[1]);
    const steps = Math.max(1, Math.ceil(seg / length));
    for (let s = 1; s <= steps; s++) {
      const t = s / steps;
      const p: Point = [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t];
      current.push(p);
      run += seg / steps;
      if (run >= length) {
        pieces.push(current);
        current = [p];
        run = 0;
      }
    }
  }
  if (current.length > 1 || pieces.length === 0) pieces.push(current);
  return pieces;
}

/** Even-odd rule: whether (x, y) lies inside the closed polygon. */
export function insidePolygon(x: number, y: number, poly: readonly Point[]): boolean {
  let inside = false;
  for (let i = 0, j = poly.length - 1; i < poly.length; j = i++) {
    const [xi, yi] = poly[i]!;
    const [xj, yj] = poly[j]!;
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/**
 * Which pixel centres of `box` lie within r of the polyline (distanceToPolyline
 * <= r), drawn once segment by segment, each over its own bounding box, with
 * squared distances: it is asked for every pixel of a stroke's band.
 */
function bandOf(points: readonly Point[], r: number, box: Box): (x: number, y: number) => boolean {
  const inside = new Uint8Array(box.width * box.height);
  const r2 = r * r;
  const segments = points.length === 1 ? [[points[0]!, points[0]!]] : points.slice(1).map((b, i) => [points[i]!, b]);
  for (const [[ax, ay], [bx, by]] of segments as [Point, Point][]) {
    const x0 = Math.max(box.x, Math.floor(Math.min(ax, bx) - r - 0.5));
    const x1 = Math.min(box.x + box.width - 1, Math.ceil(Math.max(ax, bx) + r - 0.5));
    const y0 = Math.max(box.y, Math.floor(Math.min(ay, by) - r - 0.5));
    const y1 = Math.min(box.y + box.height - 1, Math.ceil(Math.max(ay, by) + r - 0.5));
    const dx = bx - ax;
    const dy = by - ay;
    const len2 = dx * dx + dy * dy;
    for (let py = y0; py <= y1; py++) {
      const y = py + 0.5;
      const row = (py - box.y) * box.width - box.x;
      for (let px = x0; px <= x1; px++) {
        if (inside[row + px]) continue;
        const x = px + 0.5;
        const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, ((x - ax) * dx + (y - ay) * dy) / len2));
        const ex = x - (ax + t * dx);
        const ey = y - (ay + t * dy);
        if (ex * ex + ey * ey <= r2) inside[row + px] = 1;
      }
    }
  }
  return (x, y) => inside[(Math.floor(y) - box.y) * box.width + Math.floor(x) - box.x] === 1;
}

export function distanceToPolyline(x: number, y: number, points: readonly Point[]): number {
  if (points.length === 1) return Math.hypot(x - points[0]![0], y - points[0]![1]);
  let best = Infinity;
  for (let i = 1; i < points.length; i++) {
    const [ax, ay] = points[i - 1]!;
    const [bx, by] = points[i]!;
    const dx = bx - ax;
    const dy = by - ay;
    const len2 = dx * dx + dy * dy;
    const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, ((x - ax) * dx + (y - ay) * dy) / len2));
    const d = Math.hypot(x - (ax + t * dx), y - (ay + t * dy));
    if (d < best) best = d;
  }
  return best;
}

function boxOfPoints(points: readonly Point[], pad: number): Box {
  let x0 = Infinity;
  let y0 = Infinity;
  let x1 = -Infinity;
  let y1 = -Infinity;
  for (const [x, y] of points) {
    x0 = Math.min(x0, x);
    y0 = Math.min(y0, y);
    x1 = Math.max(x1, x);
    y1 = Math.max(y1, y);
  }
  const x = Math.floor(x0 - pad);
  const y = Math.floor(y0 - pad);
  return { x, y, width: Math.ceil(x1 + pad) - x, height: Math.ceil(y1 + pad) - y };
}

function clampBox(b: Box, image: { readonly width: number; readonly height: number }): Box {
  const x = Math.max(0, b.x);
  const y = Math.max(0, b.y);
  const x1 = Math.min(image.width, b.x + b.width);
  const y1 = Math.min(image.height, b.y + b.height);
  return { x, y, width: Math.max(0, x1 - x), height: Math.max(0, y1 - y) };
}

function crop(src: GreyImage, b: Box): GreyImage {
  const data = new Uint8Array(b.width * b.height);
  for (let y = 0; y < b.height; y++) {
    const from = (b.y + y) * src.width + b.x;
    data.set(src.data.subarray(from, from + b.width), y * b.width);
  }
  return { width: b.width, height: b.height, data };
}

function emptyMask(b: Box): { x: number; y: number; width: number; height: number; mask: Uint8Array; pixels: number } {
  return { ...b, mask: new Uint8Array(b.width * b.height), pixels: 0 };
}

/** ORs `from` into `into` where they overlap; returns how many pixels it newly marked. */
function paste(into: { x: number; y: number; width: number; height: number; mask: Uint8Array }, from: SnapMask): number {
  let added = 0;
  for (let y = 0; y < from.height; y++) {
    const ty = from.y + y - into.y;
    if (ty < 0 || ty >= into.height) continue;
    for (let x = 0; x < from.width; x++) {
      const tx = from.x + x - into.x;
      if (tx < 0 || tx >= into.width) continue;
      const i = ty * into.width + tx;
      if (from.mask[y * from.width + x] && !into.mask[i]) {
        into.mask[i] = 255;
        added++;
      }
    }
  }
  return added;
}

function finish(m: { x: number; y: number; width: number; height: number; mask: Uint8Array; pixels: number }): SnapMask {
  let pixels = 0;
  // Indexed: iterating a typed array of a stroke's bounding box (megapixels) is several times slower.
  for (let i = 0; i < m.mask.length; i++) if (m.mask[i]) pixels++;
  return { ...m, pixels };
}

/** Counts of the 8-bit levels of `data` at the indices `at`. */
function histogramOf(data: Uint8Array, at: readonly number[]): Uint32Array {
  const counts = new Uint32Array(256);
  for (const i of at) counts[data[i]!]!++;
  return counts;
}

/**
 * The q-quantile of `n` counted 8-bit levels: the value a sort of them would
 * hold at floor(q * n), found in linear time.
 */
function rankOf(counts: Uint32Array, q: number, n: number): number {
  if (n === 0) return 0;
  const rank = Math.min(n - 1, Math.floor(q * n));
  for (let v = 0, seen = 0; v < 256; v++) {
    seen += counts[v]!;
    if (seen > rank) return v;
  }
  return 255;
}

function clamp01(v: number): number {
  return Math.min(1, Math.max(0, v));
}
