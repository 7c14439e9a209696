import { describe, expect, it } from 'vitest';
import { AUTO_GRAIN_SIGMA, calibrateGrainSizes, estimateGrain, GRAIN_SIZE_RESPONSES, matchGrain } from './grain';
import type { BinaryMask } from './mask';
import type { Photo } from './photo';
import { syntheticPhoto } from './testing/photo';

const W = 256;
const H = 192;

/** Seeded standard normal samples (Box-Muller on a small LCG). */
function normals(n: number, seed: number): Float64Array {
  let s = seed >>> 0;
  const u = () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return (s + 1) / 4294967297;
  };
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = Math.sqrt(-2 * Math.log(u())) * Math.cos(2 * Math.PI * u());
  return out;
}

/** Separable Gaussian blur of a W x H field, renormalised to unit standard deviation. */
function blurred(field: Float64Array, sigma: number): Float64Array {
  const r = Math.ceil(3 * sigma);
  const taps = Array.from({ length: 2 * r + 1 }, (_, i) => Math.exp(-((i - r) ** 2) / (2 * sigma * sigma)));
  const sum = taps.reduce((a, b) => a + b, 0);
  const pass = (src: Float64Array, dx: number, dy: number) => {
    const out = new Float64Array(src.length);
    for (let y = 0; y < H; y++) {
      for (let x = 0; x < W; x++) {
        let v = 0;
        for (let t = -r; t <= r; t++) {
          const xx = Math.min(W - 1, Math.max(0, x + t * dx));
          const yy = Math.min(H - 1, Math.max(0, y + t * dy));
          v += taps[t + r]! * src[yy * W + xx]!;
        }
        out[y * W + x] = v / sum;
      }
    }
    return out;
  };
  const b = pass(pass(field, 1, 0), 0, 1);
  const sd = Math.sqrt(b.reduce((a, v) => a + v * v, 0) / b.length);
  return b.map((v) => v / sd);
}

/** The smooth picture under the grain: a gradient with a soft bump, 8-bit units. */
function smooth(x: number, y: number): number {
  return 90 + 0.3 * x + 0.2 * y + 20 * Math.exp(-((x - 150) ** 2 + (y - 90) ** 2) / 2000);
}

/**
 * A photo of `smooth` plus grain of `sigma` (8-bit units, `blurPx` its size), with a
 * 60 x 50 box hole and a 3-px scratch already "filled" with the smooth picture (no grain),
 * as the network's fill would be.
 */
function grainyPhoto(sigma: number, opts: { blurPx?: number; bits?: 8 | 16; channels?: 1 | 3; seed?: number } = {}): { photo: Photo; mask: BinaryMask } {
  const bits = opts.bits ?? 8;
  const channels = opts.channels ?? 3;
  const max = bits === 16 ? 65535 : 255;
  const noise = opts.blurPx ? blurred(normals(W * H, opts.seed ?? 7), opts.blurPx) : normals(W * H, opts.seed ?? 7);
  const mask = new Uint8Array(W * H);
  for (let y = 70; y < 120; y++) mask.fill(1, y * W + 100, y * W + 160);
  for (let x = 10; x < 240; x++) for (let y = 30; y < 33; y++) mask[y * W + x] = 1;
  const data = bits === 16 ? new Uint16Array(W * H * channels) : new Uint8Array(W * H * channels);
  for (let p = 0; p < W * H; p++) {
    const v = smooth(p % W, Math.floor(p / W)) + (mask[p] ? 0 : sigma * noise[p]!);
    for (let c = 0; c < channels; c++) data[p * channels + c] = Math.round(Math.min(255, Math.max(0, v + 8 * c)) * (max / 255));
  }
  const photo = syntheticPhoto(W, H, channels, bits, data);
  return { photo, mask: { width: W, height: H, data: mask } };
}

/** Standard deviation (8-bit units) of the first channel minus the smooth picture over the box hole's inner part. */
function boxNoise(photo: Photo): number {
  const k = 255 / (photo.bitDepth === 16 ? 65535 : 255);
  let sum = 0;
  let sq = 0;
  let n = 0;
  for (let y = 75; y < 115; y++) {
    for (let x = 105; x < 155; x++) {
      const d = photo.data[(y * W + x) * photo.channels]! * k - Math.min(255, Math.max(0, smooth(x, y)));
      sum += d;
      sq += d * d;
      n++;
    }
  }
  return Math.sqrt(sq / n - (sum / n) ** 2);
}

describe('grain matching', () => {
  it('keeps the grain sizes\' responses the estimator measures on synthetic noise', () => {
    const measured = calibrateGrainSizes();
    expect(measured.map((r) => r.blurPx)).toEqual(GRAIN_SIZE_RESPONSES.map((r) => r.blurPx));
    measured.forEach((r, i) => {
      const kept = GRAIN_SIZE_RESPONSES[i]!;
      for (const key of ['unitSigma', 'ratio', 'fieldSigma'] as const) expect(r[key]).toBeCloseTo(kept[key], 10);
    });
  });

  it('measures the grain around the holes, robustly, in 8-bit units', () => {
    for (const sigma of [2, 4, 8]) {
      const { photo, mask } = grainyPhoto(sigma);
      expect(Math.abs(estimateGrain(photo, mask).sigma - sigma) / sigma).toBeLessThan(0.12);
    }
    const { photo, mask } = grainyPhoto(4, { bits: 16 });
    expect(estimateGrain(photo, mask).sigma).toBeCloseTo(4, 0);
  });

  it('tells white grain from grain that spans pixels', () => {
    expect(estimateGrain(...Object.values(grainyPhoto(4)) as [Photo, BinaryMask]).blurPx).toBeLessThanOrEqual(0.5);
    const coarse = grainyPhoto(4, { blurPx: 1.2 });
    expect(estimateGrain(coarse.photo, coarse.mask).blurPx).toBeGreaterThanOrEqual(0.9);
  });

  it('adds grain of the surroundings to the fill, and only to the fill', () => {
    for (const blurPx of [0, 1.2]) {
      const { photo, mask } = grainyPhoto(5, { blurPx });
      const before = photo.data.slice();
      const delta = new Uint8Array(photo.data.length);
      expect(boxNoise(photo)).toBeLessThan(0.7);
      // Grain 1.2 px wide reads as fine-scale noise of under 1.1 (8-bit): not 'auto's, but 'on' matches it.
      const result = matchGrain(photo, mask, delta, blurPx > 0);
      expect(result.applied).toBe(true);
      // The fill's noise now has the grain's spread, within the estimator's error.
      expect(boxNoise(photo)).toBeGreaterThan(4);
      expect(boxNoise(photo)).toBeLessThan(6.5);
      let changedInside = 0;
      let changedOutside = 0;
      let deltaWrong = 0;
      let colourMoved = 0;
      for (let p = 0; p < W * H; p++) {
        for (let c = 0; c < 3; c++) {
          const i = p * 3 + c;
          if (delta[i] !== (before[i]! ^ photo.data[i]!)) deltaWrong++;
          if (photo.data[i] !== before[i]) {
            if (mask.data[p]) changedInside++;
            else changedOutside++;
          }
        }
        // Luma grain: one offset for every channel, so the fill's colour does not speckle.
        if (mask.data[p] && photo.data[p * 3 + 1]! - photo.data[p * 3]! !== before[p * 3 + 1]! - before[p * 3]!) colourMoved++;
      }
      expect({ changedOutside, deltaWrong, colourMoved }).toEqual({ changedOutside: 0, deltaWrong: 0, colourMoved: 0 });
      expect(changedInside).toBeGreaterThan(0.5 * 3 * mask.data.reduce((a, b) => a + b, 0));
      // The grain fades in from the hole's edge: the 3-px scratch gets far less than the box's middle.
      const moved = (x0: number, x1: number, y0: number, y1: number) => {
        let sum = 0;
        for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) sum += Math.abs(photo.data[(y * W + x) * 3]! - before[(y * W + x) * 3]!);
        return sum / ((x1 - x0) * (y1 - y0));
      };
      expect(moved(20, 90, 30, 33)).toBeLessThan(0.75 * moved(105, 155, 75, 115));
    }
  });

  it("leaves a photo without visible grain alone in 'auto', and matches its faint grain when forced", () => {
    const { photo, mask } = grainyPhoto(0.6);
    const before = photo.data.slice();
    const auto = matchGrain(photo, mask, new Uint8Array(photo.data.length), false);
    expect(auto.applied).toBe(false);
    expect(auto.sigma).toBeLessThan(AUTO_GRAIN_SIGMA);
    expect(Buffer.compare(Buffer.from(photo.data), Buffer.from(before))).toBe(0);
    expect(matchGrain(photo, mask, new Uint8Array(photo.data.length), true).applied).toBe(true);
  });

  it('is the same for the same photo, and subtracts the grain a fill already has', () => {
    const a = grainyPhoto(4);
    const b = grainyPhoto(4);
    matchGrain(a.photo, a.mask, new Uint8Array(a.photo.data.length), true);
    matchGrain(b.photo, b.mask, new Uint8Array(b.photo.data.length), true);
    expect(Buffer.compare(Buffer.from(a.photo.data), Buffer.from(b.photo.data))).toBe(0);
    // Once grainy, a second pass finds the fill as grainy as its ring and adds next to nothing.
    const once = a.photo.data.slice();
    matchGrain(a.photo, a.mask, new Uint8Array(a.photo.data.length), true);
    let moved = 0;
    for (let i = 0; i < once.length; i++) moved += Math.abs(a.photo.data[i]! - once[i]!);
    expect(moved / (3 * a.mask.data.reduce((s, v) => s + v, 0))).toBeLessThan(2);
  });
});
