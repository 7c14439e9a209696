/**
 * The detector's scores through the product path: every photo is decoded and
 * detected by detectDefectsInFile, as `patina detect` and the defects worker
 * run it, and scored against its mask with tolerant precision, recall and F1
 * (training/defects/tolerant.ts: 3 px per 1000 px of the long side), pixels
 * pooled over each set. Sets:
 *
 *   synthetic    training/.data/defects-eval (make_eval.py), per damage kind
 *   film-frames  ../shared/data/damage-labelled/film-frames, the chosen split
 *   film-scans   ../shared/data/damage-labelled/film-scans, the chosen split
 *   prints       ../shared/data/damaged, masks drawn here (training/defects/labels/):
 *                damaged prints scored like film, and per damage kind (the tool of the
 *                label's marks: kind-scores.ts); undamaged ones as the share flagged
 *   clean        the validation photos of ../shared/data/train: share flagged
 *
 *   npm run defects:score -- [--method learned|classical] [--sensitivity 0.5[,0.6...]]
 *     [--models DIR] [--split validation|calibration|train|all] [--sets synthetic,film-frames,film-scans,prints,clean]
 *     [--medium by-set|print|film] [--grow-logits N] [--corner-confirm P] [--soften SIGMA] [--sheet DIR] [--sheet-height 240] [--json]
 *
 * --models: a models folder holding defects/ (a candidate; default the app's).
 * --medium: what each photo is said to be (the user's choice, DetectOptions.medium). by-set
 *   (default): the film sets as film (line scratches searched for), every other set as print;
 *   print or film: every set so (what the wrong choice costs).
 * --grow-logits: the learned detector's hysteresis, Tuning.growLogits (default the app's, params.ts).
 * --corner-confirm: the network's least mean probability over a torn corner it confirms, CornerParams.minNetMean.
 * --soften: detect every photo as a soft scan of it: a copy blurred by this Gaussian sigma, px
 *   (sharp), saved as PNG and detected from that file; truths unchanged. A robustness check: a
 *   slightly unfocused scan or a small web copy of the same damage.
 * --sheet: contact sheets of the real sets there (truth green, detection red).
 */
import { rmSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import sharp from 'sharp';
import { detectDefectsInFile } from '../../src/main/defects/mask-file';
import type { DetectMethod } from '../../src/main/defects/detect';
import type { DetectMedium } from '../../src/shared/ipc/choices';
import { decodePhoto } from '../../src/main/imaging/decode';
import { cleanValidationPhotos, FILM_SETS, labelledPairs, printPairs, type LabelledPair, type PrintPair } from './real-split';
import { countsByKind } from './kind-scores';
import { DAMAGE_KINDS, renderLabel } from './labels/render';
import { GREEN, RED, tile, toRgb8, writeSheet, type Tile } from './sheet-tiles';
import { addCounts, emptyCounts, scores, tolerancePx, tolerantCounts, type TolerantCounts } from './tolerant';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
const { values } = parseArgs({
  options: {
    method: { type: 'string', default: 'learned' },
    sensitivity: { type: 'string', default: '0.5' },
    models: { type: 'string', default: '' },
    split: { type: 'string', default: 'validation' },
    sets: { type: 'string', default: 'synthetic,film-frames,film-scans,prints,clean' },
    synthetic: { type: 'string', default: path.join(root, 'training/.data/defects-eval') },
    labelled: { type: 'string', default: path.resolve(root, '../shared/data/damage-labelled') },
    clean: { type: 'string', default: path.resolve(root, '../shared/data/train') },
    damaged: { type: 'string', default: path.resolve(root, '../shared/data/damaged') },
    sheet: { type: 'string', default: '' },
    'sheet-height': { type: 'string', default: '240' },
    json: { type: 'boolean', default: false },
    medium: { type: 'string', default: 'by-set' },
    'grow-logits': { type: 'string', default: '' },
    'corner-confirm': { type: 'string', default: '' },
    soften: { type: 'string', default: '' },
  },
});

interface Row {
  set: string;
  images: number;
  tolerancePx: string;
  counts: TolerantCounts;
  ms: number;
}
interface CleanRow {
  images: number;
  meanPct: number;
  maxPct: number;
  over2pct: number;
  /** The photos flagged most (at most 5, largest share first), so a rise can be looked at. */
  worst: { photo: string; pct: number }[];
  ms: number;
}
interface Sample {
  set: string;
  image: string;
  truth: Uint8Array;
  ignore?: Uint8Array;
  /** Per pixel 1 + index in DAMAGE_KINDS (labels/render.ts), for rows per kind under the set's. */
  kinds?: Uint8Array;
}

const method = values.method as DetectMethod;
if (!['by-set', 'print', 'film'].includes(values.medium)) throw new Error(`--medium must be by-set, print or film; got "${values.medium}"`);
/** The medium a set is detected as. */
const mediumOf = (set: string): DetectMedium => (values.medium === 'by-set' ? (set.startsWith('film') ? 'film' : 'print') : (values.medium as DetectMedium));
const modelsDir = values.models ? path.resolve(values.models) : undefined;
const tuning =
  values['grow-logits'] || values['corner-confirm']
    ? {
        ...(values['grow-logits'] ? { growLogits: Number(values['grow-logits']) } : {}),
        ...(values['corner-confirm'] ? { corners: { minNetMean: Number(values['corner-confirm']) } } : {}),
      }
    : undefined;
const soften = values.soften ? Number(values.soften) : 0;
// sharp's blur takes sigmas from 0.3 px.
if (!(soften === 0 || (soften >= 0.3 && soften <= 10))) throw new Error(`--soften must be a blur sigma from 0.3 to 10 px; got "${values.soften}"`);
const softDir = soften ? await mkdtemp(path.join(os.tmpdir(), 'patina-soft-')) : '';
process.on('exit', () => softDir && rmSync(softDir, { recursive: true, force: true }));
let softCount = 0;

/** The photo detected: the file itself, or (--soften) a blurred copy of it. */
async function detectFile(file: string, options: Parameters<typeof detectDefectsInFile>[1]) {
  if (!soften) return detectDefectsInFile(file, options);
  const copy = path.join(softDir, `${softCount++}.png`);
  await sharp(file).blur(soften).png().toFile(copy);
  const mask = await detectDefectsInFile(copy, options);
  await rm(copy, { force: true });
  return mask;
}
const sets = new Set(values.sets.split(','));
const SHEET_ROW = Number(values['sheet-height']);

for (const sensitivity of values.sensitivity.split(',').map(Number)) {
  const rows: Row[] = [];
  if (sets.has('synthetic')) rows.push(...(await scoreSamples(await syntheticSamples(), sensitivity, null)));
  for (const set of FILM_SETS) {
    if (!sets.has(set)) continue;
    const pairs = (await labelledPairs(values.labelled, set)).filter((p) => values.split === 'all' || p.split === values.split);
    const sheet: Tile[][] | null = values.sheet ? [] : null;
    rows.push(...(await scoreSamples(await Promise.all(pairs.map(filmSample)), sensitivity, sheet)));
    if (sheet) await saveSheet(sheet, `defects-${set}-${values.split}-${method}${modelsDir ? '-candidate' : ''}.jpg`);
  }
  let cleanPrints: CleanRow | null = null;
  if (sets.has('prints')) {
    const prints = (await printPairs(values.damaged)).filter((p) => values.split === 'all' || p.split === values.split);
    const sheet: Tile[][] | null = values.sheet ? [] : null;
    rows.push(...(await scoreSamples(await Promise.all(prints.filter((p) => p.damaged).map(printSample)), sensitivity, sheet)));
    cleanPrints = await scoreFlagged(prints.filter((p) => !p.damaged).map((p) => p.image), sensitivity, sheet);
    if (sheet) await saveSheet(sheet, `defects-prints-${values.split}-${method}${modelsDir ? '-candidate' : ''}.jpg`);
  }
  const clean = sets.has('clean') ? await scoreFlagged(await cleanValidationPhotos(values.clean), sensitivity, null) : null;
  report(sensitivity, rows, clean, cleanPrints);
}

async function syntheticSamples(): Promise<Sample[]> {
  const manifest = JSON.parse(await readFile(path.join(values.synthetic, 'manifest.json'), 'utf8')) as { items: { name: string; kind: string }[] };
  const out: Sample[] = [];
  for (const item of manifest.items) {
    if (item.kind === 'clean') continue;
    // make_eval's truth: 255 damage, 128 invisible damage (counts for nothing), 0 clean.
    const gt = await readGrey(path.join(values.synthetic, `${item.name}_gt.png`));
    out.push({
      set: `synthetic ${item.kind}`,
      image: path.join(values.synthetic, `${item.name}.png`),
      truth: gt.map((v) => (v >= 192 ? 1 : 0)),
      ignore: gt.map((v) => (v > 64 && v < 192 ? 1 : 0)),
    });
  }
  return out;
}

async function filmSample(p: LabelledPair): Promise<Sample> {
  return { set: `${p.set} (${p.split})`, image: p.image, truth: (await readGrey(p.mask)).map((v) => (v > 127 ? 1 : 0)) };
}

/** A damaged print: its committed mask is the truth; its marks' kinds (re-rendered) split the scores by kind. */
async function printSample(p: PrintPair): Promise<Sample> {
  return {
    set: `prints (${p.split})`,
    image: p.image,
    truth: (await readGrey(p.mask)).map((v) => (v > 127 ? 1 : 0)),
    kinds: (await renderLabel(p.label)).kinds,
  };
}

async function readGrey(file: string): Promise<Uint8Array> {
  const { data } = await sharp(file).toColourspace('b-w').extractChannel(0).raw().toBuffer({ resolveWithObject: true });
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

/** One row per set name (the synthetic kinds each their own, then all of them), then one per labelled kind. */
async function scoreSamples(samples: Sample[], sensitivity: number, sheet: Tile[][] | null): Promise<Row[]> {
  const bySet = new Map<string, Row>();
  const byKind = new Map<string, Row>();
  const tolerances = new Map<string, Set<number>>();
  for (const s of samples) {
    const mask = await detectFile(s.image, { method, sensitivity, modelsDir, medium: mediumOf(s.set), ...(tuning ? { tuning } : {}) });
    const tol = tolerancePx(mask.width, mask.height);
    const row = bySet.get(s.set) ?? { set: s.set, images: 0, tolerancePx: '', counts: emptyCounts(), ms: 0 };
    addCounts(row.counts, tolerantCounts(mask.data, s.truth, mask.width, mask.height, tol, s.ignore));
    row.images++;
    row.ms += mask.stats.ms;
    bySet.set(s.set, row);
    tolerances.set(s.set, (tolerances.get(s.set) ?? new Set()).add(tol));
    if (s.kinds) {
      for (const [k, counts] of countsByKind(mask.data, s.truth, s.kinds, mask.width, mask.height, tol, DAMAGE_KINDS.length)) {
        const set = `${s.set}: ${DAMAGE_KINDS[k - 1]}`;
        const kindRow = byKind.get(set) ?? { set, images: 0, tolerancePx: '', counts: emptyCounts(), ms: 0 };
        addCounts(kindRow.counts, counts);
        kindRow.images++;
        kindRow.ms += mask.stats.ms;
        byKind.set(set, kindRow);
        tolerances.set(set, (tolerances.get(set) ?? new Set()).add(tol));
      }
    }
    if (sheet) sheet.push(await sheetRow(s.image, s.truth, mask.data));
  }
  for (const [set, t] of tolerances) (bySet.get(set) ?? byKind.get(set))!.tolerancePx = [...t].sort((a, b) => a - b).join('-');
  const rows = [...bySet.values()];
  if (rows.length > 1 && rows[0]!.set.startsWith('synthetic')) {
    const all: Row = { set: 'synthetic all', images: 0, tolerancePx: rows[0]!.tolerancePx, counts: emptyCounts(), ms: 0 };
    for (const r of rows) {
      addCounts(all.counts, r.counts);
      all.images += r.images;
      all.ms += r.ms;
    }
    rows.push(all);
  }
  return [...rows, ...[...byKind.values()].sort((a, b) => (a.set < b.set ? -1 : a.set > b.set ? 1 : 0))];
}

/** Share of pixels flagged on photos with no damage (clean training photos, undamaged prints). */
async function scoreFlagged(files: string[], sensitivity: number, sheet: Tile[][] | null): Promise<CleanRow> {
  const medium = mediumOf('clean');
  const shares: number[] = [];
  const byPhoto: { photo: string; pct: number }[] = [];
  let ms = 0;
  for (const file of files) {
    const mask = await detectFile(file, { method, sensitivity, modelsDir, medium, ...(tuning ? { tuning } : {}) });
    shares.push(mask.stats.flaggedPixels / (mask.width * mask.height));
    byPhoto.push({ photo: path.relative(path.resolve(root, '../shared/data'), file), pct: 100 * shares[shares.length - 1]! });
    ms += mask.stats.ms;
    if (sheet) sheet.push(await sheetRow(file, null, mask.data));
  }
  const n = Math.max(1, shares.length);
  return {
    images: shares.length,
    meanPct: (100 * shares.reduce((a, b) => a + b, 0)) / n,
    maxPct: 100 * Math.max(0, ...shares),
    over2pct: shares.filter((v) => v > 0.02).length,
    worst: byPhoto.sort((a, b) => b.pct - a.pct).slice(0, 5),
    ms: ms / n,
  };
}

/** Contact sheet row: the photo, its truth in green (none for an undamaged photo), the detection in red. */
async function sheetRow(image: string, truth: Uint8Array | null, detected: Uint8Array): Promise<Tile[]> {
  const photo = await decodePhoto(image);
  const rgb = toRgb8(photo);
  const { width, height } = photo;
  return [
    await tile(rgb, width, height, SHEET_ROW),
    await tile(rgb, width, height, SHEET_ROW, [{ mask: truth ?? new Uint8Array(width * height), colour: GREEN }]),
    await tile(rgb, width, height, SHEET_ROW, [{ mask: detected, colour: RED }]),
  ];
}

async function saveSheet(rows: Tile[][], name: string): Promise<void> {
  await mkdir(values.sheet, { recursive: true });
  const out = path.join(values.sheet, name);
  await writeSheet(rows, SHEET_ROW, out);
  console.log(`wrote ${out} (columns: photo | truth | detected)`);
}

function report(sensitivity: number, rows: Row[], clean: CleanRow | null, cleanPrints: CleanRow | null): void {
  const scored = rows.map((r) => ({ ...r, ...scores(r.counts), msPerImage: Math.round(r.ms / Math.max(1, r.images)) }));
  if (values.json) {
    console.log(JSON.stringify({ method, models: modelsDir ?? 'app', medium: values.medium, ...(tuning ?? {}), ...(soften ? { soften } : {}), sensitivity, split: values.split, sets: scored, clean, cleanPrints }));
    return;
  }
  console.log(`method ${method}${modelsDir ? ` (models ${modelsDir})` : ''}${tuning?.growLogits !== undefined ? `, hysteresis ${tuning.growLogits} logits` : ''}${tuning?.corners ? `, corners confirmed at mean ${tuning.corners.minNetMean}` : ''}${soften ? `, photos softened (blur sigma ${soften} px)` : ''}, sensitivity ${sensitivity}, real split ${values.split}`);
  console.log(`medium: ${values.medium === 'by-set' ? 'film sets detected as film (line scratches searched for), other sets as print' : `every set detected as ${values.medium}`}`);
  console.log('set                                  images  tol px  precision  recall    F1    ms/img');
  for (const r of scored) {
    console.log(
      `${r.set.padEnd(36)} ${String(r.images).padStart(6)}  ${r.tolerancePx.padStart(6)}  ${r.precision.toFixed(3).padStart(9)}  ${r.recall.toFixed(3).padStart(6)}  ${r.f1.toFixed(3)}  ${String(r.msPerImage).padStart(6)}`,
    );
  }
  if (clean) {
    console.log(
      `clean validation photos: ${clean.images}, flagged mean ${clean.meanPct.toFixed(2)} %, max ${clean.maxPct.toFixed(2)} %, ${clean.over2pct} over 2 %, ${Math.round(clean.ms)} ms/img`,
    );
    console.log(`  most flagged: ${worstOf(clean)}`);
  }
  if (cleanPrints) {
    console.log(
      `undamaged prints: ${cleanPrints.images}, flagged mean ${cleanPrints.meanPct.toFixed(2)} %, max ${cleanPrints.maxPct.toFixed(2)} %, ${cleanPrints.over2pct} over 2 %`,
    );
    console.log(`  most flagged: ${worstOf(cleanPrints)}`);
  }
}

function worstOf(row: CleanRow): string {
  return row.worst.map((w) => `${w.photo} ${w.pct.toFixed(2)} %`).join(', ');
}
