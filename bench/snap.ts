/**
 * `npm run bench:snap`: how fast the snapping brush answers (defects:snap,
 * src/main/defects/snap*.ts). A person waits on every stroke, so the target
 * (issue 21) is a long diagonal stroke on a 12 MP scan answering well under
 * 200 ms once the photo is decoded; the first stroke on a photo also decodes it.
 *
 * The scan is a real cracked print (../shared/data/damaged, b.png) enlarged to
 * 4000 x 3000. Each stroke runs through the built snap worker
 * (out/main/snap-worker.js, as in the app: worker messages, the PNG window
 * transferred back) when the build is there, and in this process otherwise.
 * Per case: the first stroke (decode included) and the median of the next
 * runs, as wall time and as CPU time of this process (the worker thread and
 * sharp's threads included): on a shared, busy machine the wall time waits
 * for cores, the CPU time is the work a stroke costs.
 *
 * Options: --runs N (default 7).
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import sharp from 'sharp';
import { SnapPhotoCache } from '../src/main/defects/snap-cache';
import { SnapEngine } from '../src/main/defects/snap-engine';
import { runSnap, type SnapRequest, type SnapResult } from '../src/main/defects/snap-run';
import { machine, median, Report } from './report';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '7' } }, strict: false });
const runs = Math.max(1, Number(values.runs));
const PRINT = path.resolve(process.cwd(), '../shared/data/damaged/bopb_old_photos/old_w_scratch/b.png');
const WORKER = path.resolve(process.cwd(), 'out/main/snap-worker.js');
const WIDTH = 4000;
const HEIGHT = 3000;

const report = new Report();
const work = await mkdtemp(path.join(tmpdir(), 'patina-bench-snap-'));
const engine = existsSync(WORKER) ? new SnapEngine({ workerPath: WORKER }) : null;
const cache = new SnapPhotoCache();
const snap = (request: SnapRequest): Promise<SnapResult> => (engine ? engine.snap(request) : runSnap(cache, request));
try {
  report.row('machine', `${machine()}, load average ${loadavg()[0]!.toFixed(1)} at the start`);
  report.row('path', engine ? 'built snap worker (out/main/snap-worker.js)' : 'in process (no build: run npm run build for the worker path)');
  const scan = path.join(work, 'cracked-12mp.png');
  await sharp(PRINT).removeAlpha().resize(WIDTH, HEIGHT, { fit: 'fill', kernel: 'lanczos3' }).png({ compressionLevel: 1 }).toFile(scan);
  report.row('scan', `${WIDTH} x ${HEIGHT} PNG (b.png enlarged)`);

  // A hand-drawn diagonal: 500 pointer samples from corner to corner, with a little wobble.
  const diagonal: [number, number][] = [];
  for (let i = 0; i <= 500; i++) diagonal.push([200 + (i * (WIDTH - 400)) / 500 + 3 * Math.sin(i / 7), 150 + (i * (HEIGHT - 300)) / 500]);
  const length = Math.hypot(WIDTH - 400, HEIGHT - 300);
  const cases: [string, SnapRequest][] = [
    [`diagonal stroke ${length.toFixed(0)} px, 20 px brush`, { imagePath: scan, kind: 'stroke', points: diagonal, width: 20 }],
    [`diagonal stroke ${length.toFixed(0)} px, 50 px brush (the editor's default on 12 MP)`, { imagePath: scan, kind: 'stroke', points: diagonal, width: 50 }],
    ['stroke along a crack, 1280 px, 50 px brush', { imagePath: scan, kind: 'stroke', points: [[2656, 902], [3906, 609]], width: 50 }],
    ['click on a spot, 50 px brush', { imagePath: scan, kind: 'spot', points: [[2800, 860]], width: 50 }],
  ];
  let first = true;
  for (const [label, request] of cases) {
    const start = performance.now();
    const firstResult = await snap(request);
    const firstMs = performance.now() - start;
    if (first) report.row('first stroke on the scan (decode included)', `${firstMs.toFixed(0)} ms`);
    first = false;
    const times: number[] = [];
    const cpu: number[] = [];
    for (let i = 0; i < runs; i++) {
      const t = performance.now();
      const c = process.cpuUsage();
      await snap(request);
      const used = process.cpuUsage(c);
      times.push(performance.now() - t);
      cpu.push((used.user + used.system) / 1000);
    }
    report.row(
      label,
      `median ${median(times).toFixed(0)} ms wall, ${median(cpu).toFixed(0)} ms CPU; max ${Math.max(...times).toFixed(0)} ms wall (${runs} runs; ${firstResult.pixels} px found in a ${firstResult.width} x ${firstResult.height} window)`,
    );
  }
} finally {
  await engine?.close();
  await rm(work, { recursive: true, force: true });
}
report.print('Patina snapping brush benchmark');
