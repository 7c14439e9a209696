import { scoreLevel } from '@shared/ipc/detection';

/**
 * Detection's preview scores for one image version (defects:detect's
 * `scores`, see scoreLevel): a byte per pixel of the photo box-reduced by
 * `factor`, row-major.
 */
export interface ScoreMap {
  readonly documentId: string;
  readonly imageVersion: number;
  readonly width: number;
  readonly height: number;
  readonly factor: number;
  readonly data: Uint8Array;
}

/**
 * The preview mask at a sensitivity: photo-size 0/1 bytes (width*height,
 * row-major), each photo pixel taking the score of the reduced pixel it lies
 * in. Cheap enough to run on every slider step (one pass over the photo).
 */
export function previewBits(map: ScoreMap, sensitivity: number, width: number, height: number): Uint8Array {
  const level = scoreLevel(sensitivity);
  const { data, factor: f, width: sw } = map;
  const out = new Uint8Array(width * height);
  // Columns map to reduced columns the same way on every row: work that out once.
  const column = new Int32Array(width);
  for (let x = 0; x < width; x++) column[x] = Math.min(sw - 1, (x / f) | 0);
  for (let y = 0; y < height; y++) {
    const row = Math.min(map.height - 1, (y / f) | 0) * sw;
    const o = y * width;
    for (let x = 0; x < width; x++) out[o + x] = data[row + column[x]!]! > level ? 1 : 0;
  }
  return out;
}
