import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { onnxInpainter, type Inpainter } from '../inference/inpainter';
import { defaultModelsDir } from '../inference/models-dir';
import { ModelCache } from '../inference/session';
import { restorePhoto } from './pipeline';
import { damagedPhoto, DAMAGE_FILLS, type DamageFill } from './testing/damage';
import { syntheticPixels, tempDir } from './testing/fixtures';

/*
 * The invariant every restore path keeps: what lies under the mask is damage,
 * so the restored photo must not depend on it at all. Each case restores the
 * same photo with its holes holding the true picture, white, black and random
 * noise, and requires byte-identical results. The paths through the worker,
 * the IPC handler and the CLI are in mask-invariance.product.test.ts.
 */

const cache = new ModelCache();
let inpainter: Inpainter;
let dir: string;

beforeAll(async () => {
  inpainter = onnxInpainter(await cache.get(defaultModelsDir(), 'cpu'));
  dir = await tempDir('patina-invariance-');
});
afterAll(() => cache.dispose());

const W = 1000;
const H = 700;

/**
 * 1 = damage. Chosen so one restore takes every crop strategy with the
 * shipped model (maxSide 512, holeReach 128): a dust speck and a brush stroke
 * (whole crops), a 3-px scratch 850 px long (tiles), and a 280x260 tear whose
 * middle lies 130 px from its edge (scaled down).
 */
function strategyMask(): Uint8Array {
  const m = new Uint8Array(W * H);
  const rect = (x0: number, y0: number, x1: number, y1: number) => {
    for (let y = y0; y < y1; y++) m.fill(1, y * W + x0, y * W + x1);
  };
  rect(60, 60, 66, 66);
  for (let x = 100; x < 950; x++) {
    const y = 600 + Math.round(8 * Math.sin(x / 40));
    rect(x, y - 1, x + 1, y + 2);
  }
  rect(560, 130, 840, 390);
  for (let t = 0; t < 220; t++) {
    const cx = 190 + Math.round(t * 0.6);
    const cy = 200 + t;
    rect(cx - 5, cy - 5, cx + 6, cy + 6);
  }
  return m;
}

async function maskPng(mask: Uint8Array): Promise<Buffer> {
  return sharp(Uint8Array.from(mask, (v) => v * 255), { raw: { width: W, height: H, channels: 1 } }).png().toBuffer();
}

interface Variant {
  readonly name: string;
  readonly channels: 1 | 3;
  readonly bits: 8 | 16;
}

const VARIANTS: readonly Variant[] = [
  { name: '8-bit RGB', channels: 3, bits: 8 },
  { name: '16-bit RGB', channels: 3, bits: 16 },
  { name: '8-bit grey', channels: 1, bits: 8 },
];

describe('restoring never lets what is under the mask reach the output', () => {
  it.each(VARIANTS)('$name: whole, tiled and downscaled crops give byte-identical results for every hole content', async (variant) => {
    const mask = strategyMask();
    const png = await maskPng(mask);
    const truth = syntheticPixels(W, H, variant.channels, variant.bits);
    const outputs = new Map<DamageFill, Buffer>();
    for (const fill of DAMAGE_FILLS) {
      const file = path.join(dir, `${variant.bits}-${variant.channels}-${fill}.png`);
      await damagedPhoto(truth, mask, { width: W, height: H, channels: variant.channels, bits: variant.bits }, fill).png().toFile(file);
      const result = await restorePhoto(
        { imagePath: file, mask: { kind: 'bytes', bytes: png }, output: { kind: 'buffer' }, options: { texture: 'on' } },
        { inpainter },
      );
      if (result.status !== 'restored') throw new Error(`${fill}: not restored`);
      expect(result.stats.strategies.whole).toBeGreaterThan(0);
      expect(result.stats.strategies.tile).toBeGreaterThan(1);
      expect(result.stats.strategies.downscale).toBeGreaterThan(0);
      // The synthetic photo is grainy (sigma ~4 in 8-bit units), so the default 'auto' adds grain,
      // measured around the holes and on the fill: that must not see the damage either.
      expect(result.stats.grain).toMatchObject({ mode: 'auto', applied: true });
      // Detail transfer reads the known pixels around the tear and the brush stroke, and the fill.
      expect(result.stats.texture).toMatchObject({ mode: 'on', applied: true });
      outputs.set(fill, Buffer.from(result.bytes!));
    }
    const reference = outputs.get('truth')!;
    for (const fill of DAMAGE_FILLS) expect(Buffer.compare(outputs.get(fill)!, reference), `${fill} vs truth`).toBe(0);

    // The fill is the network's: none of the white damage survives, not even on the rim.
    const depth = variant.bits === 16 ? 'ushort' : 'uchar';
    const max = variant.bits === 16 ? 65535 : 255;
    const { data, channels } = await sharp(reference).raw({ depth }).toBuffer({ resolveWithObject: true }).then(({ data, info }) => ({
      data: depth === 'ushort' ? new Uint16Array(data.buffer, data.byteOffset, data.byteLength / 2) : new Uint8Array(data),
      channels: info.channels,
    }));
    let white = 0;
    for (let p = 0; p < mask.length; p++) if (mask[p] && data[p * channels]! >= max) white++;
    expect(white / mask.reduce((a, b) => a + b, 0)).toBeLessThan(0.001);
  });

  it("'fast' mode (one network pass) keeps the invariant too, and differs from 'best' only inside the mask", async () => {
    const mask = strategyMask();
    const png = await maskPng(mask);
    const truth = syntheticPixels(W, H, 3, 8);
    const run = async (fill: DamageFill, qualityMode: 'fast' | 'best') => {
      const file = path.join(dir, `mode-${fill}.png`);
      await damagedPhoto(truth, mask, { width: W, height: H, channels: 3, bits: 8 }, fill).png().toFile(file);
      const result = await restorePhoto({ imagePath: file, mask: { kind: 'bytes', bytes: png }, output: { kind: 'buffer' }, options: { qualityMode } }, { inpainter });
      if (result.status !== 'restored') throw new Error('not restored');
      return Buffer.from(result.bytes!);
    };
    const fast = await run('white', 'fast');
    expect(Buffer.compare(await run('noise', 'fast'), fast)).toBe(0);
    const best = await sharp(await run('white', 'best')).raw().toBuffer();
    const one = await sharp(fast).raw().toBuffer();
    let inside = 0;
    for (let p = 0; p < mask.length; p++) {
      for (let c = 0; c < 3; c++) {
        if (best[p * 3 + c] === one[p * 3 + c]) continue;
        expect(mask[p], `pixel ${p} outside the mask`).toBe(1);
        inside++;
      }
    }
    expect(inside).toBeGreaterThan(1000);
  });

  it('a mask PNG with soft, anti-aliased edges fills exactly its pixels above 127', async () => {
    const w = 200;
    const h = 120;
    const soft = new Uint8Array(w * h);
    // A horizontal band whose rows fade 255 -> 0: rows valued 128 and more are damage.
    const rows = [40, 90, 127, 128, 160, 255, 255, 200, 128, 127, 60];
    rows.forEach((v, i) => soft.fill(v, (50 + i) * w + 20, (50 + i) * w + 180));
    const hole = Uint8Array.from(soft, (v) => (v > 127 ? 1 : 0));
    const truth = syntheticPixels(w, h, 3, 8);
    const outs: Buffer[] = [];
    for (const fill of ['white', 'black'] as const) {
      const file = path.join(dir, `soft-${fill}.png`);
      await damagedPhoto(truth, hole, { width: w, height: h, channels: 3, bits: 8 }, fill).png().toFile(file);
      const bytes = await sharp(soft, { raw: { width: w, height: h, channels: 1 } }).png().toBuffer();
      const result = await restorePhoto({ imagePath: file, mask: { kind: 'bytes', bytes }, output: { kind: 'buffer' } }, { inpainter });
      if (result.status !== 'restored') throw new Error('not restored');
      outs.push(Buffer.from(result.bytes!));
    }
    expect(Buffer.compare(outs[0]!, outs[1]!)).toBe(0);
    const { data } = await sharp(outs[0]!).raw().toBuffer({ resolveWithObject: true });
    for (let p = 0; p < hole.length; p++) {
      if (hole[p]) continue;
      for (let c = 0; c < 3; c++) expect(data[p * 3 + c]).toBe(truth[p * 3 + c]);
    }
  });
});
