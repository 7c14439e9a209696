import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { describe, expect, it, vi } from 'vitest';
import { EngineError } from '../errors/engine-error';
import { defaultModelsDir } from '../inference/models-dir';
import { analyseDefects, defectMaskAt, type DetectionBasis } from './detect';
import { hasHelper, HELPER_PATH_VARIABLE } from './helper';
import { loadDefectModel } from './learned';
import type { PixelSource } from './raster';
import { REPO_ROOT } from './testing/fixtures';

/** A real cracked print with a transparent-free alpha channel (shared/data/damaged, RGBA 496x624). */
const PRINT = path.resolve(REPO_ROOT, '../shared/data/damaged/bopb_old_photos/old_w_scratch/a.png');

/** The print enlarged to an odd size, as 8- or 16-bit samples with the given channels (grey and/or alpha). */
async function printAs(width: number, height: number, options: { grey?: boolean; alpha?: boolean; sixteen?: boolean }): Promise<PixelSource> {
  let img = sharp(PRINT).resize(width, height, { fit: 'fill' });
  if (options.grey) img = img.removeAlpha().toColourspace(options.sixteen ? 'grey16' : 'b-w');
  else img = (options.alpha ? img.ensureAlpha() : img.removeAlpha()).toColourspace(options.sixteen ? 'rgb16' : 'srgb');
  const data = await img.raw({ depth: options.sixteen ? 'ushort' : 'uchar' }).toBuffer();
  let samples = options.sixteen ? new Uint16Array(data.buffer, data.byteOffset, data.byteLength / 2) : new Uint8Array(data);
  if (options.grey && options.alpha) {
    // sharp's grey output drops alpha: interleave one that varies from pixel to pixel.
    const grey = samples;
    samples = new (grey.constructor as typeof Uint8Array)(2 * grey.length);
    for (let i = 0; i < grey.length; i++) [samples[2 * i], samples[2 * i + 1]] = [grey[i]!, (i * 7) & 255];
  }
  const colourChannels = options.grey ? 1 : 3;
  const channels = (colourChannels + (options.alpha ? 1 : 0)) as PixelSource['channels'];
  expect(samples.length).toBe(width * height * channels);
  return { width, height, channels, colourChannels, bitDepth: options.sixteen ? 16 : 8, data: samples };
}

function expectSameBasis(parallel: DetectionBasis, serial: DetectionBasis): void {
  // The learned analysis comes with the intermediates worked out beside the network; on one thread
  // the mask stage works them out on its first call.
  if (serial.prob) expect(parallel.kept.means && parallel.kept.backgrounds).toBeTruthy();
  expect(serial.kept).toEqual({});
  expect(parallel.factor).toBe(serial.factor);
  for (const plane of ['bright', 'dark'] as const) {
    expect(Buffer.compare(parallel.full[plane].data, serial.full[plane].data)).toBe(0);
    expect(Buffer.compare(parallel.working[plane].data, serial.working[plane].data)).toBe(0);
  }
  if (serial.prob) expect(Buffer.compare(bytes(parallel.prob!), bytes(serial.prob))).toBe(0);
  for (const sensitivity of [0.2, 0.5, 0.9]) {
    const a = defectMaskAt(parallel, sensitivity);
    const b = defectMaskAt(serial, sensitivity);
    expect(Buffer.compare(a.data, b.data)).toBe(0);
    expect({ ...a.stats, ms: 0 }).toEqual({ ...b.stats, ms: 0 });
  }
  // The intermediates the helper worked out are the ones the serial mask stage computed for itself.
  for (const key of ['brightMean', 'darkMean'] as const) expect(Buffer.compare(bytes(parallel.kept.means![key]), bytes(serial.kept.means![key]))).toBe(0);
  if (serial.prob) {
    expect(parallel.kept.backgrounds!.radius).toBe(serial.kept.backgrounds!.radius);
    expect(Buffer.compare(parallel.kept.backgrounds!.opened.data, serial.kept.backgrounds!.opened.data)).toBe(0);
    expect(Buffer.compare(parallel.kept.backgrounds!.closed.data, serial.kept.backgrounds!.closed.data)).toBe(0);
  }
}

const bytes = (a: Float32Array) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);

describe('detection with a helper thread', () => {
  const modelsDir = defaultModelsDir();

  it.each([
    ['RGB, 8-bit, two network passes', 3001, 2311, {}],
    ['RGBA, 8-bit', 2301, 1711, { alpha: true }],
    ['RGB, 16-bit', 1501, 1201, { sixteen: true }],
    ['grey + alpha, 8-bit', 1203, 1601, { grey: true, alpha: true }],
    ['grey, 16-bit', 1111, 1003, { grey: true, sixteen: true }],
  ] as const)('gives the serial path\'s bytes on a real cracked print: %s, %ix%i', async (_, width, height, options) => {
    const photo = await printAs(width, height, options);
    const model = await loadDefectModel(modelsDir);
    const parallel = await analyseDefects(photo, { model });
    const serial = await analyseDefects(photo, { model, parallel: false });
    expect(hasHelper()).toBe(true);
    expectSameBasis(parallel, serial);
  });

  it('is cancelled between stages, and the helper serves the next detection', async () => {
    const photo = await printAs(2001, 1601, {});
    const model = await loadDefectModel(modelsDir);
    const controller = new AbortController();
    const cancelled = analyseDefects(photo, { model, signal: controller.signal, onProgress: (done) => done === 1 && controller.abort() });
    await expect(cancelled).rejects.toSatisfy((e: unknown) => e instanceof EngineError && e.code === 'CANCELLED');
    const next = await analyseDefects(photo, { model });
    expectSameBasis(next, await analyseDefects(photo, { model, parallel: false }));
  });

  it('runs on one thread, with the same bytes, where the helper cannot start', async () => {
    vi.resetModules();
    process.env[HELPER_PATH_VARIABLE] = path.join(tmpdir(), 'patina-no-such-helper.js');
    try {
      // A fresh module graph: its helper has not been tried yet in this process.
      const fresh = await import('./detect');
      const photo = await printAs(1501, 1201, {});
      const model = await loadDefectModel(modelsDir);
      expectSameBasis(await fresh.analyseDefects(photo, { model }), await analyseDefects(photo, { model, parallel: false }));
      expect((await import('./helper')).hasHelper()).toBe(false);
      expectSameBasis(await fresh.analyseDefects(photo, { model }), await analyseDefects(photo, { model, parallel: false }));
    } finally {
      delete process.env[HELPER_PATH_VARIABLE];
      vi.resetModules();
    }
  });
});
