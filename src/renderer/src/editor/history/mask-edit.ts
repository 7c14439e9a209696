import type { Point, Rect } from '../geometry';
import { EMPTY_RECT, intersectRect, isEmpty, pixelBounds, pointExtent, unionRect } from '../geometry';
import type { MaskBitmap } from '../mask/mask-bitmap';
import { grownArea } from '../mask/grow';
import { clearMask, fillPolygon, fillRect, invertMask, stampSegment } from '../mask/rasterize';
import type { BlobStore } from './blob-store';
import type { Change, TilePatch } from './changes';

/** Masks are versioned in square tiles: a stroke's undo data is the tiles it touched, not the photo. */
export const TILE_SIZE = 256;

export function tileRect(mask: { width: number; height: number }, tile: number): Rect {
  const tilesX = Math.ceil(mask.width / TILE_SIZE);
  const tx = tile % tilesX;
  const ty = Math.floor(tile / tilesX);
  return intersectRect(
    { x0: tx * TILE_SIZE, y0: ty * TILE_SIZE, x1: (tx + 1) * TILE_SIZE, y1: (ty + 1) * TILE_SIZE },
    { x0: 0, y0: 0, x1: mask.width, y1: mask.height },
  );
}

function tilesOver(mask: { width: number }, r: Rect): number[] {
  const tilesX = Math.ceil(mask.width / TILE_SIZE);
  const out: number[] = [];
  for (let ty = Math.floor(r.y0 / TILE_SIZE); ty <= Math.floor((r.y1 - 1) / TILE_SIZE); ty++) {
    for (let tx = Math.floor(r.x0 / TILE_SIZE); tx <= Math.floor((r.x1 - 1) / TILE_SIZE); tx++) out.push(ty * tilesX + tx);
  }
  return out;
}

/**
 * One gesture's edit of one layer mask (a stroke, a lasso fill, a clear).
 * Pixels change at once, so the overlay can show them while the pointer
 * moves; before first touching a tile the edit keeps a copy of it, which
 * makes `commit` a tile-level diff for the history and `cancel` (Escape) an
 * exact roll-back. Every method returns the rectangle it changed.
 */
export class MaskEdit {
  private readonly backups = new Map<number, Uint8Array>();
  private dirtyRect: Rect = EMPTY_RECT;
  private finished = false;

  constructor(
    readonly layerId: string,
    private readonly mask: MaskBitmap,
  ) {}

  get dirty(): Rect {
    return this.dirtyRect;
  }

  segment(a: Point, b: Point, radius: number, value: 0 | 1): Rect {
    const r = Math.max(0.5, radius);
    this.touch(pixelBounds(Math.min(a.x, b.x) - r, Math.min(a.y, b.y) - r, Math.max(a.x, b.x) + r, Math.max(a.y, b.y) + r, this.mask.width, this.mask.height));
    return this.track(stampSegment(this.mask, a, b, radius, value));
  }

  polygon(points: readonly Point[], value: 0 | 1): Rect {
    if (points.length < 3) return EMPTY_RECT;
    const { minX, minY, maxX, maxY } = pointExtent(points);
    this.touch(pixelBounds(minX, minY, maxX + 1, maxY + 1, this.mask.width, this.mask.height));
    return this.track(fillPolygon(this.mask, points, value));
  }

  rect(a: Point, b: Point, value: 0 | 1): Rect {
    this.touch(pixelBounds(a.x, a.y, b.x, b.y, this.mask.width, this.mask.height));
    return this.track(fillRect(this.mask, a, b, value));
  }

  /** ORs another mask in (merge down), within `within` (the other mask's content bounds). */
  merge(other: { readonly data: Uint8Array }, within: Rect): Rect {
    return this.combine(other.data, within, (mine, theirs) => mine | theirs);
  }

  /**
   * Marks the set pixels of a window (`data`: width*height bytes, row-major,
   * non-zero = mark) placed at (x, y) in the photo: the damage a snap found.
   * Parts outside the photo are dropped.
   */
  mergeWindow(window: { readonly x: number; readonly y: number; readonly width: number; readonly height: number; readonly data: Uint8Array }): Rect {
    const { x: wx, y: wy, width: ww, data: bits } = window;
    const r = intersectRect({ x0: wx, y0: wy, x1: wx + ww, y1: wy + window.height }, { x0: 0, y0: 0, x1: this.mask.width, y1: this.mask.height });
    if (isEmpty(r)) return EMPTY_RECT;
    this.touch(r);
    const { data, width } = this.mask;
    for (let y = r.y0; y < r.y1; y++) {
      const from = (y - wy) * ww - wx;
      for (let x = r.x0, i = y * width + r.x0; x < r.x1; x++, i++) if (bits[from + x]) data[i] = 1;
    }
    return this.track(r);
  }

  /** Unmarks what another mask marks (a restore consumed it), within `within`. */
  subtract(other: { readonly data: Uint8Array }, within: Rect): Rect {
    return this.combine(other.data, within, (mine, theirs) => mine & ~theirs & 1);
  }

  /** Takes another mask's pixels (a new detection), within `within` (both masks' content bounds). */
  replace(other: { readonly data: Uint8Array }, within: Rect): Rect {
    return this.combine(other.data, within, (_mine, theirs) => theirs);
  }

  /** Moves the mask's edge out (radius > 0) or in (radius < 0) by |radius| px; see grownArea. */
  grow(radius: number): Rect {
    const { width, height } = this.mask;
    const r = Math.round(Math.abs(radius));
    const b = this.mask.bounds();
    if (isEmpty(b) || r === 0) return EMPTY_RECT;
    const area = intersectRect(radius > 0 ? { x0: b.x0 - r, y0: b.y0 - r, x1: b.x1 + r, y1: b.y1 + r } : b, { x0: 0, y0: 0, x1: width, y1: height });
    const next = grownArea(this.mask.data, width, height, radius, area);
    this.touch(area);
    this.mask.writeRect(area, next);
    return this.track(area);
  }

  private combine(other: Uint8Array, within: Rect, op: (mine: number, theirs: number) => number): Rect {
    const r = intersectRect(within, { x0: 0, y0: 0, x1: this.mask.width, y1: this.mask.height });
    if (isEmpty(r)) return EMPTY_RECT;
    this.touch(r);
    const { data, width } = this.mask;
    for (let y = r.y0; y < r.y1; y++) {
      for (let i = y * width + r.x0, end = y * width + r.x1; i < end; i++) data[i] = op(data[i]!, other[i]!);
    }
    return this.track(r);
  }

  clear(): Rect {
    this.touch(this.mask.bounds());
    return this.track(clearMask(this.mask));
  }

  invert(): Rect {
    this.touch({ x0: 0, y0: 0, x1: this.mask.width, y1: this.mask.height });
    return this.track(invertMask(this.mask));
  }

  /** The history change for this edit (only tiles that really changed); null when nothing did. */
  commit(blobs: BlobStore): Change | null {
    this.finish();
    const tiles: TilePatch[] = [];
    for (const [tile, before] of this.backups) {
      const after = this.mask.readRect(tileRect(this.mask, tile));
      if (equalBytes(before, after)) continue;
      tiles.push({ tile, before: blobs.put(before), after: blobs.put(after) });
    }
    return tiles.length > 0 ? { kind: 'mask', layerId: this.layerId, tiles } : null;
  }

  /** Puts every touched tile back; returns the area to redraw. */
  cancel(): Rect {
    this.finish();
    for (const [tile, before] of this.backups) this.mask.writeRect(tileRect(this.mask, tile), before);
    return this.dirtyRect;
  }

  private touch(r: Rect): void {
    if (this.finished) throw new Error('MaskEdit used after commit or cancel');
    if (isEmpty(r)) return;
    for (const tile of tilesOver(this.mask, r)) {
      if (!this.backups.has(tile)) this.backups.set(tile, this.mask.readRect(tileRect(this.mask, tile)));
    }
  }

  private track(changed: Rect): Rect {
    this.dirtyRect = unionRect(this.dirtyRect, changed);
    return changed;
  }

  private finish(): void {
    if (this.finished) throw new Error('MaskEdit already finished');
    this.finished = true;
  }
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
