/**
 * Asking the learned tone estimator more than once, scored on training
 * photos, never on the benchmark's: `node training/run-ts.mjs
 * bench/tone/refine.ts [-- --limit N]`.
 *
 * Variants of the estimator's points (the engine asks once):
 * - refinement: the thumbnail through the points so far (clipped, 8-bit), asked
 *   again, and its answer composed in `damping` of the way, `rounds` times in
 *   all (an ideal estimator answers the identity on a restored photo);
 * - flips: the mean of its answers on the thumbnail and its mirror images.
 *
 * Photos: every 20th photo of the training split, the ones the estimator's
 * training keeps apart as its own proxy check (training/patina_train/tone_train.py),
 * so it never learnt them; each aged twice by the benchmark's ageing
 * (ageing.ts) with seeds of its own (the benchmark's are 0-60 and 1000-1060).
 * Everything else is the engine's in-process Auto (analyse, resolve, render)
 * at 512 px, scored as the benchmark scores.
 */
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { defaultModelsDir } from '../../src/main/inference/models-dir';
import { analyseTone, thumbnail } from '../../src/main/tone/analyse';
import { renderTone } from '../../src/main/tone/apply';
import { resolveTone } from '../../src/main/tone/auto';
import { ESTIMATOR_SIDE, estimatePoints, loadToneEstimator, type ToneEstimator, type TonePoints } from '../../src/main/tone/estimator';
import { isCleanValidation } from '../../training/defects/real-split';
import { age, drawAgeing } from './ageing';
import { lab, meanDeltaE2000, psnr } from './score';

const DATA = path.resolve('../shared/data/train');
const args = process.argv.slice(2);
const limitAt = args.indexOf('--limit');
const LIMIT = limitAt >= 0 ? Number(args[limitAt + 1]) : 1e9;
const SIDE = 512;
const SEEDS = [5000, 6000] as const;
const N = ESTIMATOR_SIDE * ESTIMATOR_SIDE;

type Variant = { readonly name: string; readonly points: (e: ToneEstimator, thumb: Float32Array) => Promise<TonePoints> };
const refined = (rounds: number, damping: number): Variant => ({ name: `${rounds} rounds, damping ${damping}`, points: (e, t) => refine(e, t, rounds, damping) });
const VARIANTS: readonly Variant[] = [
  refined(1, 1),
  refined(2, 0.25),
  refined(2, 0.5),
  refined(2, 1),
  refined(3, 0.5),
  { name: 'mean of plain and mirrored', points: (e, t) => flipped(e, t, 2) },
  { name: 'mean of 4 flips', points: (e, t) => flipped(e, t, 4) },
];

async function refine(estimator: ToneEstimator, thumb: Float32Array, rounds: number, damping: number): Promise<TonePoints> {
  let { black, white } = await estimatePoints(estimator, thumb);
  for (let r = 1; r < rounds; r++) {
    const seen = new Float32Array(thumb.length);
    for (let ch = 0; ch < 3; ch++) {
      const span = Math.max(1e-3, white[ch]! - black[ch]!);
      for (let i = ch * N; i < (ch + 1) * N; i++) seen[i] = Math.round(255 * Math.min(1, Math.max(0, (thumb[i]! - black[ch]!) / span))) / 255;
    }
    const next = await estimatePoints(estimator, seen);
    // x -> (x - b) / (w - b), then y -> (y - b2) / (w2 - b2) is one map, whose points in x are b + b2 (w - b) and b + w2 (w - b).
    const span = white.map((w, ch) => w - black[ch]!);
    white = black.map((b, ch) => b + (1 + damping * (next.white[ch]! - 1)) * span[ch]!);
    black = black.map((b, ch) => b + damping * next.black[ch]! * span[ch]!);
  }
  return { black, white };
}

async function flipped(estimator: ToneEstimator, thumb: Float32Array, count: 2 | 4): Promise<TonePoints> {
  const s = ESTIMATOR_SIDE;
  const answers: TonePoints[] = [];
  for (const [fx, fy] of ([[false, false], [true, false], [false, true], [true, true]] as const).slice(0, count)) {
    const t = new Float32Array(thumb.length);
    for (let c = 0; c < 3; c++) for (let y = 0; y < s; y++) for (let x = 0; x < s; x++) t[c * N + y * s + x] = thumb[c * N + (fy ? s - 1 - y : y) * s + (fx ? s - 1 - x : x)]!;
    answers.push(await estimatePoints(estimator, t));
  }
  const mean = (pick: (p: TonePoints) => readonly number[]) => [0, 1, 2].map((c) => answers.reduce((sum, p) => sum + pick(p)[c]!, 0) / count);
  return { black: mean((p) => p.black), white: mean((p) => p.white) };
}

/** The training split in data.split's order, every 20th photo: tone_train's proxy photos. */
async function proxyPhotos(): Promise<string[]> {
  const train: string[] = [];
  for (const d of (await readdir(DATA)).sort()) for (const f of (await readdir(path.join(DATA, d))).sort()) if (/\.(jpe?g|png)$/i.test(f) && !isCleanValidation(`${d}/${f}`)) train.push(`${d}/${f}`);
  return train.filter((_, i) => i % 20 === 0);
}

async function main(): Promise<void> {
  const estimator = await loadToneEstimator(defaultModelsDir());
  if (!estimator) throw new Error('models/tone is missing');
  const photos = (await proxyPhotos()).slice(0, LIMIT);
  const rows = VARIANTS.map(() => ({ p: 0, d: 0, worseP: 0, worseD: 0 }));
  let n = 0;
  for (let i = 0; i < photos.length; i++) {
    const { data, info } = await sharp(path.join(DATA, photos[i]!)).removeAlpha().toColourspace('srgb').resize(SIDE, SIDE, { fit: 'inside', withoutEnlargement: true }).raw().toBuffer({ resolveWithObject: true });
    const clean = new Uint8Array(data);
    const ref = await lab(clean, info.width, info.height);
    for (const seed of SEEDS) {
      const aged = await age(clean, info.width, info.height, drawAgeing(seed + i), seed + i);
      const px = { width: info.width, height: info.height, channels: 3 as const, data: aged };
      const p0 = psnr(aged, clean);
      const d0 = meanDeltaE2000(ref, await lab(aged, info.width, info.height));
      const analysis = await analyseTone(px, estimator);
      // The photo is at most 512 px, so analyse's statistics copy, whose thumbnail the engine asks about, is the photo itself.
      const thumb = await thumbnail(px, 255);
      const line: string[] = [];
      for (let k = 0; k < VARIANTS.length; k++) {
        const a = { ...analysis, learned: await VARIANTS[k]!.points(estimator, thumb) };
        const out = new Uint8Array(await renderTone(px, resolveTone({}, a), a));
        const p = psnr(out, clean);
        const d = meanDeltaE2000(ref, await lab(out, info.width, info.height));
        const r = rows[k]!;
        r.p += p;
        r.d += d;
        if (p < p0) r.worseP++;
        if (d > d0) r.worseD++;
        line.push(`${p.toFixed(2)}/${d.toFixed(2)}`);
      }
      n++;
      console.log(`${photos[i]} seed ${seed + i} ${analysis.look} in ${p0.toFixed(2)}/${d0.toFixed(2)} ${line.join(' ')}`);
    }
  }
  console.log(`\n${photos.length} proxy photos x ${SEEDS.length} ageings, ${SIDE} px, learned ${estimator.entry.version}\n`);
  console.log('| points | PSNR dB | mean CIEDE2000 | worse than input (PSNR / dE) |');
  console.log('| --- | --- | --- | --- |');
  VARIANTS.forEach((v, k) => {
    const r = rows[k]!;
    console.log(`| ${v.name} | ${(r.p / n).toFixed(2)} | ${(r.d / n).toFixed(3)} | ${r.worseP} / ${r.worseD} |`);
  });
}

await main();
