/**
 * Scores the shipped detector (src/main/defects) on the synthetic evaluation
 * set written by make_eval.py: precision, recall and IoU per damage kind at a
 * sensitivity, and the share of pixels flagged on the clean photos.
 *
 *   npm run defects:eval -- [--method learned|classical] [--sensitivity 0.5] [--upscale 1]
 *     [--limit N] [--kinds scratch,crack] [--tuning '{"fine":{"high":30}}'] [--save DIR] [--json]
 *     [--grid '[{...}, {...}]']   (one summary line per tuning; images decoded once)
 *
 * Pixels are counted over the whole set per kind (micro average); ground-truth
 * pixels marked "ignore" (128: damage no one can see) count for nothing. The
 * "±1 px" columns forgive a 1-pixel misplacement of a stroke's edge.
 * --upscale N enlarges photo and truth N times (a higher-resolution scan of the
 * same damage), which exercises the working-resolution path.
 * Scores on real damage (labelled film, clean validation photos) with a tolerance
 * fit for hand-drawn masks: `npm run defects:score` (score.ts).
 */
import { readFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import sharp from 'sharp';
import { detectDefects, type DetectMethod, type Tuning } from '../../src/main/defects/detect';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
const { values } = parseArgs({
  options: {
    dir: { type: 'string', default: path.join(root, 'training/.data/defects-eval') },
    sensitivity: { type: 'string', default: '0.5' },
    upscale: { type: 'string', default: '1' },
    limit: { type: 'string', default: '0' },
    kinds: { type: 'string', default: '' },
    tuning: { type: 'string', default: '' },
    grid: { type: 'string', default: '' },
    save: { type: 'string', default: '' },
    json: { type: 'boolean', default: false },
    method: { type: 'string', default: 'learned' },
  },
});

interface Item {
  name: string;
  kind: string;
  source: string;
}
interface Counts {
  tp: number;
  fp: number;
  fn: number;
  predNear: number;
  pred: number;
  gtNear: number;
  gt: number;
  images: number;
  ms: number;
}

const sensitivity = Number(values.sensitivity);
const method = values.method as DetectMethod;
const upscale = Number(values.upscale);
const tuning = values.tuning ? (JSON.parse(values.tuning) as Partial<Tuning>) : undefined;
const wanted = values.kinds ? new Set(values.kinds.split(',')) : null;
const manifest = JSON.parse(await readFile(path.join(values.dir, 'manifest.json'), 'utf8')) as { items: Item[] };
let items = manifest.items.filter((it) => !wanted || wanted.has(it.kind));
const limit = Number(values.limit);
if (limit > 0) {
  const keep = new Set([...new Set(items.map((it) => it.source))].slice(0, limit));
  items = items.filter((it) => keep.has(it.source));
}
if (values.save) await mkdir(values.save, { recursive: true });

let counts = new Map<string, Counts>();
let clean: number[] = [];
let cleanMs = 0;
const cache = new Map<string, Awaited<ReturnType<typeof load>>>();
const cached = async (file: string, truth: boolean) => {
  let v = cache.get(file);
  if (!v) cache.set(file, (v = await load(file, truth)));
  return v;
};
if (values.grid) {
  for (const t of JSON.parse(values.grid) as Partial<Tuning>[]) {
    counts = new Map();
    clean = [];
    cleanMs = 0;
    await run(t);
    const iou = [...counts].map(([k, c]) => `${k} ${(c.tp / Math.max(1, c.tp + c.fp + c.fn)).toFixed(3)} (P ${(c.tp / Math.max(1, c.tp + c.fp)).toFixed(2)} R ${(c.tp / Math.max(1, c.tp + c.fn)).toFixed(2)})`);
    const mean = clean.reduce((a, b) => a + b, 0) / Math.max(1, clean.length);
    console.log(`${JSON.stringify(t)}\n   ${iou.join(' | ')} | clean ${pct(mean)}% max ${pct(Math.max(0, ...clean))}% >1%: ${clean.filter((v) => v > 0.01).length}`);
  }
} else {
  await run(tuning);
  report();
}

async function run(tuning: Partial<Tuning> | undefined): Promise<void> {
for (const item of items) {
  const image = await cached(path.join(values.dir, `${item.name}.png`), false);
  const result = await detectDefects(
    { width: image.width, height: image.height, channels: 3, colourChannels: 3, bitDepth: 8, data: image.data },
    { sensitivity, tuning, method },
  );
  if (values.save) {
    await sharp(result.data, { raw: { width: result.width, height: result.height, channels: 1 } })
      .png()
      .toFile(path.join(values.save, `${item.name}_pred.png`));
  }
  if (item.kind === 'clean') {
    clean.push(result.stats.flaggedPixels / (result.width * result.height));
    cleanMs += result.stats.ms;
    continue;
  }
  const gt = await cached(path.join(values.dir, `${item.name}_gt.png`), true);
  const c = counts.get(item.kind) ?? { tp: 0, fp: 0, fn: 0, predNear: 0, pred: 0, gtNear: 0, gt: 0, images: 0, ms: 0 };
  score(result.data, gt.data, gt.width, gt.height, c);
  c.images++;
  c.ms += result.stats.ms;
  counts.set(item.kind, c);
}
}

async function load(file: string, truth: boolean): Promise<{ width: number; height: number; data: Uint8Array }> {
  let s = sharp(await readFile(file));
  s = truth ? s.toColourspace('b-w').extractChannel(0) : s.removeAlpha().toColourspace('srgb');
  if (upscale > 1) {
    const meta = await sharp(file).metadata();
    s = s.resize(meta.width * upscale, meta.height * upscale, { kernel: truth ? 'nearest' : 'lanczos3' });
  }
  const { data, info } = await s.raw().toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height, data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength) };
}

/** pred: 255/0; gt: 255 damage, 128 ignore, 0 clean. */
function score(pred: Uint8Array, gt: Uint8Array, w: number, h: number, c: Counts): void {
  const near = (img: Uint8Array, x: number, y: number, test: (v: number) => boolean): boolean => {
    for (let dy = -1; dy <= 1; dy++) {
      for (let dx = -1; dx <= 1; dx++) {
        const xx = x + dx;
        const yy = y + dy;
        if (xx >= 0 && yy >= 0 && xx < w && yy < h && test(img[yy * w + xx]!)) return true;
      }
    }
    return false;
  };
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = y * w + x;
      const p = pred[i]! > 127;
      const g = gt[i]!;
      if (g === 128 || (g > 64 && g < 192)) {
        continue;
      }
      const t = g >= 192;
      if (p && t) c.tp++;
      else if (p) c.fp++;
      else if (t) c.fn++;
      if (p) {
        c.pred++;
        if (near(gt, x, y, (v) => v > 64)) c.predNear++;
      }
      if (t) {
        c.gt++;
        if (near(pred, x, y, (v) => v > 127)) c.gtNear++;
      }
    }
  }
}

function report(): void {
  const rows: Record<string, unknown>[] = [];
  const all: Counts = { tp: 0, fp: 0, fn: 0, predNear: 0, pred: 0, gtNear: 0, gt: 0, images: 0, ms: 0 };
  for (const [kind, c] of counts) {
    rows.push(row(kind, c));
    for (const k of Object.keys(all) as (keyof Counts)[]) all[k] += c[k];
  }
  if (counts.size > 1) rows.push(row('all damaged', all));
  const sorted = [...clean].sort((a, b) => a - b);
  const cleanRow = {
    images: clean.length,
    meanPct: pct(clean.reduce((a, b) => a + b, 0) / Math.max(1, clean.length)),
    medianPct: pct(sorted[Math.floor(sorted.length / 2)] ?? 0),
    maxPct: pct(sorted.at(-1) ?? 0),
    over1pct: clean.filter((v) => v > 0.01).length,
    msPerImage: Math.round(cleanMs / Math.max(1, clean.length)),
  };
  if (values.json) {
    console.log(JSON.stringify({ method, sensitivity, upscale, kinds: rows, clean: cleanRow }));
    return;
  }
  console.log(`method ${method}, sensitivity ${sensitivity}, upscale ${upscale}x`);
  console.log('kind          images  precision  recall   IoU    P(±1px) R(±1px)  ms/img');
  for (const r of rows) {
    console.log(
      `${String(r['kind']).padEnd(13)} ${String(r['images']).padStart(6)}  ${fmt(r['precision'])}     ${fmt(r['recall'])}   ${fmt(r['iou'])}  ${fmt(r['pNear'])}   ${fmt(r['rNear'])}   ${String(r['msPerImage']).padStart(5)}`,
    );
  }
  if (clean.length) {
    console.log(
      `clean photos: ${cleanRow.images} images, flagged mean ${cleanRow.meanPct}%, median ${cleanRow.medianPct}%, max ${cleanRow.maxPct}%, ${cleanRow.over1pct} over 1 %, ${cleanRow.msPerImage} ms/img`,
    );
  }
}

function row(kind: string, c: Counts): Record<string, unknown> {
  return {
    kind,
    images: c.images,
    precision: c.tp / Math.max(1, c.tp + c.fp),
    recall: c.tp / Math.max(1, c.tp + c.fn),
    iou: c.tp / Math.max(1, c.tp + c.fp + c.fn),
    pNear: c.predNear / Math.max(1, c.pred),
    rNear: c.gtNear / Math.max(1, c.gt),
    msPerImage: Math.round(c.ms / Math.max(1, c.images)),
  };
}

function fmt(v: unknown): string {
  return (v as number).toFixed(3);
}
function pct(v: number): string {
  return (100 * v).toFixed(2);
}
