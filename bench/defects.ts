/**
 * `npm run bench -- --only defects`: speed of automatic damage detection
 * (src/main/defects). Target from issue 21: detection of a 12 MP scan in at
 * most 1 s on 2 cores. Measured: decode (sharp, EXIF orientation), detection
 * alone (median of several runs after a warm-up; wall time, and the process's
 * CPU time, user + system, which a loaded machine inflates less, also split
 * into the analysis and the mask stage), and decode plus detection, on a
 * real photo from ../shared/data enlarged to 12 MP with painted damage (a
 * synthetic gradient photo when the shared data is absent).
 *
 * Both detectors are timed: classical and learned (the default: the ONNX
 * network in models/defects/, skipped when it is missing).
 *
 * Also timed: the sensitivity slider's release step (defects:rethreshold:
 * the mask at another sensitivity from the kept analysis, no network, plus
 * its PNG encode, as the defects worker does it), and the face finder
 * (defects:faces, its three input sizes), on the same photo.
 *
 * Options: --quick (fewer runs, a smoke run, not the reported figures).
 * Other flags the bench runner passes (--device) are ignored: detection runs on the CPU.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import sharp from 'sharp';
import { analyseDefects, DEFAULT_SENSITIVITY, defectMaskAt, detectDefects } from '../src/main/defects/detect';
import { encodeMaskPng } from '../src/main/defects/mask-file';
import { findFaces, loadFaceModel } from '../src/main/faces/faces';
import { defaultModelsDir } from '../src/main/inference/models-dir';
import { decodePhoto } from '../src/main/imaging/decode';
import { machine, median, Report } from './report';
import { writeSyntheticPhoto } from './synthetic';

const { values } = parseArgs({ options: { quick: { type: 'boolean', default: false } }, strict: false });
const quick = values.quick === true;
// The bench runner works from the repository root; the shared data sits beside it.
const SOURCE = path.resolve(process.cwd(), '../shared/data/train/sun_hays80/abbey_sun_asztnlqhlrvirneh.jpg');

const report = new Report();
const row = (name: string, value: string) => report.row(name, value);

const work = await mkdtemp(path.join(tmpdir(), 'patina-bench-defects-'));
try {
  row('machine', machine());
  for (const [w, h] of quick ? [[2000, 1500]] : [[2000, 1500], [4000, 3000]]) {
    await measure(w!, h!);
  }
} finally {
  await rm(work, { recursive: true, force: true });
}
report.print('Patina damage detection benchmark');

async function measure(width: number, height: number): Promise<void> {
  const file = path.join(work, `photo-${width}x${height}.jpg`);
  const source = existsSync(SOURCE) ? 'real photo' : 'synthetic gradient';
  await writePhoto(file, width, height);
  const label = `${((width * height) / 1e6).toFixed(0)} MP (${width}x${height}, ${source})`;

  const decodeStart = performance.now();
  const photo = await decodePhoto(file);
  const decodeMs = performance.now() - decodeStart;
  row(`${label} decode`, `${decodeMs.toFixed(0)} ms`);
  for (const method of ['classical', 'learned'] as const) {
    const warm = await detectDefects(photo, { method }); // warm-up: JIT, first allocations, model load
    if (warm.stats.method !== method) {
      row(`${label} ${method}`, `not measured: ${warm.stats.note ?? 'fell back'}`);
      continue;
    }
    const runs = quick ? 1 : 5;
    const times: number[] = [];
    const cpu: number[] = [];
    // The two parts of detectDefects, timed apart: the analysis (reduction, network) and the mask at the default sensitivity.
    const analysisCpu: number[] = [];
    let flagged = 0;
    for (let r = 0; r < runs; r++) {
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      const basis = await analyseDefects(photo, { method });
      const c1 = process.cpuUsage(c0);
      const mask = defectMaskAt(basis, DEFAULT_SENSITIVITY);
      times.push(performance.now() - t0);
      const c = process.cpuUsage(c0);
      cpu.push((c.user + c.system) / 1000);
      analysisCpu.push((c1.user + c1.system) / 1000);
      flagged = mask.stats.flaggedPixels / (width * height);
    }
    const detectMs = median(times);
    row(
      `${label} ${method} detect median`,
      `${detectMs.toFixed(0)} ms wall, ${median(cpu).toFixed(0)} ms CPU (${runs} runs, min ${Math.min(...times).toFixed(0)} / ${Math.min(...cpu).toFixed(0)}; ${(100 * flagged).toFixed(2)} % flagged; load ${loadavg()[0]!.toFixed(1)}; target for 12 MP: 1000 ms)`,
    );
    const maskCpu = cpu.map((v, k) => v - analysisCpu[k]!);
    row(`${label} ${method} detect CPU by part, median`, `analysis (reduction${method === 'learned' ? ', network' : ''}) ${median(analysisCpu).toFixed(0)} ms, mask at the default sensitivity ${median(maskCpu).toFixed(0)} ms`);
    row(`${label} ${method} decode + detect`, `${(decodeMs + detectMs).toFixed(0)} ms`);
    await measureRelease(photo, label, method, runs);
  }
  const faces = await loadFaceModel(defaultModelsDir()).catch(() => null);
  if (faces) {
    await findFaces(faces, photo);
    const times: number[] = [];
    for (let r = 0; r < (quick ? 1 : 3); r++) {
      const t0 = performance.now();
      await findFaces(faces, photo);
      times.push(performance.now() - t0);
    }
    row(`${label} faces median`, `${median(times).toFixed(0)} ms (${faces.inputSizes.join(' + ')} px passes, decode excluded)`);
  }
}

/** The sensitivity slider's release: the exact mask at a new sensitivity from the kept analysis, and its PNG. */
async function measureRelease(photo: Awaited<ReturnType<typeof decodePhoto>>, label: string, method: 'classical' | 'learned', runs: number): Promise<void> {
  const basis = await analyseDefects(photo, { method });
  const times: number[] = [];
  for (let r = 0; r < runs; r++) {
    for (const sensitivity of [0.3, 0.8]) {
      const t0 = performance.now();
      await encodeMaskPng(defectMaskAt(basis, sensitivity));
      times.push(performance.now() - t0);
    }
  }
  row(`${label} ${method} sensitivity release (re-threshold + PNG) median`, `${median(times).toFixed(0)} ms (${times.length} runs, min ${Math.min(...times).toFixed(0)}; analysis kept: ${basis.ms.toFixed(0)} ms)`);
}

/** A photo enlarged to width x height with scratches, dust and a torn corner painted in (JPEG q92). */
async function writePhoto(file: string, width: number, height: number): Promise<void> {
  if (!existsSync(SOURCE)) {
    await writeSyntheticPhoto(file, width, height);
    return;
  }
  const { data } = await sharp(SOURCE).resize(width, height, { fit: 'fill' }).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  const px = new Uint8Array(data);
  const paint = (x: number, y: number, v: number) => {
    if (x < 0 || y < 0 || x >= width || y >= height) return;
    const i = (y * width + x) * 3;
    px[i] = px[i + 1] = px[i + 2] = v;
  };
  for (let s = 0; s < 6; s++) {
    const x0 = (width * (s + 1)) / 7;
    const t = 2 + (s % 3);
    for (let y = 0; y < height; y++) {
      const x = Math.round(x0 + (y - height / 2) * 0.15 * (s % 2 ? 1 : -1));
      for (let k = 0; k < t; k++) paint(x + k, y, s % 2 ? 240 : 25);
    }
  }
  let seed = 5;
  for (let d = 0; d < 200; d++) {
    seed = (seed * 1103515245 + 12345) >>> 0;
    const cx = seed % width;
    seed = (seed * 1103515245 + 12345) >>> 0;
    const cy = seed % height;
    for (let y = -3; y <= 3; y++) for (let x = -3; x <= 3; x++) if (x * x + y * y <= 9) paint(cx + x, cy + y, 235);
  }
  const corner = Math.round(0.12 * height);
  for (let y = 0; y < corner; y++) for (let x = 0; x < corner - y; x++) paint(x, y, 240);
  await sharp(px, { raw: { width, height, channels: 3 } }).jpeg({ quality: 92 }).toFile(file);
}
