import { describe, expect, it } from 'vitest';
import { blackTopHat, close, dilate, erode, open, whiteTopHat, type GreyImage } from './morphology';

function randomImage(width: number, height: number, seed: number): GreyImage {
  const data = new Uint8Array(width * height);
  let s = seed;
  for (let i = 0; i < data.length; i++) {
    s = (s * 1103515245 + 12345) >>> 0;
    data[i] = s >>> 24;
  }
  return { width, height, data };
}

/** Direct min/max over the clamped (2r+1)^2 window: the definition the fast version must match. */
function bruteForce(img: GreyImage, r: number, op: 'min' | 'max'): Uint8Array {
  const out = new Uint8Array(img.data.length);
  for (let y = 0; y < img.height; y++) {
    for (let x = 0; x < img.width; x++) {
      let v = op === 'min' ? 255 : 0;
      for (let yy = Math.max(0, y - r); yy <= Math.min(img.height - 1, y + r); yy++) {
        for (let xx = Math.max(0, x - r); xx <= Math.min(img.width - 1, x + r); xx++) {
          const s = img.data[yy * img.width + xx]!;
          v = op === 'min' ? Math.min(v, s) : Math.max(v, s);
        }
      }
      out[y * img.width + x] = v;
    }
  }
  return out;
}

describe('square grey morphology', () => {
  it('matches a brute-force min/max filter for several radii and odd sizes', () => {
    for (const [w, h, r] of [
      [17, 11, 1],
      [23, 19, 2],
      [9, 31, 4],
      [40, 7, 6],
    ] as const) {
      const img = randomImage(w, h, w * 31 + r);
      expect(erode(img, r).data, `erode ${w}x${h} r${r}`).toEqual(bruteForce(img, r, 'min'));
      expect(dilate(img, r).data, `dilate ${w}x${h} r${r}`).toEqual(bruteForce(img, r, 'max'));
    }
  });

  it('opening never exceeds the image and closing never falls below it; top-hats are their differences', () => {
    const img = randomImage(64, 48, 7);
    const o = open(img, 3).data;
    const c = close(img, 3).data;
    const w = whiteTopHat(img, 3).data;
    const b = blackTopHat(img, 3).data;
    for (let i = 0; i < img.data.length; i++) {
      expect(o[i]! <= img.data[i]!).toBe(true);
      expect(c[i]! >= img.data[i]!).toBe(true);
      expect(w[i]).toBe(img.data[i]! - o[i]!);
      expect(b[i]).toBe(c[i]! - img.data[i]!);
    }
  });

  it('a white top-hat keeps a thin bright line and removes a wide bright bar', () => {
    const width = 60;
    const height = 40;
    const data = new Uint8Array(width * height).fill(50);
    for (let y = 0; y < height; y++) {
      data[y * width + 10] = 200; // 1 px line
      for (let x = 30; x < 50; x++) data[y * width + x] = 200; // 20 px bar
    }
    const th = whiteTopHat({ width, height, data }, 3).data;
    expect(th[20 * width + 10]).toBe(150);
    expect(th[20 * width + 40]).toBe(0);
    expect(th[20 * width + 5]).toBe(0);
  });
});
