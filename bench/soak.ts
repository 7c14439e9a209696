/**
 * Kill-and-resume soak of the batch queue through the real CLI:
 * `node training/run-ts.mjs bench/soak.ts [--photos 1000] [--kills 10] [--corrupt 0.05]`.
 *
 * Makes a folder of small photos (a share of them corrupt), then runs
 * `patina run` on it, SIGKILLing the process at random moments `--kills`
 * times, and finally lets it finish. Checks that every good photo ends with
 * exactly one whole output, written once (its inode never changes after it
 * appears), every bad one is reported with its reason, no input changed and
 * no temporary file is left. Prints the figures; exits 1 if a check fails.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import sharp from 'sharp';
import { buildEngineForTests } from '../src/main/restore/testing/build-engine';
import { scratchMaskPng, syntheticImage, tempDir } from '../src/main/restore/testing/fixtures';

const { values } = parseArgs({ options: { photos: { type: 'string', default: '1000' }, kills: { type: 'string', default: '10' }, corrupt: { type: 'string', default: '0.05' } } });
const PHOTOS = Number(values.photos);
const KILLS = Number(values.kills);
const CORRUPT = Number(values.corrupt);
const W = 24;
const H = 16;

let seed = 20261207;
const rnd = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);

const root = await tempDir('patina-soak-');
const input = path.join(root, 'in');
const out = path.join(root, 'out');
await mkdir(input);
const bad = new Set<string>();
const good: string[] = [];
const jpeg = await syntheticImage(W, H, 3, 8).jpeg().toBuffer();
const png = await syntheticImage(W, H, 3, 8).png().toBuffer();
for (let i = 0; i < PHOTOS; i++) {
  const name = `scan_${i}.${i % 2 ? 'png' : 'jpg'}`;
  const whole = i % 2 ? png : jpeg;
  if (rnd() < CORRUPT) {
    bad.add(name);
    await writeFile(path.join(input, name), whole.subarray(0, Math.floor(whole.length * rnd() * 0.5)));
  } else {
    good.push(name);
    await writeFile(path.join(input, name), whole);
  }
}
await writeFile(path.join(root, 'mask.png'), await scratchMaskPng(W, H));
const hashOf = async (f: string) => createHash('sha256').update(await readFile(f)).digest('hex');
const inputsBefore = new Map(await Promise.all((await readdir(input)).map(async (n) => [n, await hashOf(path.join(input, n))] as const)));

const built = await buildEngineForTests();
const args = [built.cli, 'run', '--image', input, '--mask', path.join(root, 'mask.png'), '--output', out, '--device', 'cpu', '--json'];

interface Run {
  readonly killedAfterMs: number | null;
  readonly code: number | null;
  readonly restored: string[];
  readonly ms: number;
}

function runOnce(killAfterMs: number | null): Promise<Run> {
  const started = performance.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'ignore'] });
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    const timer = killAfterMs === null ? null : setTimeout(() => child.kill('SIGKILL'), killAfterMs);
    child.on('close', (code) => {
      if (timer) clearTimeout(timer);
      const restored: string[] = [];
      for (const line of stdout.split('\n')) {
        if (!line.startsWith('{"type":"item"')) continue;
        const item = JSON.parse(line) as { image: string; status: string };
        if (item.status === 'restored') restored.push(path.basename(item.image));
      }
      resolve({ killedAfterMs: killAfterMs, code, restored, ms: performance.now() - started });
    });
  });
}

/** Output inodes, to catch an output written a second time. */
async function outputInodes(): Promise<Map<string, number>> {
  const m = new Map<string, number>();
  for (const n of await readdir(out).catch(() => [] as string[])) if (!n.startsWith('.') && n !== 'patina-report.json') m.set(n, (await stat(path.join(out, n))).ino);
  return m;
}

const runs: Run[] = [];
const rewritten = new Set<string>();
let inodes = new Map<string, number>();
const started = performance.now();
// A first, uninterrupted-length estimate would cost a whole run; kills land between 0.3 s and 6 s instead.
for (let k = 0; k < KILLS; k++) {
  runs.push(await runOnce(Math.round(300 + rnd() * 5700)));
  const now = await outputInodes();
  for (const [n, ino] of inodes) if (now.get(n) !== ino) rewritten.add(n);
  inodes = now;
}
let final: Run;
do {
  final = await runOnce(null);
  runs.push(final);
} while (final.code !== 0 && final.code !== 1 && runs.length < KILLS + 3);
const now = await outputInodes();
for (const [n, ino] of inodes) if (now.get(n) !== ino) rewritten.add(n);
const wallMs = performance.now() - started;

// --- checks ---------------------------------------------------------------------
const problems: string[] = [];
const restoredCount = new Map<string, number>();
for (const r of runs) for (const n of r.restored) restoredCount.set(n, (restoredCount.get(n) ?? 0) + 1);
for (const n of good) {
  const file = path.join(out, n);
  const meta = await sharp(file).metadata().catch(() => null);
  if (!meta || meta.width !== W) problems.push(`${n}: no whole output`);
  if ((restoredCount.get(n) ?? 0) > 1) problems.push(`${n}: reported restored ${restoredCount.get(n)} times`);
}
for (const n of rewritten) problems.push(`${n}: output written more than once`);
const report = JSON.parse(await readFile(path.join(out, 'patina-report.json'), 'utf8')) as { failures?: { file: string; code: string }[] };
const reportedBad = new Set((report.failures ?? []).map((f) => path.basename(f.file)));
for (const n of bad) if (!reportedBad.has(n)) problems.push(`${n}: corrupt but not reported`);
for (const n of reportedBad) if (!bad.has(n)) problems.push(`${n}: reported failed but was good`);
for (const [n, h] of inputsBefore) if ((await hashOf(path.join(input, n))) !== h) problems.push(`${n}: input changed`);
const temps = (await readdir(out)).filter((n) => n.endsWith('.patina-tmp'));
if (temps.length > 0) problems.push(`${temps.length} temporary files left`);

const killed = runs.filter((r) => r.killedAfterMs !== null);
console.log(
  JSON.stringify(
    {
      photos: PHOTOS,
      corrupt: bad.size,
      kills: killed.length,
      killMomentsMs: killed.map((r) => r.killedAfterMs),
      restoredBeforeEachKill: killed.map((r) => r.restored.length),
      runs: runs.length,
      finalExit: final.code,
      finalRunMs: Math.round(final.ms),
      wallMs: Math.round(wallMs),
      goodWithWholeOutput: good.length - problems.filter((p) => p.endsWith('no whole output')).length,
      outputsRewritten: rewritten.size,
      reportedFailures: reportedBad.size,
      tempFilesLeft: temps.length,
      problems,
    },
    null,
    2,
  ),
);
await built.dispose();
await rm(root, { recursive: true, force: true });
process.exit(problems.length > 0 ? 1 : 0);
