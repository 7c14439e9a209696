import { copyFile, mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { defaultModelsDir } from '../inference/models-dir';
import { detectDefects, learnedThreshold } from './detect';
import { loadDefectModel, predictDamage, predictDamageMultiScale } from './learned';
import { blockSums } from './raster';
import { compare, CRACKED_PRINT, CRACKED_PRINT_LABEL, gradientRgb, loadRgb, paintStroke, paintTornCorner, PORTRAIT } from './testing/fixtures';

// The real shipped model (models/defects/), run by onnxruntime-node.
const modelsDir = defaultModelsDir();

describe('learned damage detector (ONNX)', () => {
  // The shipped model trained for about 3.4 CPU hours on synthetic damage (see models/defects/manifest.json):
  // weak, so these tests hold it to what it does reliably, not to what the classical detector does.
  it('loads the shipped model and ranks an obvious scratch above the clean background', async () => {
    const model = await loadDefectModel(modelsDir);
    expect(model.threshold).toBeGreaterThan(0);
    expect(model.threshold).toBeLessThan(1);
    const img = gradientRgb(400, 300);
    const truth = paintStroke(img, [20, 30], [380, 250], 3, 240, 0.9);
    const { width, height, prob } = await predictDamage(model, blockSums(img, 1));
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

  it('keeps a torn-off corner the network confirms, and only that', async () => {
    // The classical corner test finds the region; the learned detector keeps it where the network's
    // mean probability over it reaches CornerParams.minNetMean.
    const img = await loadRgb(PORTRAIT, 384, 384);
    const truth = paintTornCorner(img);
    const mask = await detectDefects(img, { method: 'learned', modelsDir });
    expect(mask.stats.corners).toBe(1);
    const c = compare(mask.data, truth, 384, 384);
    expect(c.recall).toBeGreaterThan(0.8);
    expect(c.farFromTruth).toBeLessThan(0.01 * 384 * 384);
    const clean = await detectDefects(await loadRgb(PORTRAIT, 384, 384), { method: 'learned', modelsDir });
    expect(clean.stats.corners).toBe(0);
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

  it('finds a soft scratch on an enlarged scan with its coarser pass', async () => {
    // A 3-px scratch on a 480x360 photo, enlarged 3x as a high-resolution scan would show it:
    // 9 px wide with soft edges, wider and softer than the strokes the network learned.
    const small = await loadRgb(PORTRAIT, 480, 360);
    paintStroke(small, [30, 40], [450, 320], 3, 235, 0.8);
    const [W, H] = [1440, 1080];
    const data = await sharp(small.data, { raw: { width: 480, height: 360, channels: 3 } }).resize(W, H, { kernel: 'lanczos3' }).raw().toBuffer();
    const big = { width: W, height: H, channels: 3, colourChannels: 3, bitDepth: 8, data: new Uint8Array(data) } as const;
    const onLine = (mask: Uint8Array): number => {
      let hits = 0;
      for (let t = 0.05; t < 0.95; t += 0.01) if (mask[Math.floor((40 + 280 * t) * 3) * W + Math.floor((30 + 420 * t) * 3)]) hits++;
      return hits / 90;
    };
    const single = await detectDefects(big, { modelsDir, tuning: { learnedPasses: 1 } });
    const multi = await detectDefects(big, { modelsDir });
    // A crack this wide is mostly beyond the net's reach at the photo's own scale; the coarser
    // pass, which sees it at half its width, finds most of it.
    expect(onLine(multi.data)).toBeGreaterThan(onLine(single.data) + 0.15);
    expect(onLine(multi.data)).toBeGreaterThan(0.6);
    expect(multi.stats.flaggedPixels / (W * H)).toBeLessThan(0.02);

    const model = await loadDefectModel(modelsDir);
    const coarse = await predictDamageMultiScale(model, blockSums(big, 1), 2);
    expect([coarse.width, coarse.height, coarse.passes]).toEqual([W, H, 2]);
    // No coarser pass on a photo too small for one: the result is the single pass.
    const smallPasses = await predictDamageMultiScale(model, blockSums(small, 1), 2);
    expect(smallPasses.passes).toBe(1);
    expect(smallPasses.prob).toEqual((await predictDamage(model, blockSums(small, 1))).prob);
  });

  it('finds the crack network of a real cracked print, on the cracks', async () => {
    // A 400x256 scan whose cream cracks run over the top half and the faces (a net trained on
    // clean modern photos only flags almost none of it). What is flagged must lie on the cracks
    // of its hand-drawn mask (within 1 px, the scorer's tolerance at this size), not on the faces,
    // the collar braid or the buttons.
    const img = await loadRgb(CRACKED_PRINT, 400, 256);
    const mask = await detectDefects(img, { method: 'learned', modelsDir });
    expect(mask.stats.method).toBe('learned');
    expect(mask.stats.flaggedPixels / (400 * 256)).toBeGreaterThan(0.03);
    const { data: label } = await sharp(CRACKED_PRINT_LABEL).extractChannel(0).raw().toBuffer({ resolveWithObject: true });
    let onCracks = 0;
    for (let y = 0; y < 256; y++) {
      for (let x = 0; x < 400; x++) {
        if (!mask.data[y * 400 + x]) continue;
        let near = false;
        for (let dy = -1; dy <= 1 && !near; dy++)
          for (let dx = -1; dx <= 1 && !near; dx++) near = label[Math.min(255, Math.max(0, y + dy)) * 400 + Math.min(399, Math.max(0, x + dx))]! > 127;
        if (near) onCracks++;
      }
    }
    expect(onCracks / mask.stats.flaggedPixels).toBeGreaterThan(0.75);
  });

  it('leaves the banding of a smooth 8-bit gradient alone', async () => {
    // 1-level steps every ~11 px: the network marks some (6 % of this photo before the visibility check).
    const img = gradientRgb(1000, 800);
    const mask = await detectDefects(img, { modelsDir });
    expect(mask.stats.flaggedPixels / (1000 * 800)).toBeLessThan(0.002);
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
