import { describe, expect, it } from 'vitest';
import { grownArea } from './grow';

const full = (w: number, h: number) => ({ x0: 0, y0: 0, x1: w, y1: h });
const count = (a: Uint8Array) => a.reduce((n, v) => n + v, 0);

function square(w: number, h: number, x0: number, y0: number, size: number): Uint8Array {
  const data = new Uint8Array(w * h);
  for (let y = y0; y < y0 + size; y++) for (let x = x0; x < x0 + size; x++) data[y * w + x] = 1;
  return data;
}

describe('growing and shrinking a mask', () => {
  it('grows a dot into a disc of the radius', () => {
    const data = new Uint8Array(21 * 21);
    data[10 * 21 + 10] = 1;
    // Points with dx² + dy² <= r²: 5 for r = 1, 13 for r = 2, 81 for r = 5.
    expect(count(grownArea(data, 21, 21, 1, full(21, 21)))).toBe(5);
    expect(count(grownArea(data, 21, 21, 2, full(21, 21)))).toBe(13);
    expect(count(grownArea(data, 21, 21, 5, full(21, 21)))).toBe(81);
  });

  it('shrinks a square from every side by the radius, and thin lines vanish', () => {
    const data = square(30, 30, 10, 10, 10);
    const shrunk = grownArea(data, 30, 30, -2, full(30, 30));
    expect(count(shrunk)).toBe(6 * 6);
    expect(shrunk[12 * 30 + 12]).toBe(1);
    expect(shrunk[11 * 30 + 15]).toBe(0);
    // A one-pixel line disappears entirely.
    const thin = new Uint8Array(30 * 30);
    for (let x = 5; x < 25; x++) thin[15 * 30 + x] = 1;
    expect(count(grownArea(thin, 30, 30, -1, full(30, 30)))).toBe(0);
  });

  it('does not pull marks away from the photo border when shrinking', () => {
    // A 6x6 corner patch: only its two inner sides move.
    const data = square(20, 20, 0, 0, 6);
    const shrunk = grownArea(data, 20, 20, -1, full(20, 20));
    expect(count(shrunk)).toBe(5 * 5);
    expect(shrunk[0]).toBe(1);
  });

  it('computes only the area asked for, with neighbours outside it still counted', () => {
    const data = square(40, 40, 10, 10, 4);
    const area = { x0: 8, y0: 8, x1: 16, y1: 16 };
    const part = grownArea(data, 40, 40, 1, area);
    expect(part.length).toBe(64);
    const whole = grownArea(data, 40, 40, 1, full(40, 40));
    for (let y = 8; y < 16; y++) for (let x = 8; x < 16; x++) expect(part[(y - 8) * 8 + (x - 8)]).toBe(whole[y * 40 + x]);
    expect(count(whole)).toBe(4 * 4 + 4 * 4);
  });
});
