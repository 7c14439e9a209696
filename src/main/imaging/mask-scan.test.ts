import { describe, expect, it } from 'vitest';
import { forEachNonZeroQuad, nextNonZero, quadsOf } from './mask-scan';

/** A sparse raster (about 2 % set, values 1..255) seen through a view starting `offset` bytes into its buffer. */
function sparse(length: number, offset: number, seed: number): Uint8Array {
  const data = new Uint8Array(length + offset).subarray(offset);
  let s = seed;
  for (let i = 0; i < length; i++) {
    s = (s * 1103515245 + 12345) >>> 0;
    if (s % 50 === 0) data[i] = 1 + (s >>> 24);
  }
  return data;
}

describe('mask scans', () => {
  for (const offset of [0, 1, 2, 3]) {
    it(`find exactly the non-zero samples, aligned or not (byte offset ${offset})`, () => {
      const data = sparse(1003, offset, 7 + offset);
      const expected = [...data.keys()].filter((i) => data[i] !== 0);
      expect(expected.length).toBeGreaterThan(5);

      const visited: number[] = [];
      forEachNonZeroQuad(data, (start, end) => {
        for (let i = start; i < end; i++) if (data[i]) visited.push(i);
      });
      expect(visited).toEqual(expected);

      // Rows of odd length, so row ends fall inside 4-sample words.
      const quads = quadsOf(data);
      expect(quads.length).toBe(offset === 0 ? 250 : 0);
      const found: number[] = [];
      for (let row = 0; row < data.length; row += 17) {
        const end = Math.min(data.length, row + 17);
        for (let i = nextNonZero(data, quads, row, end); i < end; i = nextNonZero(data, quads, i + 1, end)) found.push(i);
      }
      expect(found).toEqual(expected);
    });
  }

  it('returns the end of the range when nothing in it is set, even when the next word is', () => {
    const data = new Uint8Array(16);
    data[6] = 9;
    expect(nextNonZero(data, quadsOf(data), 0, 6)).toBe(6);
    expect(nextNonZero(data, quadsOf(data), 0, 16)).toBe(6);
    expect(nextNonZero(data, quadsOf(data), 7, 16)).toBe(16);
  });
});
