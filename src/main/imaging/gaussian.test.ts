import { describe, expect, it } from 'vitest';
import { blurSeparable, gaussianTaps } from './gaussian';

/** A plane of uniform values in [0, 255) from a fixed linear congruential sequence. */
function randomPlane(width: number, height: number, seed: number): Float32Array {
  let s = seed >>> 0;
  return Float32Array.from({ length: width * height }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return (s / 2 ** 32) * 255;
  });
}

/** The 2-D convolution with the outer product of `taps`, edges clamped, one output pixel at a time. */
function directBlur(src: Float32Array, width: number, height: number, taps: Float32Array): Float64Array {
  const r = (taps.length - 1) / 2;
  const clamp = (v: number, hi: number) => Math.min(hi, Math.max(0, v));
  const out = new Float64Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let v = 0;
      for (let j = -r; j <= r; j++) {
        for (let i = -r; i <= r; i++) v += taps[j + r]! * taps[i + r]! * src[clamp(y + j, height - 1) * width + clamp(x + i, width - 1)]!;
      }
      out[y * width + x] = v;
    }
  }
  return out;
}

describe('gaussianTaps', () => {
  it('is a symmetric, normalised Gaussian of the given sigma', () => {
    for (const normalise of ['stored', 'exact'] as const) {
      const taps = gaussianTaps(1.5, 4, normalise);
      expect(taps).toHaveLength(9);
      expect(taps.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6);
      for (let i = 0; i < 4; i++) expect(taps[i]).toBe(taps[8 - i]);
      // Neighbouring taps fall off by exp(-(2k + 1) / (2 sigma^2)).
      for (let k = 0; k < 4; k++) expect(taps[4 + k + 1]! / taps[4 + k]!).toBeCloseTo(Math.exp(-(2 * k + 1) / (2 * 1.5 * 1.5)), 5);
    }
  });

  it('is the identity at radius 0, even for sigma 0', () => {
    expect([...gaussianTaps(0, 0, 'exact')]).toEqual([1]);
    expect([...gaussianTaps(0.7, 0)]).toEqual([1]);
  });
});

describe('blurSeparable', () => {
  const taps = gaussianTaps(1.5, 4);

  it('leaves a constant plane constant, edges included', () => {
    const out = blurSeparable(new Float32Array(13 * 7).fill(87.5), 13, 7, taps);
    for (const v of out) expect(v).toBeCloseTo(87.5, 4);
  });

  it('keeps the sum of a plane whose content lies clear of the edges', () => {
    const src = new Float32Array(21 * 21);
    src[10 * 21 + 10] = 100;
    src[9 * 21 + 12] = -40;
    const out = blurSeparable(src, 21, 21, taps);
    expect(out.reduce((a, b) => a + b, 0)).toBeCloseTo(60, 3);
    // Each impulse spreads into the outer product of the taps: (9, 9) is 1 px off the first on both axes, 3 px off the second across.
    expect(out[9 * 21 + 9]).toBeCloseTo(100 * taps[5]! * taps[5]! - 40 * taps[4]! * taps[7]!, 4);
  });

  it('matches a direct 2-D convolution with clamped edges on a random plane smaller than the kernel in one side', () => {
    const [w, h] = [17, 6];
    const src = randomPlane(w, h, 7);
    const out = blurSeparable(src, w, h, taps);
    const direct = directBlur(src, w, h, taps);
    for (let i = 0; i < out.length; i++) expect(out[i]).toBeCloseTo(direct[i]!, 3);
  });

  it('with a margin of the radius, is exactly the inside of the clamped blur (no edge read)', () => {
    const [w, h] = [24, 19];
    const src = randomPlane(w, h, 11);
    const full = blurSeparable(src, w, h, taps);
    const inner = blurSeparable(src, w, h, taps, 4);
    expect(inner).toHaveLength((w - 8) * (h - 8));
    for (let y = 0; y < h - 8; y++) for (let x = 0; x < w - 8; x++) expect(inner[y * (w - 8) + x]).toBe(full[(y + 4) * w + x + 4]);
  });
});
