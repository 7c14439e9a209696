import { describe, expect, it } from 'vitest';
import { outlineOf } from './outline';

function square(w: number, h: number, x0: number, y0: number, size: number): Uint8Array {
  const data = new Uint8Array(w * h);
  for (let y = y0; y < y0 + size; y++) for (let x = x0; x < x0 + size; x++) data[y * w + x] = 1;
  return data;
}

describe('the high-contrast outline', () => {
  const full = { x0: 0, y0: 0, x1: 40, y1: 40 };

  it('keeps a band along the edge and leaves the inside clear', () => {
    const edge = outlineOf([square(40, 40, 10, 10, 10)], 40, 40, full, 2);
    expect(edge.reduce((n, v) => n + v, 0)).toBe(100 - 36);
    expect(edge[15 * 40 + 15]).toBe(0);
    expect(edge[10 * 40 + 15]).toBe(1);
    expect(edge[5 * 40 + 5]).toBe(0);
  });

  it('outlines the union of layers, not each layer, and not along the photo border', () => {
    const left = square(40, 40, 0, 10, 10);
    const right = square(40, 40, 10, 10, 10);
    const edge = outlineOf([left, right], 40, 40, full, 1);
    // The seam between the two layers is inside the union; x = 0 is the photo border.
    expect(edge[15 * 40 + 10]).toBe(0);
    expect(edge[15 * 40 + 0]).toBe(0);
    expect(edge[15 * 40 + 19]).toBe(1);
    expect(edge[10 * 40 + 5]).toBe(1);
  });

  it('gives the same pixels for a part as for the whole', () => {
    const mask = square(40, 40, 8, 8, 14);
    const whole = outlineOf([mask], 40, 40, full, 2);
    const part = { x0: 5, y0: 12, x1: 17, y1: 30 };
    const piece = outlineOf([mask], 40, 40, part, 2);
    for (let y = part.y0; y < part.y1; y++) for (let x = part.x0; x < part.x1; x++) expect(piece[(y - part.y0) * 12 + x - part.x0]).toBe(whole[y * 40 + x]);
  });
});
