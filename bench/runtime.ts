/**
 * `npm run bench -- --only runtime`: onnxruntime session settings compared on
 * the crops the engine really runs. A 12 MP scan with scratches and dust goes
 * through the crop planner; each variant then runs that whole list of crops
 * (one quality-mode `fast` pass each), plus one 512x512 crop with a brush-like
 * hole (the crop a large stain gets). Variants take turns within every round,
 * so a machine whose speed drifts moves them all alike; the figure quoted is
 * each variant's median over rounds and its median ratio to the shipped
 * settings in the same rounds. Every variant's output is compared with the
 * shipped settings' (largest absolute difference over all crops): a setting
 * that is faster but changes the fill is not equal output.
 *
 * Options (after `npm run bench -- --only runtime`): --rounds N (default 7),
 * --quick (a 3 MP scan, 3 rounds: a smoke run), --candidate <models folder>
 * (also time the model that folder's manifest names, e.g. a quantised one, on
 * the shipped settings: its difference to the shipped model is its parity).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import * as ort from 'onnxruntime-node';
import { readCrop } from '../src/main/imaging/crop-io';
import { planCrops } from '../src/main/imaging/crop-plan';
import { decodePhoto } from '../src/main/imaging/decode';
import { loadMask } from '../src/main/imaging/mask';
import { readModelManifest } from '../src/main/inference/manifest';
import { defaultModelsDir } from '../src/main/inference/models-dir';
import { sessionOptions } from '../src/main/inference/session';
import { machine, median, Report } from './report';
import { writeScratchMask, writeSyntheticPhoto } from './synthetic';

const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '7' },
    quick: { type: 'boolean', default: false },
    candidate: { type: 'string' },
    // Accepted because the bench runner passes it to every part; these settings are the CPU provider's.
    device: { type: 'string' },
  },
});
const rounds = values.quick ? 3 : Number(values.rounds);
if (!Number.isInteger(rounds) || rounds < 1) throw new Error('--rounds must be a positive whole number');

interface Crop {
  readonly image: Float32Array;
  readonly mask: Float32Array;
  readonly width: number;
  readonly height: number;
}

interface Variant {
  readonly name: string;
  readonly modelPath: string;
  readonly options: ort.InferenceSession.SessionOptions;
  /** Hand run() an output tensor allocated once per crop shape (onnxruntime writes into it). */
  readonly preallocate?: boolean;
}

const shipped = await readModelManifest(defaultModelsDir());
const base = sessionOptions('cpu');
// Variants that set other session entries keep the shipped ones beside them.
const spinning = (base.extra as { session?: Record<string, unknown> } | undefined)?.session ?? {};
const variants: Variant[] = [
  { name: 'shipped settings', modelPath: shipped.modelPath, options: base },
  { name: 'output tensor pre-allocated', modelPath: shipped.modelPath, options: base, preallocate: true },
  { name: 'graph optimisation basic', modelPath: shipped.modelPath, options: { ...base, graphOptimizationLevel: 'basic' } },
  { name: 'graph optimisation extended', modelPath: shipped.modelPath, options: { ...base, graphOptimizationLevel: 'extended' } },
  { name: 'graph optimisation layout', modelPath: shipped.modelPath, options: { ...base, graphOptimizationLevel: 'layout' } },
  { name: 'intra-op threads 1', modelPath: shipped.modelPath, options: { ...base, intraOpNumThreads: 1 } },
  { name: 'inter-op 2, parallel execution', modelPath: shipped.modelPath, options: { ...base, interOpNumThreads: 2, executionMode: 'parallel' } },
  { name: 'memory arena off', modelPath: shipped.modelPath, options: { ...base, enableCpuMemArena: false } },
  { name: 'memory pattern on', modelPath: shipped.modelPath, options: { ...base, enableMemPattern: true } },
  { name: 'thread spinning on', modelPath: shipped.modelPath, options: { ...base, extra: { session: { intra_op: { allow_spinning: '1' } } } } },
  { name: 'denormals as zero', modelPath: shipped.modelPath, options: { ...base, extra: { session: { ...spinning, set_denormal_as_zero: '1' } } } },
];
if (values.candidate) {
  const candidate = await readModelManifest(path.resolve(values.candidate));
  variants.push({ name: `candidate ${candidate.entry.version} (${candidate.entry.file})`, modelPath: candidate.modelPath, options: base });
}

const report = new Report();
const work = await mkdtemp(path.join(tmpdir(), 'patina-bench-runtime-'));
try {
  const crops = await plannedCrops(work, values.quick ? [2000, 1500] : [4000, 3000]);
  const big = brushCrop(512);
  report.row('machine', machine());
  report.row('workload', `the crop plan of a ${values.quick ? 3 : 12} MP scratch scan (${crops.length} crops, ${(sum(crops.map((c) => c.width * c.height)) / 1e6).toFixed(2)} MP), and one 512x512 crop; ${rounds} rounds`);
  await compare(crops, big);
} finally {
  await rm(work, { recursive: true, force: true });
}
report.print(`Patina runtime settings benchmark${values.quick ? ' (quick)' : ''}`);

async function compare(crops: Crop[], big: Crop): Promise<void> {
  const sessions = [];
  for (const v of variants) sessions.push(await ort.InferenceSession.create(v.modelPath, v.options));
  try {
    // The first pass of each session plans and allocates; it also gives the outputs compared below.
    const outputs: Float32Array[][] = [];
    for (let i = 0; i < variants.length; i++) outputs.push(await runAll(sessions[i]!, variants[i]!, [...crops, big]));
    const planMs: number[][] = variants.map(() => []);
    const bigMs: number[][] = variants.map(() => []);
    for (let r = 0; r < rounds; r++) {
      // Rotate the starting variant each round so none always runs first after a pause.
      for (let k = 0; k < variants.length; k++) {
        const i = (k + r) % variants.length;
        let t0 = performance.now();
        await runAll(sessions[i]!, variants[i]!, crops);
        planMs[i]!.push(performance.now() - t0);
        t0 = performance.now();
        await runAll(sessions[i]!, variants[i]!, [big]);
        bigMs[i]!.push(performance.now() - t0);
      }
      process.stderr.write(`  round ${r + 1} of ${rounds} done\n`);
    }
    for (let i = 0; i < variants.length; i++) {
      const ratio = (xs: number[][]) => median(xs[i]!.map((x, r) => x / xs[0]![r]!)).toFixed(2);
      const diff = maxAbsDiff(outputs[0]!, outputs[i]!);
      report.row(
        variants[i]!.name,
        `crop plan ${median(planMs[i]!).toFixed(0)} ms (x${ratio(planMs)}), 512x512 ${median(bigMs[i]!).toFixed(1)} ms (x${ratio(bigMs)}); output max |diff| ${diff === 0 ? '0 (identical)' : diff.toExponential(2)}`,
      );
    }
  } finally {
    for (const s of sessions) await s.release();
  }
}

async function runAll(session: ort.InferenceSession, variant: Variant, crops: readonly Crop[]): Promise<Float32Array[]> {
  const outs: Float32Array[] = [];
  for (const c of crops) {
    const feeds = {
      image: new ort.Tensor('float32', c.image, [1, 3, c.height, c.width]),
      mask: new ort.Tensor('float32', c.mask, [1, 1, c.height, c.width]),
    };
    if (variant.preallocate) {
      const data = new Float32Array(3 * c.width * c.height);
      await session.run(feeds, { output: new ort.Tensor('float32', data, [1, 3, c.height, c.width]) });
      outs.push(data);
    } else {
      outs.push((await session.run(feeds, ['output'])).output!.data as Float32Array);
    }
  }
  return outs;
}

/** The crops the engine would run for a synthetic scan with the bench's scratch mask. */
async function plannedCrops(dir: string, [w, h]: [number, number]): Promise<Crop[]> {
  const image = path.join(dir, 'scan.jpg');
  const maskFile = path.join(dir, 'scan-mask.png');
  await writeSyntheticPhoto(image, w, h);
  await writeScratchMask(maskFile, w, h, 3, 40);
  const photo = await decodePhoto(image);
  const mask = await loadMask(maskFile, w, h);
  const e = shipped.entry;
  const jobs = planCrops(mask, { inputMultiple: e.inputMultiple, maxSide: e.maxSide, holeReach: e.holeReach });
  return jobs.map((job) => ({ ...readCrop(photo, mask, job), width: job.netWidth, height: job.netHeight }));
}

/** A square crop of smooth texture with a few thick strokes (about 15 % of it). */
function brushCrop(side: number): Crop {
  const image = new Float32Array(3 * side * side);
  for (let i = 0; i < image.length; i++) image[i] = 0.5 + 0.3 * Math.sin(i / 97) * Math.cos(i / 5003);
  const mask = new Float32Array(side * side);
  for (let s = 0; s < 4; s++) {
    for (let x = 0; x < side; x++) {
      const yc = Math.round(side * (0.2 + 0.2 * s) + 30 * Math.sin(x / 40 + s));
      for (let t = -10; t <= 10; t++) {
        const y = yc + t;
        if (y >= 0 && y < side) mask[y * side + x] = 1;
      }
    }
  }
  return { image, mask, width: side, height: side };
}

function maxAbsDiff(a: readonly Float32Array[], b: readonly Float32Array[]): number {
  let d = 0;
  for (let k = 0; k < a.length; k++) for (let i = 0; i < a[k]!.length; i++) d = Math.max(d, Math.abs(a[k]![i]! - b[k]![i]!));
  return d;
}

function sum(xs: readonly number[]): number {
  return xs.reduce((s, x) => s + x, 0);
}
