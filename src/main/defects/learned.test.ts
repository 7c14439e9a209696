import { copyFile, mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultModelsDir } from '../inference/models-dir';
import { detectDefects, learnedThreshold } from './detect';
import { loadDefectModel, predictDamage } from './learned';
import { gradientRgb, loadRgb, paintStroke, PORTRAIT } from './testing/fixtures';

// The real shipped model (models/defects/), run by onnxruntime-node.
const modelsDir = defaultModelsDir();

describe('learned damage detector (ONNX)', () => {
  // The shipped model is an experiment trained for 24 CPU minutes (see models/defects/manifest.json):
  // weak, so these tests hold it to what it does reliably, not to what the classical detector does.
  it('loads the shipped model and ranks an obvious scratch above the clean background', async () => {
    const model = await loadDefectModel(modelsDir);
    expect(model.threshold).toBeGreaterThan(0);
    expect(model.threshold).toBeLessThan(1);
    const img = gradientRgb(400, 300);
    const truth = paintStroke(img, [20, 30], [380, 250], 3, 240, 0.9);
    const { width, height, prob } = await predictDamage(model, img, 1);
    expect([width, height, prob.length]).toEqual([400, 300, 400 * 300]);
    let on = 0;
    let count = 0;
    const off: number[] = [];
    for (let i = 0; i < prob.length; i++) {
      expect(prob[i]! >= 0 && prob[i]! <= 1).toBe(true);
      if (truth[i]) {
        on += prob[i]!;
        count++;
      } else off.push(prob[i]!);
    }
    off.sort((a, b) => a - b);
    expect(on / count).toBeGreaterThan(off[Math.floor(off.length * 0.99)]!);
  });

  it('returns a full-size mask through the same pipeline and flags little on a clean photo', async () => {
    const clean = await loadRgb(PORTRAIT, 384, 384);
    const mask = await detectDefects(clean, { method: 'learned', modelsDir });
    expect(mask.stats.method).toBe('learned');
    expect(mask.stats.note).toBeUndefined();
    expect([mask.width, mask.height, mask.data.length]).toEqual([384, 384, 384 * 384]);
    expect(mask.data.every((v) => v === 0 || v === 255)).toBe(true);
    expect(mask.stats.flaggedPixels / (384 * 384)).toBeLessThan(0.01);
  });

  it('flags more (never less) as sensitivity rises, and maps sensitivity to a monotone threshold', async () => {
    const img = await loadRgb(PORTRAIT, 256, 256);
    paintStroke(img, [20, 30], [240, 100], 2, 235, 0.5);
    const counts: number[] = [];
    for (const sensitivity of [0, 0.5, 1]) counts.push((await detectDefects(img, { method: 'learned', sensitivity, modelsDir })).stats.flaggedPixels);
    expect(counts[1]!).toBeGreaterThanOrEqual(counts[0]!);
    expect(counts[2]!).toBeGreaterThanOrEqual(counts[1]!);
    expect(learnedThreshold(0.6, 0.5)).toBeCloseTo(0.6, 10);
    expect(learnedThreshold(0.6, 0)).toBeGreaterThan(learnedThreshold(0.6, 1));
  });

  it('works through the working resolution on a large photo', async () => {
    const img = gradientRgb(2400, 1600);
    paintStroke(img, [100, 200], [2300, 1400], 3, 240, 0.9);
    const mask = await detectDefects(img, { method: 'learned', modelsDir });
    expect(mask.stats).toMatchObject({ method: 'learned', factor: 2 });
    expect([mask.width, mask.height]).toEqual([2400, 1600]);
    expect(mask.stats.flaggedPixels / (2400 * 1600)).toBeLessThan(0.01);
  });

  it('falls back to the classical detector, saying why, when the model is missing or tampered with', async () => {
    const img = gradientRgb(200, 150);
    paintStroke(img, [10, 15], [190, 130], 2, 245, 0.9);

    const empty = await mkdtemp(path.join(tmpdir(), 'patina-no-model-'));
    const missing = await detectDefects(img, { method: 'learned', modelsDir: empty });
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
    const fallback = await detectDefects(img, { method: 'learned', modelsDir: tampered });
    expect(fallback.stats.method).toBe('classical');
    expect(fallback.stats.note).toMatch(/does not match its manifest/);
  });
});
