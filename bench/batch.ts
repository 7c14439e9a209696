/**
 * `npm run bench` (second part): throughput of the batch queue in images per
 * minute on 20 scans of 12 MP with scratch masks, and the peak resident
 * memory of the process running it (engine worker included). Then 10 of those
 * scans with the scratches painted in, restored with automatic masks, run
 * twice: with the queue's two jobs in flight (one photo's damage detection
 * beside another's inference) and one at a time, taking turns.
 *
 * Options (after `npm run bench --`): --device <auto|cpu|cuda|...>,
 * --quick (20 scans of 3 MP: a smoke run, not the reported figure).
 */
import { execFile } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs, promisify } from 'node:util';
import { isDeviceSetting } from '../src/main/inference/providers';
import { paintDamage, writeScratchMask, writeSyntheticPhoto } from './synthetic';
import { DEFAULT_QUALITY_MODE, QUALITY_MODES, type QualityMode } from '../src/shared/ipc/restore';
import { machine, Report } from './report';

const SCANS = 20;
const AUTO_SCANS = 10;
const { values } = parseArgs({ options: { device: { type: 'string', default: 'auto' }, quick: { type: 'boolean', default: false } } });
if (!isDeviceSetting(values.device)) throw new Error('--device must be auto, cpu, cuda, dml, coreml or webgpu');
const [w, h] = values.quick ? [2000, 1500] : [4000, 3000];
const megapixels = ((w * h) / 1e6).toFixed(0);
const here = path.dirname(fileURLToPath(import.meta.url));

const work = await mkdtemp(path.join(tmpdir(), 'patina-bench-batch-'));
try {
  const input = path.join(work, 'scans');
  const masks = path.join(work, 'masks');
  await mkdir(input);
  await mkdir(masks);
  process.stderr.write(`  making ${SCANS} scans of ${megapixels} MP with scratch masks...\n`);
  // One synthetic scan and mask, copied: every item does the same work, so the figure is the queue's pace.
  await writeSyntheticPhoto(path.join(input, 'scan_01.jpg'), w, h);
  await writeScratchMask(path.join(masks, 'scan_01_mask.png'), w, h, 3, 40);
  for (let i = 2; i <= SCANS; i++) {
    const n = String(i).padStart(2, '0');
    await copyFile(path.join(input, 'scan_01.jpg'), path.join(input, `scan_${n}.jpg`));
    await copyFile(path.join(masks, 'scan_01_mask.png'), path.join(masks, `scan_${n}_mask.png`));
  }
  const report = new Report();
  // The default first, then the other mode a batch can ask for.
  for (const mode of [DEFAULT_QUALITY_MODE, ...QUALITY_MODES.filter((m) => m !== DEFAULT_QUALITY_MODE)]) {
    process.stderr.write(`  running the batch in quality mode ${mode} (this takes a while on a CPU)...\n`);
    await runBatch(report, input, masks, path.join(work, `out-${mode}`), mode);
  }
  const painted = path.join(work, 'painted');
  await mkdir(painted);
  await paintDamage(path.join(input, 'scan_01.jpg'), path.join(masks, 'scan_01_mask.png'), path.join(painted, 'scan_01.jpg'));
  for (let i = 2; i <= AUTO_SCANS; i++) await copyFile(path.join(painted, 'scan_01.jpg'), path.join(painted, `scan_${String(i).padStart(2, '0')}.jpg`));
  process.stderr.write(`  running ${AUTO_SCANS} scans with automatic masks, two in flight and one at a time, in turn...\n`);
  const perMin: Record<string, number[]> = { side: [], alone: [] };
  for (let round = 0; round < 2; round++) {
    for (const [key, inFlight] of [['side', 2], ['alone', 1]] as const) {
      const r = await child(painted, 'auto', path.join(work, `out-auto-${key}-${round}`), DEFAULT_QUALITY_MODE, AUTO_SCANS, inFlight);
      perMin[key]!.push((AUTO_SCANS * 60_000) / r.ms);
    }
  }
  const best = (xs: number[]) => Math.max(...xs).toFixed(1);
  report.row(
    `batch (${DEFAULT_QUALITY_MODE}, --auto-mask): ${AUTO_SCANS} scans of ${megapixels} MP`,
    `detection beside inference (2 in flight) ${best(perMin.side!)} images/min, one at a time ${best(perMin.alone!)} (best of 2 runs each, taken in turn)`,
  );
  report.print(`Patina batch benchmark${values.quick ? ' (quick)' : ''}`);
} finally {
  await rm(work, { recursive: true, force: true });
}

interface ChildResult {
  state: string;
  ms: number;
  done: number;
  failed: number;
  crops: number;
  inpaintMs: number;
  provider: string;
  maxRssMiB: number;
}

/** One batch in its own process (bench/batch-child.ts); throws unless every scan was restored. */
async function child(input: string, masks: string, output: string, mode: QualityMode, scans: number, inFlight?: number): Promise<ChildResult> {
  const args = [path.join(here, 'batch-child.js'), input, masks, output, values.device!, mode, ...(inFlight === undefined ? [] : [String(inFlight)])];
  const { stdout } = await promisify(execFile)(process.execPath, args, { maxBuffer: 1 << 20, timeout: 60 * 60_000 });
  const r = JSON.parse(stdout.trim().split('\n').at(-1)!) as ChildResult;
  if (r.done !== scans) throw new Error(`batch ended ${r.state} with ${r.done} of ${scans} restored (${r.failed} failed)`);
  return r;
}

async function runBatch(report: Report, input: string, masks: string, output: string, mode: QualityMode): Promise<void> {
  const r = await child(input, masks, output, mode, SCANS);
  report.row(`machine (${mode})`, `${machine()}; provider ${r.provider}`);
  report.row(`batch (${mode}): ${SCANS} scans of ${megapixels} MP, scratch masks`, `${((SCANS * 60_000) / r.ms).toFixed(2)} images/min (${(r.ms / 1000).toFixed(1)} s, ${r.crops} crops)`);
  report.row(`model busy during the batch (${mode})`, `${((100 * r.inpaintMs) / r.ms).toFixed(0)}% of the time (decode/encode overlap the model)`);
  report.row(`peak RSS of the batch process (${mode})`, `${r.maxRssMiB} MiB`);
}
