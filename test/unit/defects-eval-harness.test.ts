// The detector's evaluation harness (`npm run defects:eval`) runs the shipped
// detector from src/ under plain Node; this keeps its entry point and import
// aliases working on a tiny synthetic set written here.
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const SIZE = 256;
let dir = '';

/** A smooth photo-like gradient, with a bright 3-px scratch when `scratch` is set. */
function photo(scratch: boolean): { rgb: Buffer; truth: Buffer } {
  const rgb = Buffer.alloc(SIZE * SIZE * 3);
  const truth = Buffer.alloc(SIZE * SIZE);
  for (let y = 0; y < SIZE; y++) {
    for (let x = 0; x < SIZE; x++) {
      const i = y * SIZE + x;
      const line = scratch && Math.abs(x - (60 + 0.5 * y)) < 1.5;
      const base = 70 + 0.25 * x + 0.15 * y;
      rgb[i * 3] = line ? 235 : base + 10;
      rgb[i * 3 + 1] = line ? 230 : base;
      rgb[i * 3 + 2] = line ? 225 : base - 15;
      truth[i] = line ? 255 : 0;
    }
  }
  return { rgb, truth };
}

const png = (data: Buffer, channels: 1 | 3, file: string) =>
  sharp(data, { raw: { width: SIZE, height: SIZE, channels } }).png().toFile(file);

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'patina-defects-eval-'));
  const clean = photo(false);
  const damaged = photo(true);
  await png(clean.rgb, 3, path.join(dir, '000_clean.png'));
  await png(damaged.rgb, 3, path.join(dir, '000_scratch.png'));
  await png(damaged.truth, 1, path.join(dir, '000_scratch_gt.png'));
  const items = [
    { name: '000_clean', kind: 'clean', source: 'synthetic' },
    { name: '000_scratch', kind: 'scratch', source: 'synthetic' },
  ];
  await writeFile(path.join(dir, 'manifest.json'), JSON.stringify({ items }));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('defects evaluation harness', () => {
  it('scores the learned detector on a synthetic set through its npm entry point', async () => {
    const { stdout } = await run(process.execPath, ['training/run-ts.mjs', 'training/defects/evaluate.ts', '--dir', dir, '--json'], {
      cwd: path.resolve(import.meta.dirname, '../..'),
    });
    const report = JSON.parse(stdout.trim().split('\n').at(-1)!) as {
      method: string;
      kinds: { kind: string; images: number; iou: number }[];
      clean: { images: number; maxPct: string | number };
    };
    expect(report.method).toBe('learned');
    expect(report.clean.images).toBe(1);
    expect(Number(report.clean.maxPct)).toBeLessThan(1);
    const scratch = report.kinds.find((k) => k.kind === 'scratch');
    expect(scratch?.images).toBe(1);
    expect(scratch!.iou).toBeGreaterThan(0.3);
  }, 60_000);

  it('refuses to start without a TypeScript script', async () => {
    await expect(run(process.execPath, ['training/run-ts.mjs'], { cwd: path.resolve(import.meta.dirname, '../..') })).rejects.toMatchObject({
      code: 2,
    });
  });
});
