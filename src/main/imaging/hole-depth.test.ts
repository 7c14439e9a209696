import { describe, expect, it } from 'vitest';
import { holeDepth } from './hole-depth';
import type { BinaryMask } from './mask';

function maskOf(width: number, height: number, inside: (x: number, y: number) => boolean): BinaryMask {
  const data = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) data[y * width + x] = inside(x, y) ? 1 : 0;
  return { width, height, data };
}

/** Brute force: nearest unmasked pixel of the box for every masked pixel. */
function bruteDepth(mask: BinaryMask): number {
  let max = 0;
  for (let y = 0; y < mask.height; y++) {
    for (let x = 0; x < mask.width; x++) {
      if (!mask.data[y * mask.width + x]) continue;
      let best = Infinity;
      for (let yy = 0; yy < mask.height; yy++) {
        for (let xx = 0; xx < mask.width; xx++) {
          if (!mask.data[yy * mask.width + xx]) best = Math.min(best, (x - xx) ** 2 + (y - yy) ** 2);
        }
      }
      max = Math.max(max, best);
    }
  }
  return Math.min(Math.sqrt(max), Math.max(mask.width, mask.height));
}

const whole = (m: BinaryMask) => ({ x0: 0, y0: 0, x1: m.width, y1: m.height });

describe('holeDepth', () => {
  it('measures how far a hole reaches from its edge, not its area', () => {
    const scratch = maskOf(120, 80, (x, y) => Math.abs(y - (10 + x * 0.5)) < 1.5);
    const box = maskOf(120, 80, (x, y) => x >= 20 && x < 80 && y >= 10 && y < 50);
    expect(holeDepth(scratch, whole(scratch))).toBeLessThanOrEqual(2);
    // A 60x40 box is 20 deep at its centre.
    expect(holeDepth(box, whole(box))).toBe(20);
    expect(holeDepth(maskOf(10, 10, () => false), { x0: 0, y0: 0, x1: 10, y1: 10 })).toBe(0);
  });

  it('matches brute force on random masks; the photo edge is not context', () => {
    let seed = 7;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
    for (let t = 0; t < 20; t++) {
      const w = 5 + Math.floor(rnd() * 20);
      const h = 5 + Math.floor(rnd() * 20);
      const p = 0.5 + rnd() * 0.5;
      const m = maskOf(w, h, () => rnd() < p);
      expect(holeDepth(m, whole(m))).toBeCloseTo(bruteDepth(m), 9);
    }
    // A torn corner: the hole touches the edge, and only its inner side has context.
    const corner = maskOf(60, 60, (x, y) => x + y < 30);
    expect(holeDepth(corner, whole(corner))).toBeCloseTo(30 / Math.SQRT2, 0);
    const full = maskOf(9, 5, () => true);
    expect(holeDepth(full, whole(full))).toBe(9);
  });
});
