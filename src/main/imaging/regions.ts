import type { BinaryMask } from './mask';
import { nextNonZero, quadsOf } from './mask-scan';

/** An axis-aligned box in photo pixels: x0,y0 inclusive, x1,y1 exclusive. */
export interface Box {
  readonly x0: number;
  readonly y0: number;
  readonly x1: number;
  readonly y1: number;
}

export const boxWidth = (b: Box): number => b.x1 - b.x0;
export const boxHeight = (b: Box): number => b.y1 - b.y0;

/**
 * Bounding boxes of the 8-connected regions of a mask.
 *
 * Works on horizontal runs with union-find, so memory grows with the number
 * of runs (small for scratch and dust masks), not with the photo: a 40 MP
 * label image would cost 160 MB.
 */
export function regionBoxes(mask: BinaryMask): Box[] {
  const { width, height, data } = mask;
  let runs = new Int32Array(4 * 1024); // per run: x0, x1 (exclusive), y, parent
  let count = 0;
  const find = (i: number): number => {
    while (runs[i * 4 + 3] !== i) {
      const parent = runs[i * 4 + 3]!;
      runs[i * 4 + 3] = runs[parent * 4 + 3]!; // path halving
      i = parent;
    }
    return i;
  };
  const union = (a: number, b: number): void => {
    const ra = find(a);
    const rb = find(b);
    if (ra !== rb) runs[Math.max(ra, rb) * 4 + 3] = Math.min(ra, rb);
  };

  let prevStart = 0;
  let prevEnd = 0;
  const quads = quadsOf(data);
  for (let y = 0; y < height; y++) {
    const rowStart = count;
    const row = y * width;
    let x = 0;
    while (x < width) {
      x = nextNonZero(data, quads, row + x, row + width) - row;
      if (x >= width) break;
      const start = x;
      while (x < width && data[row + x]) x++;
      if ((count + 1) * 4 > runs.length) {
        const grown = new Int32Array(runs.length * 2);
        grown.set(runs);
        runs = grown;
      }
      const id = count++;
      runs[id * 4] = start;
      runs[id * 4 + 1] = x;
      runs[id * 4 + 2] = y;
      runs[id * 4 + 3] = id;
      // 8-connectivity: runs on the previous row touching [start-1, x] join.
      for (let p = prevStart; p < prevEnd; p++) {
        if (runs[p * 4]! <= x && runs[p * 4 + 1]! >= start) union(id, p);
      }
    }
    prevStart = rowStart;
    prevEnd = count;
  }

  const boxes = new Map<number, { x0: number; y0: number; x1: number; y1: number }>();
  for (let i = 0; i < count; i++) {
    const root = find(i);
    const x0 = runs[i * 4]!;
    const x1 = runs[i * 4 + 1]!;
    const y = runs[i * 4 + 2]!;
    const b = boxes.get(root);
    if (!b) boxes.set(root, { x0, y0: y, x1, y1: y + 1 });
    else {
      b.x0 = Math.min(b.x0, x0);
      b.x1 = Math.max(b.x1, x1);
      b.y1 = Math.max(b.y1, y + 1);
    }
  }
  return [...boxes.values()];
}

/** Grows a box by margin on every side, clipped to the photo. */
export function expandBox(b: Box, margin: number, width: number, height: number): Box {
  return {
    x0: Math.max(0, b.x0 - margin),
    y0: Math.max(0, b.y0 - margin),
    x1: Math.min(width, b.x1 + margin),
    y1: Math.min(height, b.y1 + margin),
  };
}

const overlaps = (a: Box, b: Box): boolean => a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1;

/**
 * Merges overlapping boxes until none overlap. Afterwards every masked pixel
 * lies in exactly one box, so boxes can be processed in any order without one
 * crop's context containing another crop's unfilled damage.
 */
export function mergeOverlapping(input: readonly Box[]): Box[] {
  let boxes = [...input];
  let changed = true;
  while (changed) {
    changed = false;
    boxes.sort((a, b) => a.x0 - b.x0);
    const out: Box[] = [];
    const alive = boxes.map(() => true);
    for (let i = 0; i < boxes.length; i++) {
      if (!alive[i]) continue;
      let cur = boxes[i]!;
      // Sorted by x0: once a box starts right of cur's end it and all after it cannot touch cur,
      // but cur grows as it absorbs boxes, so rescan until it stops growing.
      let grew = true;
      while (grew) {
        grew = false;
        for (let j = i + 1; j < boxes.length && boxes[j]!.x0 < cur.x1; j++) {
          if (!alive[j] || !overlaps(cur, boxes[j]!)) continue;
          const o = boxes[j]!;
          cur = { x0: Math.min(cur.x0, o.x0), y0: Math.min(cur.y0, o.y0), x1: Math.max(cur.x1, o.x1), y1: Math.max(cur.y1, o.y1) };
          alive[j] = false;
          grew = true;
          changed = true;
        }
      }
      out.push(cur);
    }
    boxes = out;
  }
  return boxes;
}
