import { describe, expect, it } from 'vitest';
import { blockSums, boxMean, coarserSums, downsamplePlanes, planesOf, reducePhoto, type PixelSource } from './raster';
import { CRACKED_PRINT, loadRgb } from './testing/fixtures';

/** The print's pixels as another layout: grey, with alpha, or 16-bit (odd sizes, partial blocks). */
function reshape(rgb: PixelSource & { data: Uint8Array }, channels: 1 | 2 | 3 | 4, bitDepth: 8 | 16): PixelSource {
  const n = rgb.width * rgb.height;
  const colour = channels >= 3 ? 3 : 1;
  const data = bitDepth === 16 ? new Uint16Array(n * channels) : new Uint8Array(n * channels);
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < colour; c++) {
      const v = colour === 3 ? rgb.data[i * 3 + c]! : rgb.data[i * 3 + 1]!;
      // 16-bit: spread over the full range with low bits that the 8-bit planes drop.
      data[i * channels + c] = bitDepth === 16 ? v * 257 - (i % 200) * (v > 0 ? 1 : 0) : v;
    }
    if (channels === 2 || channels === 4) data[i * channels + colour] = (i * 7) & 255;
  }
  return { width: rgb.width, height: rgb.height, channels, colourChannels: colour, bitDepth, data };
}

// Element by element, toEqual takes seconds on arrays of this size.
function sameBytes(a: ArrayBufferView, b: ArrayBufferView): boolean {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));
}

describe('reducePhoto', () => {
  it('gives the same planes as planesOf and downsamplePlanes, and block sums a direct reduction agrees with', async () => {
    const print = await loadRgb(CRACKED_PRINT, 301, 203);
    for (const [channels, bitDepth] of [[3, 8], [1, 8], [4, 8], [2, 8], [3, 16]] as const) {
      const img = reshape(print, channels, bitDepth);
      for (const f of [1, 2, 3, 4]) {
        const { full, working, colour } = reducePhoto(img, f, true);
        const planes = planesOf(img);
        const reduced = downsamplePlanes(planes, f);
        expect(sameBytes(full.bright.data, planes.bright.data)).toBe(true);
        expect(sameBytes(full.dark.data, planes.dark.data)).toBe(true);
        expect([working.bright.width, working.bright.height]).toEqual([reduced.bright.width, reduced.bright.height]);
        expect(sameBytes(working.bright.data, reduced.bright.data)).toBe(true);
        expect(sameBytes(working.dark.data, reduced.dark.data)).toBe(true);
        expect(working.bright.data === working.dark.data).toBe(channels <= 2);

        // Block sums: each block the sum of its pixels' samples, partial blocks at the right and bottom.
        const w = Math.ceil(img.width / f);
        const h = Math.ceil(img.height / f);
        expect([colour!.width, colour!.height, colour!.planes]).toEqual([w, h, channels >= 3 ? 3 : 1]);
        for (const [bx, by] of [[0, 0], [w - 1, h - 1], [w >> 1, h - 1], [w - 1, 3]] as const) {
          for (let c = 0; c < colour!.planes; c++) {
            let sum = 0;
            for (let y = by * f; y < Math.min(img.height, (by + 1) * f); y++)
              for (let x = bx * f; x < Math.min(img.width, (bx + 1) * f); x++) sum += img.data[(y * img.width + x) * channels + c]!;
            expect(colour!.sums[c * w * h + by * w + bx]).toBe(sum);
          }
        }
      }
      expect(reducePhoto(img, 3, false).colour).toBeUndefined();
    }
  });

  it('makes a coarser copy equal to the direct reduction by twice the factor', async () => {
    const print = await loadRgb(CRACKED_PRINT, 301, 203);
    for (const f of [1, 3]) {
      const coarse = coarserSums(blockSums(print, f));
      const direct = blockSums(print, 2 * f);
      expect([coarse.width, coarse.height, coarse.factor]).toEqual([direct.width, direct.height, direct.factor]);
      expect(sameBytes(coarse.sums, direct.sums)).toBe(true);
    }
  });
});

describe('boxMean', () => {
  it('is the mean over the window clamped to the image, inside and at every edge, for windows wider than the image too', () => {
    let seed = 7;
    for (const [width, height] of [[23, 17], [5, 31], [1, 9], [12, 2]] as const) {
      const src = new Float32Array(width * height);
      for (let i = 0; i < src.length; i++) {
        seed = (seed * 1103515245 + 12345) >>> 0;
        src[i] = (seed >>> 24) * 1.5;
      }
      for (const r of [0, 1, 2, 7]) {
        const got = boxMean(src, width, height, r);
        for (let y = 0; y < height; y++) {
          for (let x = 0; x < width; x++) {
            let sum = 0;
            let n = 0;
            for (let yy = Math.max(0, y - r); yy <= Math.min(height - 1, y + r); yy++) {
              for (let xx = Math.max(0, x - r); xx <= Math.min(width - 1, x + r); xx++) {
                sum += src[yy * width + xx]!;
                n++;
              }
            }
            expect(Math.abs(got[y * width + x]! - sum / n)).toBeLessThan(1e-3);
          }
        }
      }
    }
  });
});
