import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { encodeMaskPng } from '../../renderer/src/editor/mask/mask-png';
import { loadMask } from './mask';

/*
 * The editor encodes its union mask itself (1-bit PNG, no canvas); the engine
 * must read exactly those pixels back. Both real code paths, end to end.
 */
describe('editor mask PNG -> engine mask', () => {
  it('decodes to the same pixels, at sizes that are not multiples of 8', async () => {
    const width = 37;
    const height = 23;
    const bits = new Uint8Array(width * height);
    let seed = 7;
    for (let i = 0; i < bits.length; i++) {
      seed = (seed * 1103515245 + 12345) >>> 0;
      bits[i] = seed % 5 === 0 ? 1 : 0;
    }
    const png = await encodeMaskPng(bits, width, height);
    const meta = await sharp(png).metadata();
    expect([meta.format, meta.width, meta.height, meta.channels]).toEqual(['png', width, height, 1]);
    const mask = await loadMask(png, width, height);
    expect(mask.data).toEqual(bits);
  });

  it('stays small for a large, sparse mask', async () => {
    const width = 6000;
    const height = 4000;
    const bits = new Uint8Array(width * height);
    for (let x = 1000; x < 5000; x++) for (let y = 2000; y < 2012; y++) bits[y * width + x] = 1;
    const png = await encodeMaskPng(bits, width, height);
    expect(png.byteLength).toBeLessThan(64 * 1024);
    const mask = await loadMask(png, width, height);
    expect(mask.data.reduce((n, v) => n + v, 0)).toBe(4000 * 12);
  });
});
