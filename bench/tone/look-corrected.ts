/**
 * Reading the look a second time, through the learned estimator's points,
 * scored on training photos and the real scans, never on the benchmark's
 * photos: `node training/run-ts.mjs bench/tone/look-corrected.ts [-- --set A|B --limit N]`.
 * An experiment, not the engine's rule (docs/TONE.md, Not done yet, has the result).
 *
 * A one-hue scene under a yellow cast and a sepia print both read as toned
 * (look.ts). Corrected by the estimator's per-channel points
 * (x_c -> (x_c - b_c) / (w_c - b_c), clipped), a sepia print stays one curve
 * of colours, while a colour scene gets its objects' colours back:
 * correctedSpread below measures that, for
 * - the real scans in ../shared/data/damaged (their look must stay);
 * - sepia prints made from training photos (the benchmark's look set's
 *   multiplied tint, and a tint by per-channel powers whose chroma stays high
 *   in the shadows, as on the real sepia scans), aged by the benchmark's family
 *   without a cast, with seeds of their own;
 * - training photos aged by the benchmark's family (its casts), twice, seeds of their own.
 * Set A: every 10th photo of the training split (calibration: CORRECTED_SPREAD
 * was chosen there); set B: the photos half way between them, other seeds (the
 * check). Every cast photo is scored through Auto in-process at 512 px
 * (analyse, resolve, render, as refine.ts) with the look read as today, and
 * those read as toned also taken for colour photos (neutralised), so the
 * table prints Auto's scores for each threshold.
 */
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { defaultModelsDir } from '../../src/main/inference/models-dir';
import { analyseTone, type ToneAnalysis } from '../../src/main/tone/analyse';
import { renderTone } from '../../src/main/tone/apply';
import { resolveTone } from '../../src/main/tone/auto';
import { loadToneEstimator } from '../../src/main/tone/estimator';
import type { TonePoints } from '../../src/main/tone/estimator';
import { readLook, type LookReading } from '../../src/main/tone/look';
import { isCleanValidation } from '../../training/defects/real-split';
import { age, drawAgeing } from './ageing';
import { lab, meanDeltaE2000, psnr } from './score';

const DATA = path.resolve('../shared/data/train');
const REAL = path.resolve('../shared/data/damaged/bopb_old_photos');
const args = process.argv.slice(2);
const opt = (name: string, dflt: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1]! : dflt;
};
const SET = opt('set', 'A');
const LIMIT = Number(opt('limit', '1e9'));
const SIDE = 512;
const SETS = { A: { offset: 0, seeds: [7000, 8000], toned: 9000 }, B: { offset: 5, seeds: [7500, 8500], toned: 9500 } } as const;
const TINTS = {
  'sepia-mul': (y: number) => [1.08 * y, 0.96 * y, 0.78 * y],
  'sepia-pow': (y: number) => [y ** 0.9, y, y ** 1.25],
} as const;

interface Img {
  readonly data: Uint8Array;
  readonly width: number;
  readonly height: number;
}

/** The chroma copy analyse.ts reads the look on: the 512-px statistics copy, then 128 px (linear, aspect kept). */
async function chromaCopy(img: Img): Promise<Img> {
  let cur = img;
  for (const side of [512, 128]) {
    if (Math.max(cur.width, cur.height) <= side) continue;
    const width = cur.width >= cur.height ? side : Math.max(1, Math.round((side * cur.width) / cur.height));
    const height = cur.width >= cur.height ? Math.max(1, Math.round((side * cur.height) / cur.width)) : side;
    const data = await sharp(cur.data, { raw: { width: cur.width, height: cur.height, channels: 3 } }).resize({ width, height, fit: 'fill', kernel: 'linear' }).raw().toBuffer();
    cur = { width, height, data: new Uint8Array(data) };
  }
  return cur;
}

/**
 * Over this correctedSpread a photo read as toned would be read as colour:
 * above every sepia print of set A (real 8.74, made 8.82), below the cast
 * scenes it should catch.
 */
const CORRECTED_SPREAD = 10;

/**
 * The copy through the learned points (clipped to 0..1), and the spread of
 * its opponent chroma (look.ts's a = R - G, b = (R + G) / 2 - B, 8-bit units)
 * off its principal line, through the chroma's mean along its larger axis:
 * the 98th percentile. Not off a line through grey as look.ts's spread: the
 * points move a neutralised print's colours off grey, and near grey a line
 * through grey has no direction (sepia prints then spread up to 19 units).
 */
function correctedSpread(rgb: Uint8Array, points: TonePoints): number {
  const gain = [0, 1, 2].map((c) => 1 / Math.max(1e-3, points.white[c]! - points.black[c]!));
  const n = rgb.length / 3;
  const a = new Float32Array(n);
  const b = new Float32Array(n);
  let ma = 0;
  let mb = 0;
  const v = [0, 0, 0];
  for (let i = 0, j = 0; j < n; i += 3, j++) {
    for (let c = 0; c < 3; c++) v[c] = 255 * Math.min(1, Math.max(0, (rgb[i + c]! / 255 - points.black[c]!) * gain[c]!));
    a[j] = v[0]! - v[1]!;
    b[j] = (v[0]! + v[1]!) / 2 - v[2]!;
    ma += a[j]! / n;
    mb += b[j]! / n;
  }
  let saa = 0;
  let sab = 0;
  let sbb = 0;
  for (let j = 0; j < n; j++) {
    saa += (a[j]! - ma) ** 2;
    sab += (a[j]! - ma) * (b[j]! - mb);
    sbb += (b[j]! - mb) ** 2;
  }
  // The covariance's principal axis is at theta; distances are taken along its normal.
  const theta = 0.5 * Math.atan2(2 * sab, saa - sbb);
  const off = new Float32Array(n);
  for (let j = 0; j < n; j++) off[j] = Math.abs(-(a[j]! - ma) * Math.sin(theta) + (b[j]! - mb) * Math.cos(theta));
  off.sort();
  return off[Math.floor(0.98 * (n - 1))]!;
}

async function readRgb(file: string, side?: number): Promise<Img> {
  let s = sharp(file).removeAlpha().toColourspace('srgb');
  if (side) s = s.resize(side, side, { fit: 'inside', withoutEnlargement: true });
  const { data, info } = await s.raw().toBuffer({ resolveWithObject: true });
  return { data: new Uint8Array(data), width: info.width, height: info.height };
}

type Score = readonly [number, number];

interface Row {
  readonly group: string;
  readonly name: string;
  readonly first: LookReading;
  /** For a photo read as toned: correctedSpread. */
  readonly corrected?: number;
  /** PSNR / CIEDE2000 of the input, of Auto with the look read without the points, and (first read as toned) of Auto taking it for a colour photo. */
  readonly scores?: { readonly input: Score; readonly before: Score; readonly neutralised?: Score };
}

async function outcome(img: Img, a: ToneAnalysis, ref: Float32Array, clean: Uint8Array): Promise<[number, number]> {
  const px = { width: img.width, height: img.height, channels: 3 as const, data: img.data };
  const out = new Uint8Array(await renderTone(px, resolveTone({}, a), a));
  return [psnr(out, clean), meanDeltaE2000(ref, await lab(out, img.width, img.height))];
}

async function main(): Promise<void> {
  const estimator = await loadToneEstimator(defaultModelsDir());
  if (!estimator) throw new Error('models/tone is missing');
  const set = SETS[SET as keyof typeof SETS];
  const rows: Row[] = [];
  const read = async (group: string, name: string, img: Img, clean?: Uint8Array) => {
    const a = await analyseTone({ width: img.width, height: img.height, channels: 3, data: img.data }, estimator);
    const copy = (await chromaCopy(img)).data;
    const first = readLook(copy, 255);
    if (first.look !== a.look) throw new Error(`${name}: the script's chroma copy reads ${first.look}, analyse ${a.look}`);
    const corrected = first.look === 'sepia' ? correctedSpread(copy, a.learned!) : undefined;
    let scores: Row['scores'];
    if (clean) {
      const ref = await lab(clean, img.width, img.height);
      const input: [number, number] = [psnr(img.data, clean), meanDeltaE2000(ref, await lab(img.data, img.width, img.height))];
      const before = await outcome(img, { ...a, look: first.look }, ref, clean);
      scores = { input, before, ...(first.look === 'sepia' ? { neutralised: await outcome(img, { ...a, look: 'colour' }, ref, clean) } : {}) };
    }
    const row: Row = { group, name, first, ...(corrected !== undefined ? { corrected } : {}), ...(scores ? { scores } : {}) };
    rows.push(row);
    console.log(JSON.stringify(row));
  };

  if (SET === 'A') {
    for (const d of (await readdir(REAL)).sort()) for (const f of (await readdir(path.join(REAL, d))).sort()) await read('real', `${d}/${f}`, await readRgb(path.join(REAL, d, f)));
  }
  const train: string[] = [];
  for (const d of (await readdir(DATA)).sort()) for (const f of (await readdir(path.join(DATA, d))).sort()) if (/\.(jpe?g|png)$/i.test(f) && !isCleanValidation(`${d}/${f}`)) train.push(`${d}/${f}`);
  const photos = train.filter((_, i) => i % 10 === set.offset).slice(0, LIMIT);
  for (let i = 0; i < photos.length; i++) {
    const clean = await readRgb(path.join(DATA, photos[i]!), SIDE);
    for (const seed of set.seeds) {
      const aged = await age(clean.data, clean.width, clean.height, drawAgeing(seed + i), seed + i);
      await read('cast', `${photos[i]} seed ${seed + i}`, { ...clean, data: aged }, clean.data);
    }
    for (const [tint, f] of Object.entries(TINTS)) {
      const toned = new Uint8Array(clean.data.length);
      for (let k = 0; k < toned.length; k += 3) {
        const y = (0.299 * clean.data[k]! + 0.587 * clean.data[k + 1]! + 0.114 * clean.data[k + 2]!) / 255;
        f(y).forEach((v, c) => (toned[k + c] = Math.min(255, Math.round(255 * v))));
      }
      const seed = set.toned + i;
      await read(tint, `${photos[i]} seed ${seed}`, { ...clean, data: await age(toned, clean.width, clean.height, { ...drawAgeing(seed), castAmount: 0 }, seed) });
    }
  }
  summarise(rows);
}

const q = (xs: number[], p: number) => {
  const s = [...xs].sort((x, y) => x - y);
  return s.length ? s[Math.min(s.length - 1, Math.floor(p * (s.length - 1)))]! : NaN;
};

function summarise(rows: Row[]): void {
  const fmt = (xs: number[]) => (xs.length ? `${q(xs, 0).toFixed(2)} / ${q(xs, 0.5).toFixed(2)} / ${q(xs, 0.9).toFixed(2)} / ${q(xs, 1).toFixed(2)}` : '-');
  console.log(`\nset ${SET}: correctedSpread of the photos read as toned\n`);
  console.log(`| group | photos | read toned | spread (min / median / 90 % / max) | correctedSpread (min / median / 90 % / max) | over ${CORRECTED_SPREAD} |`);
  console.log('| --- | --- | --- | --- | --- | --- |');
  for (const g of [...new Set(rows.map((r) => r.group))]) {
    const all = rows.filter((r) => r.group === g);
    const toned = all.filter((r) => r.corrected !== undefined);
    console.log(`| ${g} | ${all.length} | ${toned.length} | ${fmt(toned.map((r) => r.first.spread))} | ${fmt(toned.map((r) => r.corrected!))} | ${toned.filter((r) => r.corrected! > CORRECTED_SPREAD).length} |`);
  }
  for (const r of rows) if (r.group === 'real' && r.corrected !== undefined) console.log(`${r.name}: spread ${r.first.spread.toFixed(2)}, corrected ${r.corrected.toFixed(2)}`);
  const scored = rows.filter((r) => r.scores);
  console.log(`\nthe ${scored.length} cast photos, Auto in-process at ${SIDE} px, by the threshold on correctedSpread (Infinity: the look as read today)\n`);
  console.log('| threshold | cast photos neutralised | sepia prints neutralised | real toned scans neutralised | PSNR dB | mean CIEDE2000 | worse than input (PSNR / dE) |');
  console.log('| --- | --- | --- | --- | --- | --- | --- |');
  for (const t of [Infinity, 16, 14, 12, 11, 10, 9.5, 9, 8, 7]) {
    let d = 0;
    let p = 0;
    let wp = 0;
    let wd = 0;
    let flipped = 0;
    for (const r of scored) {
      const flip = r.corrected !== undefined && r.corrected > t;
      flipped += flip ? 1 : 0;
      const [op, od] = flip ? r.scores!.neutralised! : r.scores!.before;
      d += od / scored.length;
      p += op / scored.length;
      if (op < r.scores!.input[0]) wp++;
      if (od > r.scores!.input[1]) wd++;
    }
    const prints = rows.filter((r) => r.group.startsWith('sepia') && r.corrected !== undefined && r.corrected > t).length;
    const real = rows.filter((r) => r.group === 'real' && r.corrected !== undefined && r.corrected > t).map((r) => r.name);
    console.log(`| ${t} | ${flipped} / ${scored.filter((r) => r.corrected !== undefined).length} | ${prints} | ${real.length ? real.join(', ') : 0} | ${p.toFixed(3)} | ${d.toFixed(3)} | ${wp} / ${wd} |`);
  }
  for (const r of scored) if (r.corrected !== undefined) console.log(`${r.name}: corrected ${r.corrected.toFixed(2)}, CIEDE2000 input ${r.scores!.input[1].toFixed(2)}, kept ${r.scores!.before[1].toFixed(2)}, neutralised ${r.scores!.neutralised![1].toFixed(2)}${r.corrected > CORRECTED_SPREAD ? ' (over the threshold)' : ''}`);
}

await main();
