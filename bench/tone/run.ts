/**
 * Tone benchmark, through the CLI: `npm run bench:tone [-- --limit N --side PX]`.
 *
 * Held-out photos (the validation split of ../shared/data/train, the same
 * sha1 rule training/patina_train/data.py uses) are scaled to a long side of
 * `--side` px, aged by ageing.ts (fade, black lift, a dye cast, grain, mild
 * blur; seeded) and restored by `patina run --tone auto` from a fresh build of
 * this tree (with the learned estimator in models/tone when it is there).
 * Beside it: doing nothing, sharp's normalise() (luminance stretch),
 * per-channel auto-levels (each channel's 0.5 / 99.5 % percentiles to
 * 0 / 255: the "Auto Color" a person tries first), and Auto without the
 * learned model (its classical fit, in-process: the same analyse + render the
 * engine runs). Scores against the clean photo: PSNR, mean CIEDE2000,
 * contrast as the ratio of L* spread to the original's, and the worst photo
 * against its own faded input (the least PSNR gained, the least dE removed;
 * negative is worse than doing nothing).
 *
 * `--tune` runs on every 25th training photo instead: Auto's constants were
 * chosen there, never on the held-out photos.
 *
 * A second set checks the look: the same photos made neutral B&W and sepia,
 * faded and grainy, through --tone auto; their mean chroma and hue must stay.
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import sharp from 'sharp';
import { buildEngineForTests } from '../../src/main/restore/testing/build-engine';
import { analyseTone } from '../../src/main/tone/analyse';
import { resolveTone } from '../../src/main/tone/auto';
import { renderTone } from '../../src/main/tone/apply';
import { loadToneEstimator, type ToneEstimator } from '../../src/main/tone/estimator';
import { defaultModelsDir } from '../../src/main/inference/models-dir';
import { isCleanValidation } from '../../training/defects/real-split';
import { age, drawAgeing } from './ageing';
import { lab, lightnessSpread, meanDeltaE2000, psnr } from './score';

const DATA = path.resolve('../shared/data/train');
const args = process.argv.slice(2);
const opt = (name: string, dflt: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : dflt;
};
const LIMIT = opt('limit', 1e9);
const SIDE = opt('side', 512);

interface Img {
  readonly data: Uint8Array;
  readonly width: number;
  readonly height: number;
}

async function readRgb(file: string, side?: number): Promise<Img> {
  let s = sharp(file).removeAlpha().toColourspace('srgb');
  if (side) s = s.resize(side, side, { fit: 'inside', withoutEnlargement: true });
  const { data, info } = await s.raw().toBuffer({ resolveWithObject: true });
  return { data: new Uint8Array(data), width: info.width, height: info.height };
}

const writePng = (img: Img, file: string) => sharp(img.data, { raw: { width: img.width, height: img.height, channels: 3 } }).png().toFile(file);

function autoLevels(img: Img): Img {
  const out = new Uint8Array(img.data.length);
  for (let c = 0; c < 3; c++) {
    const hist = new Uint32Array(256);
    for (let i = c; i < img.data.length; i += 3) hist[img.data[i]!]!++;
    const n = img.data.length / 3;
    const at = (q: number) => {
      let seen = 0;
      for (let v = 0; v < 256; v++) if ((seen += hist[v]!) >= q * n) return v;
      return 255;
    };
    const lo = at(0.005);
    const hi = Math.max(lo + 1, at(0.995));
    for (let i = c; i < img.data.length; i += 3) out[i] = Math.max(0, Math.min(255, Math.round(((img.data[i]! - lo) * 255) / (hi - lo))));
  }
  return { ...img, data: out };
}

async function normalise(img: Img): Promise<Img> {
  const data = await sharp(img.data, { raw: { width: img.width, height: img.height, channels: 3 } }).normalise().raw().toBuffer();
  return { ...img, data: new Uint8Array(data) };
}

/** The validation split (held out from training and from tuning Auto), or with --tune every 25th training photo. */
function benchPhotos(all: string[]): string[] {
  return args.includes('--tune') ? all.filter((rel) => !isCleanValidation(rel)).filter((_, i) => i % 25 === 0) : all.filter(isCleanValidation);
}

async function listPhotos(): Promise<string[]> {
  const out: string[] = [];
  for (const d of (await readdir(DATA)).sort()) for (const f of (await readdir(path.join(DATA, d))).sort()) if (/\.(jpe?g|png)$/i.test(f)) out.push(`${d}/${f}`);
  return out;
}

/** Mean a*, b* and chroma of an image, for the look check. */
async function meanChroma(img: Img): Promise<{ a: number; b: number; c: number }> {
  const l = await lab(img.data, img.width, img.height);
  let a = 0;
  let b = 0;
  let c = 0;
  const n = l.length / 3;
  for (let i = 0; i < l.length; i += 3) {
    a += l[i + 1]!;
    b += l[i + 2]!;
    c += Math.hypot(l[i + 1]!, l[i + 2]!);
  }
  return { a: a / n, b: b / n, c: c / n };
}

/** Auto without the learned model, in-process, as the engine runs it on a decoded 8-bit RGB photo. */
async function classicalAuto(img: Img): Promise<Img> {
  const px = { width: img.width, height: img.height, channels: 3 as const, data: img.data };
  const a = await analyseTone(px);
  const out = await renderTone(px, resolveTone({}, a), a);
  return { ...img, data: new Uint8Array(out) };
}

/** Auto tone alone (analysis, the estimator when given, render; no decode or encode) on a 12 MP RGB photo, median of 5 runs. */
async function timing12mp(file: string, estimator: ToneEstimator | null): Promise<string> {
  const { data } = await sharp(file).removeAlpha().resize(4000, 3000, { fit: 'fill' }).raw().toBuffer({ resolveWithObject: true });
  const px = { width: 4000, height: 3000, channels: 3 as const, data: new Uint8Array(data) };
  const times: number[] = [];
  for (const grain of [0, 0, 0, 0, 0, 0, 30]) {
    const t0 = performance.now();
    const a = await analyseTone(px, estimator);
    await renderTone(px, resolveTone(grain ? { grain } : {}, a), a);
    times.push(performance.now() - t0);
  }
  // The first run loads sharp's and onnxruntime's code paths; it is left out.
  const plain = times.slice(1, 6).sort((x, y) => x - y)[2]!;
  const who = estimator ? `learned estimator ${estimator.entry.version}` : 'classical fit';
  return `Auto tone (${who}) on a 12 MP RGB photo (in-process, decode and encode excluded): ${plain.toFixed(0)} ms median of 5; with grain reduction: ${times[6]!.toFixed(0)} ms`;
}

async function main(): Promise<void> {
  const photos = benchPhotos(await listPhotos()).slice(0, LIMIT);
  const work = await mkdtemp(path.join(os.tmpdir(), 'patina-tone-bench-'));
  const engine = await buildEngineForTests();
  try {
    for (const d of ['clean', 'aged', 'auto', 'mono-in', 'mono-out']) await mkdir(path.join(work, d));
    const clean: Img[] = [];
    for (let i = 0; i < photos.length; i++) {
      const img = await readRgb(path.join(DATA, photos[i]!), SIDE);
      clean.push(img);
      await writePng(img, path.join(work, 'clean', `${i}.png`));
      const aged = await age(img.data, img.width, img.height, drawAgeing(i), i);
      await writePng({ ...img, data: aged }, path.join(work, 'aged', `${i}.png`));
      // The look set: neutral B&W (even i) or sepia (odd i), faded and grainy, no cast.
      const grey = new Uint8Array(img.data.length);
      for (let k = 0; k < grey.length; k += 3) {
        const y = 0.299 * img.data[k]! + 0.587 * img.data[k + 1]! + 0.114 * img.data[k + 2]!;
        const tint = i % 2 === 0 ? [1, 1, 1] : [1.08, 0.96, 0.78];
        for (let c = 0; c < 3; c++) grey[k + c] = Math.min(255, Math.round(y * tint[c]!));
      }
      const look = drawAgeing(i + 1000);
      const monoAged = await age(grey, img.width, img.height, { ...look, castAmount: 0 }, i + 1000);
      await writePng({ ...img, data: monoAged }, path.join(work, 'mono-in', `${i % 2 === 0 ? 'bw' : 'sepia'}-${i}.png`));
    }
    const run = async (input: string, output: string) => {
      const t0 = performance.now();
      await promisify(execFile)(process.execPath, [engine.cli, 'run', '--image', path.join(work, input), '--output', path.join(work, output), '--tone', 'auto'], { maxBuffer: 64 << 20 });
      return performance.now() - t0;
    };
    const ms = await run('aged', 'auto');
    await run('mono-in', 'mono-out');

    const estimator = await loadToneEstimator(defaultModelsDir());
    const methods = ['none', 'auto-levels', 'sharp.normalise', 'Patina Auto, classical fit (no model)', `Patina Auto tone${estimator ? ` (learned ${estimator.entry.version})` : ' (no model installed)'}`] as const;
    const rows = methods.map(() => ({ psnr: 0, de: 0, contrast: 0, worsePsnr: 0, worseDe: 0, leastGain: Infinity, leastDrop: Infinity }));
    for (let i = 0; i < photos.length; i++) {
      const ref = clean[i]!;
      const refLab = await lab(ref.data, ref.width, ref.height);
      const aged = await readRgb(path.join(work, 'aged', `${i}.png`));
      const outs = [aged, autoLevels(aged), await normalise(aged), await classicalAuto(aged), await readRgb(path.join(work, 'auto', `${i}.png`))];
      let base = { p: 0, d: 0 };
      for (let m = 0; m < outs.length; m++) {
        const l = await lab(outs[m]!.data, ref.width, ref.height);
        const p = psnr(outs[m]!.data, ref.data);
        const d = meanDeltaE2000(refLab, l);
        if (m === 0) base = { p, d };
        const r = rows[m]!;
        r.psnr += p / photos.length;
        r.de += d / photos.length;
        r.contrast += lightnessSpread(l) / lightnessSpread(refLab) / photos.length;
        if (m > 0 && p < base.p) r.worsePsnr++;
        if (m > 0 && d > base.d) r.worseDe++;
        r.leastGain = Math.min(r.leastGain, p - base.p);
        r.leastDrop = Math.min(r.leastDrop, base.d - d);
      }
    }
    console.log(`\n${photos.length} held-out photos, long side ${SIDE} px; Patina through patina run --tone auto (${(ms / photos.length).toFixed(0)} ms per photo, process start included)\n`);
    console.log('| method | PSNR dB | mean CIEDE2000 | contrast (L* spread / original) | worse than input (PSNR / dE) | worst photo vs input (dB gained / dE removed) |');
    console.log('| --- | --- | --- | --- | --- | --- |');
    methods.forEach((m, k) => {
      const r = rows[k]!;
      const worst = k === 0 ? '-' : `${r.leastGain.toFixed(2)} / ${r.leastDrop.toFixed(2)}`;
      console.log(`| ${m} | ${r.psnr.toFixed(2)} | ${r.de.toFixed(2)} | ${r.contrast.toFixed(2)} | ${k === 0 ? '-' : `${r.worsePsnr} / ${r.worseDe}`} | ${worst} |`);
    });
    const levels = rows[1]!;
    const patina = rows.at(-1)!;
    console.log(`\nPatina Auto against auto-levels: ${(patina.psnr - levels.psnr).toFixed(2)} dB PSNR, ${((100 * (patina.de - levels.de)) / levels.de).toFixed(1)} % mean CIEDE2000`);

    console.log(`\n${await timing12mp(path.join(DATA, photos[0]!), estimator)}`);
    if (estimator) console.log(await timing12mp(path.join(DATA, photos[0]!), null));
    console.log('\nLook check (B&W and sepia prints, faded and grainy, through --tone auto):\n');
    console.log('| print | photos | mean chroma in | mean chroma out | worst hue shift (deg) | worst B&W chroma out |');
    console.log('| --- | --- | --- | --- | --- | --- |');
    for (const kind of ['bw', 'sepia']) {
      const files = (await readdir(path.join(work, 'mono-in'))).filter((f) => f.startsWith(kind));
      let cin = 0;
      let cout = 0;
      let hue = 0;
      for (const f of files) {
        const a = await meanChroma(await readRgb(path.join(work, 'mono-in', f)));
        const b = await meanChroma(await readRgb(path.join(work, 'mono-out', f)));
        cin += a.c / files.length;
        cout += b.c / files.length;
        if (kind === 'sepia') {
          const d = Math.abs(((Math.atan2(b.b, b.a) - Math.atan2(a.b, a.a)) * 180) / Math.PI);
          hue = Math.max(hue, Math.min(d, 360 - d));
        } else hue = Math.max(hue, b.c);
      }
      console.log(`| ${kind} | ${files.length} | ${cin.toFixed(2)} | ${cout.toFixed(2)} | ${kind === 'sepia' ? hue.toFixed(1) : '-'} | ${kind === 'bw' ? hue.toFixed(2) : '-'} |`);
    }
  } finally {
    await engine.dispose();
    if (!args.includes('--keep')) await rm(work, { recursive: true, force: true });
    else console.log(`\nkept ${work}`);
  }
}

await main();
