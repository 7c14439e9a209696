/**
 * `npm run bench -- --only cli`: the speed target of the product path. A 12 MP
 * JPEG scan with 3 long scratches and 40 dust specks (about 1 % of it) goes
 * through `patina run` as whole processes, with --mask in both quality modes and
 * with --auto-mask (the same scratches painted into the scan), each against
 * sharp decoding and re-encoding the same file, also as a whole process.
 * The commands take turns within every round and each ratio is the median of
 * the rounds' own ratios, so a machine whose speed drifts moves both sides of
 * a ratio alike. Targets (issue 22): --mask <= 6x sharp, --auto-mask <= 10x.
 *
 * Options (after `npm run bench --`): --rounds N (default 5), --quick (a 3 MP
 * scan, 2 rounds: a smoke run), --device (passed to patina run).
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs, promisify } from 'node:util';
import { isDeviceSetting } from '../src/main/inference/providers';
import { machine, median, Report } from './report';
import { paintDamage, writeScratchMask, writeSyntheticPhoto } from './synthetic';

const { values } = parseArgs({
  options: { rounds: { type: 'string', default: '5' }, quick: { type: 'boolean', default: false }, device: { type: 'string', default: 'auto' } },
});
if (!isDeviceSetting(values.device)) throw new Error('--device must be auto, cpu, cuda, dml, coreml or webgpu');
const rounds = values.quick ? 2 : Number(values.rounds);
if (!Number.isInteger(rounds) || rounds < 1) throw new Error('--rounds must be a positive whole number');
const [w, h] = values.quick ? [2000, 1500] : [4000, 3000];
const here = path.dirname(fileURLToPath(import.meta.url));
const run = promisify(execFile);

interface Command {
  readonly name: string;
  readonly args: readonly string[];
  /** Network MP / photo MP from the --json summary; absent for sharp. */
  networkPerPhoto?: number;
}

const report = new Report();
const work = await mkdtemp(path.join(tmpdir(), 'patina-bench-cli-'));
try {
  const scan = path.join(work, 'scan.jpg');
  const mask = path.join(work, 'scan-mask.png');
  const painted = path.join(work, 'painted.jpg');
  process.stderr.write(`  making a ${((w * h) / 1e6).toFixed(0)} MP scan, its mask and a copy with the damage painted in...\n`);
  await writeSyntheticPhoto(scan, w, h);
  await writeScratchMask(mask, w, h, 3, 40);
  await paintDamage(scan, mask, painted);
  const out = path.join(work, 'out');
  const patina = (...args: string[]) => [path.join(here, 'cli.js'), 'run', ...args, '--output', out, '--overwrite', '--device', values.device!, '--json'];
  const sharpCmd: Command = { name: 'sharp decode + JPEG encode', args: [path.join(here, 'sharp-roundtrip.js'), scan, path.join(work, 'sharp.jpg')] };
  const commands: Command[] = [
    sharpCmd,
    { name: 'patina run --mask, best (default)', args: patina('--image', scan, '--mask', mask) },
    { name: 'patina run --mask, fast', args: patina('--image', scan, '--mask', mask, '--quality-mode', 'fast') },
    { name: 'patina run --auto-mask, best', args: patina('--image', painted, '--auto-mask') },
    { name: 'patina run --auto-mask, fast', args: patina('--image', painted, '--auto-mask', '--quality-mode', 'fast') },
  ];
  // One run of each first, not counted: file caches, and a failure shows before the rounds start.
  for (const c of commands) await timed(c);
  const times = commands.map(() => [] as number[]);
  for (let r = 0; r < rounds; r++) {
    for (let k = 0; k < commands.length; k++) times[k]!.push(await timed(commands[k]!));
    process.stderr.write(`  round ${r + 1} of ${rounds} done\n`);
  }
  report.row('machine', `${machine()}; whole processes, ${rounds} rounds, medians`);
  report.row('photo', `${w}x${h} JPEG, 3 scratches + 40 dust specks; --auto-mask on a copy with them painted in`);
  for (let k = 0; k < commands.length; k++) {
    const c = commands[k]!;
    const ratio = median(times[k]!.map((t, r) => t / times[0]![r]!));
    const target = k === 0 ? '' : c.name.includes('auto') ? ' (target <= 10x)' : ' (target <= 6x)';
    const network = c.networkPerPhoto === undefined ? '' : `; network input ${c.networkPerPhoto} of the photo`;
    report.row(c.name, `${(median(times[k]!) / 1000).toFixed(2)} s = ${ratio.toFixed(1)}x sharp${target}${network}`);
  }
} finally {
  await rm(work, { recursive: true, force: true });
}
report.print(`Patina CLI benchmark${values.quick ? ' (quick)' : ''}`);

async function timed(c: Command): Promise<number> {
  const t0 = performance.now();
  const { stdout } = await run(process.execPath, c.args, { maxBuffer: 16 << 20, timeout: 10 * 60_000 });
  const ms = performance.now() - t0;
  const summary = stdout
    .trim()
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as { type?: string; networkPerPhoto?: number; items?: { networkPerPhoto?: number }[] })
    .find((m) => m.type === 'summary');
  const share = summary?.networkPerPhoto ?? summary?.items?.[0]?.networkPerPhoto;
  if (share !== undefined) c.networkPerPhoto = share;
  return ms;
}

