import sharp from 'sharp';
import type { SnapPhotoCache } from './snap-cache';
import { DEFAULT_SNAP_SENSITIVITY, snapSpot, snapStroke, type Point, type SnapMask } from './snap';

/** One snap: the photo at imagePath, a stroke (or a spot click) in its pixels, the brush width. */
export interface SnapRequest {
  /** Absolute path of the photo. */
  readonly imagePath: string;
  readonly kind: 'stroke' | 'spot';
  /** [x, y] photo pixels; a spot uses the first. */
  readonly points: readonly Point[];
  /** Brush diameter in photo pixels (a spot searches within half of it). */
  readonly width: number;
  /** 0..1; DEFAULT_SNAP_SENSITIVITY when absent. */
  readonly sensitivity?: number;
}

export interface SnapResult {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
  readonly pixels: number;
  /** 8-bit grey PNG of the window (width x height), white = damage; null when nothing was found. */
  readonly png: Uint8Array | null;
  readonly sensitivity: number;
  /** Whether the photo's planes were already cached (no decode). */
  readonly cached: boolean;
  readonly ms: number;
}

/**
 * Runs one snap against a cache of decoded photos: the damage under the
 * stroke (src/main/defects/snap.ts), cut to the smallest window holding it
 * and encoded as a PNG for the renderer.
 */
export async function runSnap(cache: SnapPhotoCache, request: SnapRequest): Promise<SnapResult> {
  const start = performance.now();
  const { planes, cached } = await cache.planes(request.imagePath);
  const sensitivity = request.sensitivity ?? DEFAULT_SNAP_SENSITIVITY;
  const found =
    request.kind === 'spot'
      ? snapSpot(planes, request.points[0]!, request.width / 2, { sensitivity })
      : snapStroke(planes, { points: request.points, width: request.width }, { sensitivity });
  // A stroke's window is already cut to what it found; a spot's is the search disc's box.
  const window = request.kind === 'spot' || found.pixels === 0 ? tight(found) : found;
  const png = window.pixels > 0 ? new Uint8Array(await encodeWindow(window)) : null;
  return { x: window.x, y: window.y, width: window.width, height: window.height, pixels: window.pixels, png, sensitivity, cached, ms: performance.now() - start };
}

/** The window cut to its marked pixels (0 x 0 when there are none), so the PNG holds no empty margin. */
export function tight(m: SnapMask): SnapMask {
  let x0 = m.width;
  let y0 = m.height;
  let x1 = 0;
  let y1 = 0;
  for (let y = 0; y < m.height; y++) {
    const row = y * m.width;
    for (let x = 0; x < m.width; x++) {
      if (!m.mask[row + x]) continue;
      if (x < x0) x0 = x;
      if (x >= x1) x1 = x + 1;
      if (y < y0) y0 = y;
      y1 = y + 1;
    }
  }
  if (x1 <= x0 || y1 <= y0) return { x: m.x, y: m.y, width: 0, height: 0, mask: new Uint8Array(0), pixels: 0 };
  if (x0 === 0 && y0 === 0 && x1 === m.width && y1 === m.height) return m;
  const width = x1 - x0;
  const height = y1 - y0;
  const mask = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) mask.set(m.mask.subarray((y0 + y) * m.width + x0, (y0 + y) * m.width + x1), y * width);
  return { x: m.x + x0, y: m.y + y0, width, height, mask, pixels: m.pixels };
}

function encodeWindow(m: SnapMask): Promise<Buffer> {
  return (
    sharp(m.mask, { raw: { width: m.width, height: m.height, channels: 1 } })
      // One grey channel, as defects:detect's masks: sharp would otherwise widen it to sRGB.
      .toColourspace('b-w')
      // Speed over size: the window is read once, at once, on the same machine.
      .png({ compressionLevel: 1 })
      .toBuffer()
  );
}
