import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { onnxInpainter, type Inpainter } from '../inference/inpainter';
import { defaultModelsDir } from '../inference/models-dir';
import { ModelCache } from '../inference/session';
import type { ProgressEvent } from '../jobs/progress';
import { EngineError } from '../errors/engine-error';
import { restorePhoto } from './pipeline';
import { rawSamples, scratchMaskPng, syntheticImage, tempDir } from './testing/fixtures';

const cache = new ModelCache();
let inpainter: Inpainter;
let dir: string;

beforeAll(async () => {
  inpainter = onnxInpainter(await cache.get(defaultModelsDir(), 'cpu'));
  dir = await tempDir();
});
afterAll(() => cache.dispose());

/** Asserts every sample outside the mask is identical and that the mask area changed. */
function expectChangedOnlyInMask(
  before: { data: ArrayLike<number>; channels: number },
  after: { data: ArrayLike<number>; channels: number },
  mask: Uint8Array,
): void {
  expect(after.channels).toBe(before.channels);
  expect(after.data.length).toBe(before.data.length);
  let outside = 0;
  let inside = 0;
  for (let p = 0; p < mask.length; p++) {
    for (let c = 0; c < before.channels; c++) {
      const i = p * before.channels + c;
      if (before.data[i] !== after.data[i]) {
        if (mask[p]) inside++;
        else outside++;
      }
    }
  }
  expect(outside).toBe(0);
  expect(inside).toBeGreaterThan(0);
}

async function maskBits(png: Buffer): Promise<Uint8Array> {
  const data = await sharp(png).extractChannel(0).raw().toBuffer();
  return Uint8Array.from(data, (v) => (v > 127 ? 1 : 0));
}

describe('restorePhoto', () => {
  it('with the real model, fills a hole deeper than holeReach scaled down and only inside the mask', async () => {
    const input = path.join(dir, 'deep.png');
    await syntheticImage(512, 384, 3, 8).png().toFile(input);
    const bits = new Uint8Array(512 * 384);
    for (let y = 100; y < 300; y++) bits.fill(255, y * 512 + 150, y * 512 + 350);
    const maskPng = await sharp(bits, { raw: { width: 512, height: 384, channels: 1 } }).png().toBuffer();
    const run = async (model: Inpainter) => {
      const result = await restorePhoto({ imagePath: input, mask: { kind: 'bytes', bytes: maskPng }, output: { kind: 'buffer' } }, { inpainter: model });
      if (result.status !== 'restored') throw new Error('not restored');
      return result;
    };
    const deep = await run({ ...inpainter, holeReach: 28 });
    const plain = await run({ ...inpainter, holeReach: undefined });
    expect(deep.stats.strategies).toEqual({ whole: 0, tile: 0, downscale: 1 });
    expect(plain.stats.strategies).toEqual({ whole: 1, tile: 0, downscale: 0 });
    const before = await rawSamples(input);
    expectChangedOnlyInMask(before, await rawSamples(Buffer.from(deep.bytes!)), await maskBits(maskPng));
  });

  it('changes an 8-bit RGB PNG only inside the mask and reports progress', async () => {
    const input = path.join(dir, 'rgb8.png');
    await syntheticImage(160, 120, 3, 8).png().toFile(input);
    const maskPng = await scratchMaskPng(160, 120, 3);
    const output = path.join(dir, 'rgb8-out.png');
    const events: ProgressEvent[] = [];
    const result = await restorePhoto(
      { jobId: 'job-rgb8', imagePath: input, mask: { kind: 'bytes', bytes: maskPng }, output: { kind: 'file', path: output, ifExists: 'fail' } },
      { inpainter, onProgress: (e) => events.push(e) },
    );
    expect(result.status).toBe('restored');
    expectChangedOnlyInMask(await rawSamples(input), await rawSamples(output), await maskBits(maskPng));
    expect(events.map((e) => e.stage)).toEqual(expect.arrayContaining(['decode', 'inpaint', 'encode']));
    expect(events.every((e) => e.jobId === 'job-rgb8')).toBe(true);
    const last = events.at(-1)!;
    expect(last).toMatchObject({ stage: 'encode', done: 1, total: 1, etaMs: 0 });
  });

  it('keeps 16-bit RGB and grey PNG and 16-bit TIFF 16-bit and byte-identical outside the mask', async () => {
    for (const [channels, ext] of [[3, 'png'], [1, 'png'], [3, 'tif']] as const) {
      const input = path.join(dir, `deep${channels}.${ext}`);
      const image = syntheticImage(96, 80, channels, 16);
      await (ext === 'png' ? image.png() : image.tiff({ compression: 'lzw' })).toFile(input);
      const maskPng = await scratchMaskPng(96, 80, 2);
      const output = path.join(dir, `deep${channels}-out.${ext}`);
      await restorePhoto(
        { imagePath: input, mask: { kind: 'bytes', bytes: maskPng }, output: { kind: 'file', path: output, ifExists: 'fail' } },
        { inpainter },
      );
      const meta = await sharp(output).metadata();
      expect(meta.depth).toBe('ushort');
      expect(meta.channels).toBe(channels);
      expectChangedOnlyInMask(await rawSamples(input, 'ushort'), await rawSamples(output, 'ushort'), await maskBits(maskPng));
    }
  });

  it('keeps alpha and lossless WebP exact outside the mask', async () => {
    const input = path.join(dir, 'alpha.webp');
    await syntheticImage(80, 64, 4, 8).webp({ lossless: true }).toFile(input);
    const maskPng = await scratchMaskPng(80, 64, 3);
    const output = path.join(dir, 'alpha-out.webp');
    await restorePhoto({ imagePath: input, mask: { kind: 'bytes', bytes: maskPng }, output: { kind: 'file', path: output, ifExists: 'fail' } }, { inpainter });
    const before = await rawSamples(input);
    const after = await rawSamples(output);
    expect(after.channels).toBe(4);
    expectChangedOnlyInMask(before, after, await maskBits(maskPng));
  });

  it('carries EXIF, ICC and DPI over, applies the EXIF orientation, and writes JPEG at the set quality (95 by default)', async () => {
    const input = path.join(dir, 'oriented.jpg');
    // Stored 120x80 with orientation 6: displayed (and restored) as 80x120.
    await syntheticImage(120, 80, 3, 8)
      .withIccProfile('p3')
      .withExif({ IFD0: { Copyright: 'Patina test', Artist: 'Tester' } })
      .withMetadata({ orientation: 6, density: 300 })
      .jpeg({ quality: 95 })
      .toFile(input);
    const inMeta = await sharp(input).metadata();
    expect(inMeta.orientation).toBe(6);
    const output = path.join(dir, 'oriented-out.jpg');
    await restorePhoto(
      { imagePath: input, mask: { kind: 'bytes', bytes: await scratchMaskPng(80, 120, 3) }, output: { kind: 'file', path: output, ifExists: 'fail' } },
      { inpainter },
    );
    const outMeta = await sharp(output).metadata();
    expect(outMeta.format).toBe('jpeg');
    expect([outMeta.width, outMeta.height]).toEqual([80, 120]);
    expect(outMeta.orientation ?? 1).toBe(1);
    expect(outMeta.density).toBe(300);
    expect(Buffer.compare(outMeta.icc!, inMeta.icc!)).toBe(0);
    expect(outMeta.exif!.includes(Buffer.from('Patina test'))).toBe(true);
    expect(outMeta.exif!.includes(Buffer.from('Tester'))).toBe(true);
    // Quality is configurable (95 by default): a low setting gives a visibly smaller file.
    const low = path.join(dir, 'oriented-q40.jpg');
    await restorePhoto(
      { imagePath: input, mask: { kind: 'bytes', bytes: await scratchMaskPng(80, 120, 3) }, output: { kind: 'file', path: low, ifExists: 'fail' }, options: { quality: 40 } },
      { inpainter },
    );
    expect((await stat(low)).size).toBeLessThan(0.7 * (await stat(output)).size);
  });

  it('resizes a mask of the wrong size with nearest-neighbour and still restores', async () => {
    const input = path.join(dir, 'resize.png');
    await syntheticImage(128, 96, 3, 8).png().toFile(input);
    const smallMask = await scratchMaskPng(64, 48, 2);
    const result = await restorePhoto({ imagePath: input, mask: { kind: 'bytes', bytes: smallMask }, output: { kind: 'buffer' } }, { inpainter });
    expect(result.status).toBe('restored');
    if (result.status !== 'restored') return;
    const nearest = await sharp(smallMask).resize(128, 96, { kernel: 'nearest', fit: 'fill' }).png().toBuffer();
    expectChangedOnlyInMask(await rawSamples(input), await rawSamples(Buffer.from(result.bytes!)), await maskBits(nearest));
  });

  it('rejects an empty mask with MASK_EMPTY and writes nothing', async () => {
    const input = path.join(dir, 'empty.png');
    await syntheticImage(64, 64, 3, 8).png().toFile(input);
    const black = await sharp({ create: { width: 64, height: 64, channels: 3, background: '#000' } }).png().toBuffer();
    const output = path.join(dir, 'empty-out.png');
    const err = await restorePhoto({ imagePath: input, mask: { kind: 'bytes', bytes: black }, output: { kind: 'file', path: output, ifExists: 'fail' } }, { inpainter }).catch((e) => e);
    expect(err).toBeInstanceOf(EngineError);
    expect(err.code).toBe('MASK_EMPTY');
    expect(err.message).toContain('no pixels');
    // The inverted empty mask is full: everything gets filled, nothing fails.
    const inverted = await restorePhoto({ imagePath: input, mask: { kind: 'bytes', bytes: black }, output: { kind: 'buffer' }, options: { invertMask: true } }, { inpainter });
    expect(inverted.status).toBe('restored');
    expect(await readdir(dir)).not.toContain('empty-out.png');
  });

  it('names the file when the image is corrupt or missing, and when the mask is unreadable', async () => {
    const corrupt = path.join(dir, 'corrupt.jpg');
    const good = await syntheticImage(64, 64, 3, 8).jpeg().toBuffer();
    await writeFile(corrupt, good.subarray(0, 200));
    const mask = { kind: 'bytes', bytes: await scratchMaskPng(64, 64) } as const;
    const e1 = await restorePhoto({ imagePath: corrupt, mask, output: { kind: 'buffer' } }, { inpainter }).catch((e) => e);
    expect(e1.code).toBe('IMAGE_UNREADABLE');
    expect(e1.message).toContain(corrupt);
    const missing = path.join(dir, 'nope.png');
    const e2 = await restorePhoto({ imagePath: missing, mask, output: { kind: 'buffer' } }, { inpainter }).catch((e) => e);
    expect(e2.code).toBe('IMAGE_UNREADABLE');
    expect(e2.message).toContain(missing);
    const input = path.join(dir, 'for-bad-mask.png');
    await syntheticImage(64, 64, 3, 8).png().toFile(input);
    const e3 = await restorePhoto({ imagePath: input, mask: { kind: 'bytes', bytes: new Uint8Array([1, 2, 3]) }, output: { kind: 'buffer' } }, { inpainter }).catch((e) => e);
    expect(e3.code).toBe('MASK_UNREADABLE');
  });

  it('stops between crops when cancelled, leaves no file and does not touch the original', async () => {
    const sub = await tempDir();
    const input = path.join(sub, 'cancel.png');
    // Specks far apart: one crop each, so there is a "between crops".
    await syntheticImage(640, 160, 3, 8).png().toFile(input);
    const maskRaw = new Uint8Array(640 * 160);
    for (const cx of [20, 300, 600]) for (let y = 70; y < 76; y++) for (let x = cx; x < cx + 6; x++) maskRaw[y * 640 + x] = 255;
    const maskPng = await sharp(maskRaw, { raw: { width: 640, height: 160, channels: 1 } }).png().toBuffer();
    const originalBytes = await readFile(input);
    const controller = new AbortController();
    let runs = 0;
    // Cancel while the first crop is running: the job must stop before the second.
    const cancelling: Inpainter = {
      ...inpainter,
      inpaint: async (...args) => {
        runs++;
        const out = await inpainter.inpaint(...args);
        controller.abort();
        return out;
      },
    };
    const err = await restorePhoto(
      // One network pass per crop, so runs counts crops.
      { imagePath: input, mask: { kind: 'bytes', bytes: maskPng }, output: { kind: 'file', path: input, ifExists: 'overwrite' }, options: { qualityMode: 'fast' } },
      { inpainter: cancelling, signal: controller.signal },
    ).catch((e) => e);
    expect(err.code).toBe('CANCELLED');
    expect(runs).toBe(1);
    expect(await readdir(sub)).toEqual(['cancel.png']);
    expect(Buffer.compare(await readFile(input), originalBytes)).toBe(0);
  });

  it('refuses to write over an existing file unless told to, and skips when asked', async () => {
    const input = path.join(dir, 'exists.png');
    await syntheticImage(64, 64, 3, 8).png().toFile(input);
    const mask = { kind: 'bytes', bytes: await scratchMaskPng(64, 64) } as const;
    const e = await restorePhoto({ imagePath: input, mask, output: { kind: 'file', path: input, ifExists: 'fail' } }, { inpainter }).catch((x) => x);
    expect(e.code).toBe('OUTPUT_EXISTS');
    const skipped = await restorePhoto({ imagePath: input, mask, output: { kind: 'file', path: input, ifExists: 'skip' } }, { inpainter });
    expect(skipped.status).toBe('skipped');
  });

  it('reports AUTO_MASK_UNAVAILABLE without a detector', async () => {
    const input = path.join(dir, 'auto.png');
    await syntheticImage(32, 32, 3, 8).png().toFile(input);
    const e = await restorePhoto({ imagePath: input, mask: { kind: 'auto' }, output: { kind: 'buffer' } }, { inpainter }).catch((x) => x);
    expect(e.code).toBe('AUTO_MASK_UNAVAILABLE');
    expect(e.message).toMatch(/not available yet/);
  });
});
