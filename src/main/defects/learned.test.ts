import { copyFile, mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultModelsDir } from '../inference/models-dir';
import { detectDefects, learnedThreshold } from './detect';
import { loadDefectModel } from './learned';
import { compare, gradientRgb, loadRgb, paintSpeck, paintStroke, PORTRAIT } from './testing/fixtures';

// The real shipped model (models/defects/), run by onnxruntime-node.
const modelsDir = defaultModelsDir();

describe('learned damage detector (ONNX)', () => {
  it('loads the shipped model and finds a scratch and dust on a real portrait', async () => {
    const model = await loadDefectModel(modelsDir);
    expect(model.threshold).toBeGreaterThan(0);
    expect(model.threshold).toBeLessThan(1);

    const clean = await loadRgb(PORTRAIT, 384, 384);
    const cleanMask = await detectDefects(clean, { model });
    expect(cleanMask.stats.method).toBe('learned');
    expect(cleanMask.stats.flaggedPixels / (384 * 384)).toBeLessThan(0.01);

    const img = await loadRgb(PORTRAIT, 384, 384);
    const truth = paintStroke(img, [120, 110], [300, 230], 2, 240, 0.85);
    paintStroke(img, [40, 330], [200, 300], 2, 25, 0.9, truth);
    for (const [x, y] of [
      [190, 140],
      [230, 330],
    ] as const) {
      paintSpeck(img, x, y, 2.5, 30, truth);
    }
    const mask = await detectDefects(img, { model });
    const c = compare(mask.data, truth, 384, 384);
    expect(c.recall).toBeGreaterThan(0.6);
    expect(c.farFromTruth).toBeLessThanOrEqual(cleanMask.stats.flaggedPixels + c.truthCount / 2);
  });

  it('flags more (never less) as sensitivity rises, and maps sensitivity to a monotone threshold', async () => {
    const img = await loadRgb(PORTRAIT, 256, 256);
    paintStroke(img, [20, 30], [240, 100], 2, 235, 0.5);
    const counts: number[] = [];
    for (const sensitivity of [0, 0.5, 1]) counts.push((await detectDefects(img, { sensitivity, modelsDir })).stats.flaggedPixels);
    expect(counts[1]!).toBeGreaterThanOrEqual(counts[0]!);
    expect(counts[2]!).toBeGreaterThanOrEqual(counts[1]!);
    expect(learnedThreshold(0.6, 0.5)).toBeCloseTo(0.6, 10);
    expect(learnedThreshold(0.6, 0)).toBeGreaterThan(learnedThreshold(0.6, 1));
  });

  it('works through the working resolution on a large photo', async () => {
    const img = gradientRgb(2400, 1600);
    const truth = paintStroke(img, [100, 200], [2300, 1400], 3, 240, 0.9);
    const mask = await detectDefects(img, { modelsDir });
    expect(mask.stats.factor).toBe(2);
    const c = compare(mask.data, truth, 2400, 1600);
    expect(c.recall).toBeGreaterThan(0.6);
    expect(c.farFromTruth).toBeLessThan(0.001 * 2400 * 1600);
  });

  it('falls back to the classical detector, saying why, when the model is missing or tampered with', async () => {
    const img = gradientRgb(200, 150);
    paintStroke(img, [10, 15], [190, 130], 2, 245, 0.9);

    const empty = await mkdtemp(path.join(tmpdir(), 'patina-no-model-'));
    const missing = await detectDefects(img, { modelsDir: empty });
    expect(missing.stats.method).toBe('classical');
    expect(missing.stats.note).toMatch(/Learned damage model unavailable.*manifest not found/);
    expect(missing.stats.flaggedPixels).toBeGreaterThan(0);

    const tampered = await mkdtemp(path.join(tmpdir(), 'patina-bad-model-'));
    await mkdir(path.join(tampered, 'defects'));
    await copyFile(path.join(modelsDir, 'defects', 'manifest.json'), path.join(tampered, 'defects', 'manifest.json'));
    const bytes = await readFile(path.join(modelsDir, 'defects', 'patina-defects.onnx'));
    bytes[bytes.length - 1] ^= 0xff;
    await writeFile(path.join(tampered, 'defects', 'patina-defects.onnx'), bytes);
    await expect(loadDefectModel(tampered)).rejects.toMatchObject({ code: 'MODEL_HASH_MISMATCH' });
    const fallback = await detectDefects(img, { modelsDir: tampered });
    expect(fallback.stats.method).toBe('classical');
    expect(fallback.stats.note).toMatch(/does not match its manifest/);
  });
});
