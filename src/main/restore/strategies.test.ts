import path from 'node:path';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Inpainter } from '../inference/inpainter';
import { restorePhoto } from './pipeline';
import { rawSamples, syntheticImage, tempDir } from './testing/fixtures';

/*
 * Geometry of the high-resolution strategies, checked with probe "models"
 * whose answer is known exactly (the real model is covered in
 * pipeline.test.ts). An identity network hands back its input, so at scale 1
 * any misplaced read, pad or paste shows up as a changed pixel.
 */

const identity: Inpainter = { inputMultiple: 32, maxSide: 128, inpaint: async (image) => image.slice() };
/** Fills with white: shows exactly which pixels took the network's output, and how much of it. */
const white: Inpainter = { inputMultiple: 32, maxSide: 128, inpaint: async (image) => new Float32Array(image.length).fill(1) };

let dir: string;
beforeAll(async () => {
  dir = await tempDir();
});

async function maskPng(width: number, height: number, rects: [number, number, number, number][]): Promise<Buffer> {
  const data = new Uint8Array(width * height);
  for (const [x0, y0, x1, y1] of rects) for (let y = y0; y < y1; y++) data.fill(255, y * width + x0, y * width + x1);
  return sharp(data, { raw: { width, height, channels: 1 } }).png().toBuffer();
}

async function restoreWith(inpainter: Inpainter, file: string, mask: Buffer) {
  // One pass per crop: the probes answer the geometry, and each crop is seen once. No grain and
  // no detail transfer: these tests read the network's answer back out of the photo (grain.test.ts
  // and texture.test.ts cover those).
  const options = { qualityMode: 'fast', grain: 'off', texture: 'off' } as const;
  const result = await restorePhoto({ imagePath: file, mask: { kind: 'bytes', bytes: mask }, output: { kind: 'buffer' }, options }, { inpainter });
  if (result.status !== 'restored') throw new Error('not restored');
  return result;
}

/** Samples changed outside an RGB rectangle, and the mean absolute change inside it. */
async function compareToSource(file: string, restored: Uint8Array, rect: readonly [number, number, number, number]) {
  const before = await rawSamples(file);
  const after = await rawSamples(Buffer.from(restored));
  const [x0, y0, x1, y1] = rect;
  const { width, height } = before;
  let outside = 0;
  let insideError = 0;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const masked = x >= x0 && x < x1 && y >= y0 && y < y1;
      for (let c = 0; c < 3; c++) {
        const i = (y * width + x) * 3 + c;
        if (!masked && after.data[i] !== before.data[i]) outside++;
        if (masked) insideError += Math.abs(after.data[i]! - before.data[i]!);
      }
    }
  }
  return { outside, meanInsideError: insideError / ((x1 - x0) * (y1 - y0) * 3) };
}

describe('crop strategies', () => {
  it.each([8, 16] as const)('whole and tile crops put every pixel back where it came from (%i-bit)', async (bits) => {
    const file = path.join(dir, `geom${bits}.png`);
    await syntheticImage(300, 200, 3, bits).png().toFile(file);
    // A speck (whole crop) and a long scratch (tiles, since 300 > maxSide 128).
    const mask = await maskPng(300, 200, [
      [5, 5, 9, 9],
      [0, 170, 300, 173],
    ]);
    const result = await restoreWith(identity, file, mask);
    expect(result.stats.strategies.whole).toBeGreaterThan(0);
    expect(result.stats.strategies.tile).toBeGreaterThan(1);
    const depth = bits === 16 ? 'ushort' : 'uchar';
    const before = await rawSamples(file, depth);
    const after = await rawSamples(Buffer.from(result.bytes!), depth);
    expect(Buffer.compare(Buffer.from(after.data.buffer), Buffer.from(before.data.buffer))).toBe(0);
  });

  it('downscaled crops change only masked pixels and scale the fill back into place', async () => {
    const file = path.join(dir, 'down.png');
    await syntheticImage(260, 200, 3, 8).png().toFile(file);
    const rect: [number, number, number, number] = [40, 40, 220, 160];
    const mask = await maskPng(260, 200, [rect]);
    const result = await restoreWith(identity, file, mask);
    expect(result.stats.strategies.downscale).toBe(1);
    const { outside, meanInsideError } = await compareToSource(file, result.bytes!, rect);
    expect(outside).toBe(0);
    // Identity at half scale = a blurred copy of the smooth test image: close, not exact.
    expect(meanInsideError).toBeLessThan(12);
  });

  it('runs a hole deeper than holeReach scaled down with context around it, and pastes only into the hole', async () => {
    const file = path.join(dir, 'deep.png');
    await syntheticImage(400, 300, 3, 8).png().toFile(file);
    const rect: [number, number, number, number] = [150, 100, 250, 200]; // 100 x 100: 50 deep
    const mask = await maskPng(400, 300, [rect]);
    const seen: [number, number][] = [];
    const probe: Inpainter = { ...identity, holeReach: 20, inpaint: async (image, _m, w, h) => (seen.push([w, h]), image.slice()) };
    const result = await restoreWith(probe, file, mask);
    expect(result.stats.strategies).toEqual({ whole: 0, tile: 0, downscale: 1 });
    // At 20/50 = 0.4 the network sees the region grown to 64 / 0.4 = 160 photo px of context and more, within maxSide.
    expect(seen).toHaveLength(1);
    expect(Math.max(...seen[0]!)).toBeLessThanOrEqual(128);
    expect(Math.min(...seen[0]!)).toBeGreaterThanOrEqual(96);
    const { outside, meanInsideError } = await compareToSource(file, result.bytes!, rect);
    expect(outside).toBe(0);
    expect(meanInsideError).toBeLessThan(12);
  });

  it('gives every masked pixel, rim included, the network output and nothing of the old value', async () => {
    const file = path.join(dir, 'rim.png');
    await syntheticImage(64, 64, 1, 8).png().toFile(file);
    const mask = await maskPng(64, 64, [[20, 20, 30, 30]]);
    const before = await rawSamples(file);
    const after = await rawSamples(Buffer.from((await restoreWith(white, file, mask)).bytes!));
    const at = (d: { data: ArrayLike<number>; channels: number }, x: number, y: number) => d.data[(y * 64 + x) * d.channels]!;
    for (let y = 18; y < 32; y++) {
      for (let x = 18; x < 32; x++) {
        const masked = x >= 20 && x < 30 && y >= 20 && y < 30;
        expect(at(after, x, y)).toBe(masked ? 255 : at(before, x, y));
      }
    }
  });
});
