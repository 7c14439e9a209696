import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { EngineError } from '../errors/engine-error';
import { detectDefects } from './detect';
import { detectDefectsInFile } from './mask-file';
import { compare, gradientRgb, loadRgb, paintSpeck, paintStroke, paintTornCorner, PORTRAIT } from './testing/fixtures';

const share = (flagged: number, w: number, h: number) => flagged / (w * h);

/** The classical detector: morphological filters, no model file. The learned one is tested in learned.test.ts. */
const classical = { method: 'classical' } as const;

describe('detectDefects (classical)', () => {
  it('finds a bright scratch, a dark scratch and dust specks on a smooth gradient, and nothing else', async () => {
    const img = gradientRgb(320, 240);
    const truth = paintStroke(img, [20, 30], [300, 90], 2, 245, 0.9);
    paintStroke(img, [60, 220], [280, 150], 3, 20, 0.85, truth);
    for (const [x, y] of [
      [50, 120],
      [160, 150],
      [250, 210],
    ] as const) {
      paintSpeck(img, x, y, 2.5, 235, truth);
    }
    const mask = await detectDefects(img, classical);
    const c = compare(mask.data, truth, img.width, img.height);
    expect(c.recall).toBeGreaterThan(0.85);
    expect(c.farFromTruth).toBe(0);
    expect(mask.stats.strokes).toBeGreaterThanOrEqual(2);
    expect(mask.stats.specks).toBeGreaterThanOrEqual(3);
  });

  it('flags nothing on the clean gradient', async () => {
    const img = gradientRgb(320, 240);
    const mask = await detectDefects(img, classical);
    expect(mask.stats.flaggedPixels).toBe(0);
  });

  it('finds a scratch across a real portrait and leaves the clean portrait almost untouched', async () => {
    const clean = await loadRgb(PORTRAIT, 384, 384);
    const cleanMask = await detectDefects(clean, classical);
    expect(share(cleanMask.stats.flaggedPixels, 384, 384)).toBeLessThan(0.01);

    const damaged = await loadRgb(PORTRAIT, 384, 384);
    // Across the forehead and cheek: skin, where a person sees it at once.
    const truth = paintStroke(damaged, [120, 110], [300, 230], 2, 240, 0.85);
    const mask = await detectDefects(damaged, classical);
    const c = compare(mask.data, truth, 384, 384);
    expect(c.recall).toBeGreaterThan(0.7);
    // Little is flagged beyond the scratch (±1 px) and what the clean photo already had:
    // where the scratch crosses an eyebrow, the traced stroke may take a few of its pixels along.
    expect(c.farFromTruth).toBeLessThanOrEqual(cleanMask.stats.flaggedPixels + c.truthCount / 2);
  });

  it('finds a torn-off corner showing white backing', async () => {
    const img = await loadRgb(PORTRAIT, 384, 384);
    const truth = paintTornCorner(img);
    const mask = await detectDefects(img, classical);
    const c = compare(mask.data, truth, 384, 384);
    expect(mask.stats.corners).toBe(1);
    expect(c.recall).toBeGreaterThan(0.8);
    // The corner adds nothing elsewhere: what remains is the portrait's own (under 1 %) thin false alarms.
    expect(c.farFromTruth).toBeLessThan(0.01 * 384 * 384);
  });

  it('flags more (never less) as sensitivity rises', async () => {
    const img = await loadRgb(PORTRAIT, 320, 320);
    paintStroke(img, [30, 40], [290, 120], 2, 235, 0.5);
    paintStroke(img, [40, 300], [300, 200], 1, 30, 0.6);
    const counts: number[] = [];
    for (const sensitivity of [0, 0.25, 0.5, 0.75, 1]) {
      counts.push((await detectDefects(img, { ...classical, sensitivity })).stats.flaggedPixels);
    }
    for (let i = 1; i < counts.length; i++) expect(counts[i]!).toBeGreaterThanOrEqual(counts[i - 1]!);
    expect(counts.at(-1)!).toBeGreaterThan(counts[0]!);
  });

  it('works on a large photo through the working resolution and keeps a thin scratch thin', async () => {
    const img = gradientRgb(2400, 1600);
    const truth = paintStroke(img, [100, 200], [2300, 1400], 2, 240, 0.9);
    const mask = await detectDefects(img, classical);
    expect(mask.stats.factor).toBe(2);
    expect([mask.width, mask.height]).toEqual([2400, 1600]);
    const c = compare(mask.data, truth, 2400, 1600);
    expect(c.recall).toBeGreaterThan(0.8);
    expect(c.farFromTruth).toBe(0);
    // Refined at full resolution: not the 2 px x factor band of the working mask.
    expect(c.flagged).toBeLessThan(1.6 * c.truthCount);
  });

  it('reads grey and 16-bit pixels', async () => {
    const rgb = gradientRgb(200, 160);
    const truth = paintStroke(rgb, [10, 20], [190, 140], 2, 240, 0.9);
    const grey16 = new Uint16Array(200 * 160);
    for (let i = 0; i < grey16.length; i++) grey16[i] = rgb.data[i * 3 + 1]! * 257;
    const mask = await detectDefects({ width: 200, height: 160, channels: 1, colourChannels: 1, bitDepth: 16, data: grey16 }, classical);
    expect(compare(mask.data, truth, 200, 160).recall).toBeGreaterThan(0.8);
  });

  it('reports progress and stops when cancelled', async () => {
    const img = gradientRgb(160, 120);
    const seen: [number, number][] = [];
    await detectDefects(img, { ...classical, onProgress: (d, t) => seen.push([d, t]) });
    expect(seen[0]).toEqual([0, 4]);
    expect(seen.at(-1)).toEqual([4, 4]);

    const controller = new AbortController();
    const pending = detectDefects(img, { ...classical, signal: controller.signal, onProgress: (d) => d === 1 && controller.abort() });
    await expect(pending).rejects.toMatchObject({ code: 'CANCELLED' });
  });

  it('rejects bad arguments clearly', async () => {
    const img = gradientRgb(32, 32);
    await expect(detectDefects(img, { ...classical, sensitivity: 1.5 })).rejects.toThrow(/Sensitivity must be a number from 0 to 1/);
    await expect(detectDefects({ ...img, width: 33 }, classical)).rejects.toThrow(/needs/);
  });

  it('fails with IMAGE_UNREADABLE on a corrupt file', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'patina-defects-'));
    const file = path.join(dir, 'broken.jpg');
    await writeFile(file, Buffer.from('\xff\xd8\xff\xe0 this is not really a JPEG', 'latin1'));
    const err = await detectDefectsInFile(file).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EngineError);
    expect((err as EngineError).code).toBe('IMAGE_UNREADABLE');
  });
});
