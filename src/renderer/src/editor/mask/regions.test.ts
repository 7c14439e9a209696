import { describe, expect, it } from 'vitest';
import { markRegions, stepRegion } from './regions';

function mark(data: Uint8Array, width: number, x0: number, y0: number, x1: number, y1: number): void {
  for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) data[y * width + x] = 1;
}

describe('stepping through marked regions', () => {
  const all = { x0: 0, y0: 0, x1: 100, y1: 100 };

  it('finds separate marks in reading order', () => {
    const data = new Uint8Array(100 * 100);
    mark(data, 100, 60, 70, 70, 80);
    mark(data, 100, 10, 5, 20, 8);
    mark(data, 100, 70, 5, 72, 30);
    expect(markRegions(data, 100, all)).toEqual([
      { x0: 10, y0: 5, x1: 20, y1: 8 },
      { x0: 70, y0: 5, x1: 72, y1: 30 },
      { x0: 60, y0: 70, x1: 70, y1: 80 },
    ]);
  });

  it('joins diagonal neighbours and nearby specks into one stop', () => {
    const data = new Uint8Array(100 * 100);
    data[10 * 100 + 10] = 1;
    data[11 * 100 + 11] = 1;
    data[20 * 100 + 25] = 1;
    data[90 * 100 + 90] = 1;
    expect(markRegions(data, 100, all, 16)).toEqual([
      { x0: 10, y0: 10, x1: 26, y1: 21 },
      { x0: 90, y0: 90, x1: 91, y1: 91 },
    ]);
    expect(markRegions(data, 100, all, 0)).toHaveLength(3);
  });

  it('searches only within the bounds given and finds nothing in an empty mask', () => {
    const data = new Uint8Array(100 * 100);
    expect(markRegions(data, 100, all)).toEqual([]);
    mark(data, 100, 50, 50, 52, 52);
    expect(markRegions(data, 100, { x0: 40, y0: 40, x1: 60, y1: 60 })).toEqual([{ x0: 50, y0: 50, x1: 52, y1: 52 }]);
  });

  it('steps forward and back, wrapping round', () => {
    const r = [1, 2, 3].map((v) => ({ x0: v, y0: v, x1: v + 1, y1: v + 1 }));
    expect(stepRegion(r, -1, 1).index).toBe(0);
    expect(stepRegion(r, -1, -1).index).toBe(2);
    expect(stepRegion(r, 2, 1).index).toBe(0);
    expect(stepRegion(r, 0, -1).index).toBe(2);
    expect(stepRegion([], 0, 1).index).toBe(-1);
  });
});
