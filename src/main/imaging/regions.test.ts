import { describe, expect, it } from 'vitest';
import type { BinaryMask } from './mask';
import { mergeOverlapping, regionBoxes } from './regions';

function maskFrom(rows: string[]): BinaryMask {
  const height = rows.length;
  const width = rows[0]!.length;
  const data = new Uint8Array(width * height);
  rows.forEach((row, y) => [...row].forEach((ch, x) => (data[y * width + x] = ch === '#' ? 1 : 0)));
  return { width, height, data };
}

const sortBoxes = <T extends { x0: number; y0: number }>(b: T[]) => [...b].sort((p, q) => p.y0 - q.y0 || p.x0 - q.x0);

describe('regionBoxes', () => {
  it('finds 8-connected regions, joining diagonal steps and U shapes', () => {
    const mask = maskFrom([
      '#.......##',
      '.#......#.',
      '..#..#..##',
      '.....#....',
      '#.#..###..',
      '###.......',
    ]);
    expect(sortBoxes(regionBoxes(mask))).toEqual([
      { x0: 0, y0: 0, x1: 3, y1: 3 }, // diagonal line
      { x0: 8, y0: 0, x1: 10, y1: 3 },
      { x0: 5, y0: 2, x1: 8, y1: 5 },
      { x0: 0, y0: 4, x1: 3, y1: 6 }, // U: two runs joined by the row below
    ]);
  });

  it('returns nothing for an empty mask and one box for a full one', () => {
    expect(regionBoxes(maskFrom(['...', '...']))).toEqual([]);
    expect(regionBoxes(maskFrom(['###', '###']))).toEqual([{ x0: 0, y0: 0, x1: 3, y1: 2 }]);
  });

  it('handles many runs (grows its run table)', () => {
    const width = 2000;
    const height = 40;
    const data = new Uint8Array(width * height);
    for (let y = 0; y < height; y += 2) for (let x = 0; x < width; x += 2) data[y * width + x] = 1;
    expect(regionBoxes({ width, height, data })).toHaveLength((width / 2) * (height / 2));
  });
});

describe('mergeOverlapping', () => {
  it('merges chains of overlapping boxes and keeps separate ones apart', () => {
    const merged = mergeOverlapping([
      { x0: 0, y0: 0, x1: 10, y1: 10 },
      { x0: 50, y0: 50, x1: 60, y1: 60 },
      { x0: 8, y0: 8, x1: 20, y1: 20 },
      { x0: 19, y0: 0, x1: 30, y1: 9 },
      { x0: 30, y0: 0, x1: 40, y1: 5 }, // touches at x=30 only: not overlapping
    ]);
    expect(sortBoxes(merged)).toEqual([
      { x0: 0, y0: 0, x1: 30, y1: 20 },
      { x0: 30, y0: 0, x1: 40, y1: 5 },
      { x0: 50, y0: 50, x1: 60, y1: 60 },
    ]);
  });

  it('catches a merge that only becomes possible after another merge grew a box', () => {
    const merged = mergeOverlapping([
      { x0: 0, y0: 0, x1: 10, y1: 10 },
      { x0: 5, y0: 20, x1: 15, y1: 30 },
      { x0: 8, y0: 5, x1: 12, y1: 25 },
    ]);
    expect(merged).toEqual([{ x0: 0, y0: 0, x1: 15, y1: 30 }]);
  });
});
