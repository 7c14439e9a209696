import path from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../restore/testing/fixtures';
import { reflect } from './crop-io';
import { countMasked, dilateMask, loadMask } from './mask';

describe('loadMask', () => {
  it('reads white strokes on a transparent background as fill, binarised at 127', async () => {
    const rgba = new Uint8Array(8 * 4 * 4);
    const setPx = (x: number, y: number, v: number, a: number) => rgba.set([v, v, v, a], (y * 8 + x) * 4);
    setPx(1, 1, 255, 255); // opaque white: fill
    setPx(2, 1, 128, 255); // just above the threshold: fill
    setPx(3, 1, 127, 255); // at the threshold: keep
    setPx(4, 1, 255, 0); // white but fully transparent: keep
    const png = await sharp(rgba, { raw: { width: 8, height: 4, channels: 4 } }).png().toBuffer();
    const mask = await loadMask(png, 8, 4);
    expect([...mask.data.subarray(8, 16)]).toEqual([0, 1, 1, 0, 0, 0, 0, 0]);
    const inverted = await loadMask(png, 8, 4, { invert: true });
    expect(countMasked(inverted)).toBe(32 - 2);
  });

  it('scales 16-bit masks to 8-bit before thresholding, and reads mask files by path', async () => {
    const grey = new Uint16Array([0, 30000, 33000, 65535]);
    const file = path.join(await tempDir(), 'deep-mask.png');
    await sharp(grey as unknown as Buffer, { raw: { width: 4, height: 1, channels: 1 } }).toColourspace('grey16').png().toFile(file);
    expect([...(await loadMask(file, 4, 1)).data]).toEqual([0, 0, 1, 1]);
  });

  it('resizes a differently sized mask with nearest-neighbour, keeping it binary', async () => {
    const small = await sharp(Uint8Array.from([255, 0, 0, 255]), { raw: { width: 2, height: 2, channels: 1 } }).png().toBuffer();
    const mask = await loadMask(small, 4, 4);
    expect([...mask.data]).toEqual([1, 1, 0, 0, 1, 1, 0, 0, 0, 0, 1, 1, 0, 0, 1, 1]);
  });

  it('reads neutral, coloured, half-transparent and rotated masks as their grey on black', async () => {
    const w = 16;
    const h = 8;
    // What flattening on black and converting to b-w gives, threshold applied.
    const reference = async (bytes: Uint8Array) => {
      const grey = await sharp(bytes, { autoOrient: true }).flatten({ background: '#000000' }).toColourspace('b-w').extractChannel(0).raw().toBuffer();
      return [...grey].map((v) => (v > 127 ? 1 : 0));
    };
    const image = (channels: 3 | 4, px: (x: number, y: number) => number[]) => {
      const raw = new Uint8Array(w * h * channels);
      for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) raw.set(px(x, y).slice(0, channels), (y * w + x) * channels);
      return sharp(raw, { raw: { width: w, height: h, channels } });
    };
    const ramp = (x: number, y: number) => (x * 16 + y * 3) & 255;
    const cases = {
      'neutral RGB with grey edges': await image(3, (x, y) => [ramp(x, y), ramp(x, y), ramp(x, y)]).png().toBuffer(),
      'red and green strokes': await image(3, (x, y) => [x > 8 ? 250 : 40, y > 3 ? 230 : 20, 60]).png().toBuffer(),
      'half-transparent white': await image(4, (x, y) => [255, 255, 255, ramp(x, y)]).png().toBuffer(),
      'rotated by its EXIF tag': await image(3, (x, y) => [ramp(x, y), ramp(x, y), ramp(x, y)]).withMetadata({ orientation: 6 }).jpeg({ quality: 100 }).toBuffer(),
    };
    for (const [name, bytes] of Object.entries(cases)) {
      const upright = await sharp(bytes, { autoOrient: true }).metadata();
      const mask = await loadMask(bytes, upright.autoOrient.width, upright.autoOrient.height);
      expect([...mask.data], name).toEqual(await reference(bytes));
    }
    // The ramp and the transparent strokes cross the threshold, so both sides are covered.
    expect(countMasked(await loadMask(cases['half-transparent white'], w, h))).toBeGreaterThan(0);
  });

  it('fails with MASK_UNREADABLE on bytes that are no image', async () => {
    await expect(loadMask(new Uint8Array([0, 1, 2, 3]), 4, 4)).rejects.toMatchObject({ code: 'MASK_UNREADABLE' });
  });
});

describe('dilateMask', () => {
  it('grows by a square of the given radius, clipped at the border, capped at 3', () => {
    const data = new Uint8Array(9 * 9);
    data[4 * 9 + 4] = 1;
    data[0] = 1;
    const grown = dilateMask({ width: 9, height: 9, data }, 1);
    expect(countMasked(grown)).toBe(9 + 4);
    expect(countMasked(dilateMask({ width: 9, height: 9, data }, 9))).toBe(countMasked(dilateMask({ width: 9, height: 9, data }, 3)));
  });
});

describe('reflect', () => {
  it('mirrors without repeating the edge, for any distance and tiny sizes', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 7].map((i) => reflect(i, 3))).toEqual([0, 1, 2, 1, 0, 1, 2, 1]);
    expect(reflect(-1, 3)).toBe(1);
    expect(reflect(5, 1)).toBe(0);
  });
});
