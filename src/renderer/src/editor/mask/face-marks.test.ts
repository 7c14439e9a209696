import { describe, expect, it } from 'vitest';
import { marksOnFaces } from './face-marks';
import { markRegions } from './regions';

function maskWith(width: number, height: number, rects: [number, number, number, number][]): Uint8Array {
  const data = new Uint8Array(width * height);
  for (const [x0, y0, x1, y1] of rects) for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) data[y * width + x] = 1;
  return data;
}

describe('marks on faces', () => {
  const width = 200;
  const height = 120;
  const face = { x: 50, y: 20, width: 40, height: 50, score: 0.9 };

  it('counts a mark whose pixels enter a face box, and not one whose box only covers it', () => {
    const all = { x0: 0, y0: 0, x1: width, y1: height };
    // A scratch across the face and a speck far away.
    const data = maskWith(width, height, [
      [40, 40, 100, 42],
      [150, 100, 153, 103],
    ]);
    const regions = markRegions(data, width, all);
    expect(regions).toHaveLength(2);
    expect(marksOnFaces(data, width, regions, [face])).toEqual([regions[0]]);
    // An L going round the face: its box covers the face, its pixels do not.
    const round = maskWith(width, height, [
      [10, 10, 110, 12],
      [108, 10, 110, 100],
    ]);
    const roundRegions = markRegions(round, width, all);
    expect(roundRegions).toHaveLength(1);
    expect(marksOnFaces(round, width, roundRegions, [face])).toEqual([]);
  });

  it('finds nothing without faces or without marks on them', () => {
    const data = maskWith(width, height, [[0, 0, 10, 10]]);
    const regions = markRegions(data, width, { x0: 0, y0: 0, x1: width, y1: height });
    expect(marksOnFaces(data, width, regions, [])).toEqual([]);
    expect(marksOnFaces(data, width, regions, [face])).toEqual([]);
  });
});
