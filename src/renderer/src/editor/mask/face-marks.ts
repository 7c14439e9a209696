import type { FaceBox } from '@shared/ipc/defects';
import { intersectRect, isEmpty, type Rect } from '../geometry';

/**
 * The marked regions (markRegions' boxes) that touch a face: some marked
 * pixel of the region lies inside a face box. data: width*height bytes,
 * row-major, image space, 1 = marked. Order is kept (reading order).
 */
export function marksOnFaces(data: Uint8Array, width: number, regions: readonly Rect[], faces: readonly FaceBox[]): Rect[] {
  if (faces.length === 0) return [];
  const boxes = faces.map((f) => ({ x0: Math.floor(f.x), y0: Math.floor(f.y), x1: Math.ceil(f.x + f.width), y1: Math.ceil(f.y + f.height) }));
  return regions.filter((region) => boxes.some((face) => anyMarked(data, width, intersectRect(region, face))));
}

function anyMarked(data: Uint8Array, width: number, r: Rect): boolean {
  if (isEmpty(r)) return false;
  for (let y = r.y0; y < r.y1; y++) {
    for (let i = y * width + r.x0, end = y * width + r.x1; i < end; i++) if (data[i]) return true;
  }
  return false;
}
