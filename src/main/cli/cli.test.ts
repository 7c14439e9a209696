import { mkdir, readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildEngineForTests, runBuiltCli, type BuiltEngine } from '../restore/testing/build-engine';
import { scratchMaskPng, syntheticImage, tempDir } from '../restore/testing/fixtures';

let built: BuiltEngine;
let root: string;

const patina = (args: string[]) => runBuiltCli(built.cli, args, root);

const jsonLines = (stdout: string) => stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);

beforeAll(async () => {
  built = await buildEngineForTests();
  root = await tempDir('patina-cli-');
  await mkdir(path.join(root, 'in'));
  await mkdir(path.join(root, 'masks'));
  await syntheticImage(96, 64, 3, 8).jpeg().toFile(path.join(root, 'in', 'alpha.jpg'));
  await syntheticImage(96, 64, 3, 8).png().toFile(path.join(root, 'in', 'beta.png'));
  await syntheticImage(96, 64, 3, 8).png().toFile(path.join(root, 'in', 'gamma.png'));
  const mask = await scratchMaskPng(96, 64);
  await sharp(mask).toFile(path.join(root, 'masks', 'alpha_mask.png'));
  await sharp(mask).toFile(path.join(root, 'masks', 'beta.png'));
  await sharp(mask).toFile(path.join(root, 'one-mask.png'));
  // A tear 30 x 24 px: wide enough for detail transfer, unlike the scratch.
  const box = new Uint8Array(96 * 64);
  for (let y = 20; y < 44; y++) box.fill(255, y * 96 + 30, y * 96 + 60);
  await sharp(box, { raw: { width: 96, height: 64, channels: 1 } }).png().toFile(path.join(root, 'box-mask.png'));
}, 60_000);
afterAll(() => built?.dispose());

describe('patina run', () => {
  it('pairs masks by stem, lists each failure with its reason, and exits 1 when some failed', async () => {
    const out = path.join(root, 'out-pairs');
    const r = await patina(['run', '--image', 'in', '--mask', 'masks', '--output', out, '--device', 'cpu']);
    expect(r.code).toBe(1);
    // A folder runs as a batch: its journal and report sit beside the outputs.
    expect((await readdir(out)).sort()).toEqual(['.patina-batch.json', 'alpha.jpg', 'beta.png', 'patina-report.json']);
    expect(r.stdout).toMatch(/execution provider: cpu/);
    expect(r.stdout).toMatch(/FAILED gamma\.png: No mask for gamma\.png/);
    expect(r.stdout).toMatch(/2 restored, 0 skipped, 1 failed/);
    expect((await sharp(path.join(out, 'alpha.jpg')).metadata()).format).toBe('jpeg');
  });

  it('--json prints one object per line: engine, progress events, items and a summary', async () => {
    const out = path.join(root, 'out-json');
    const r = await patina(['run', '--image', 'in', '--mask', 'one-mask.png', '--output', out, '--json']);
    expect(r.code).toBe(0);
    const lines = jsonLines(r.stdout);
    expect(lines[0]).toMatchObject({ type: 'engine', provider: 'cpu' });
    const progress = lines.filter((l) => l.type === 'progress');
    expect(progress.length).toBeGreaterThanOrEqual(3 * 3);
    for (const p of progress) {
      expect(p).toEqual({
        type: 'progress',
        image: expect.any(String),
        jobId: expect.any(String),
        stage: expect.stringMatching(/^(decode|detect|inpaint|encode)$/),
        done: expect.any(Number),
        total: expect.any(Number),
        etaMs: p.etaMs === null ? null : expect.any(Number),
      });
    }
    expect(lines.at(-1)).toMatchObject({ type: 'summary', total: 3, restored: 3, skipped: 0, failed: 0, provider: 'cpu' });
    // What the network ran per photo: a 96x64 photo's scratch takes one 96x64 crop, the photo's own size.
    for (const item of lines.filter((l) => l.type === 'item')) expect(item).toMatchObject({ networkMegapixels: 0.01, networkPerPhoto: 1, qualityMode: 'best' });
    expect((await readdir(out)).sort()).toEqual(['.patina-batch.json', 'alpha.jpg', 'beta.png', 'gamma.png', 'patina-report.json']);
  });

  it('--quality-mode reaches the engine: fast and best fill differently, and best is the default', async () => {
    const run = async (out: string, mode?: string) => {
      const r = await patina(['run', '--image', 'in/beta.png', '--mask', 'one-mask.png', '--output', out, ...(mode ? ['--quality-mode', mode] : [])]);
      expect(r.code, r.stderr).toBe(0);
      return readFile(path.join(root, out, 'beta.png'));
    };
    const fast = await run('mode-fast', 'fast');
    const best = await run('mode-best', 'best');
    expect(Buffer.compare(fast, best)).not.toBe(0);
    expect(Buffer.compare(await run('mode-default'), best)).toBe(0);
  });

  it('--grain reaches the engine: off leaves the fill smooth, on adds grain, auto adds it to this grainy photo', async () => {
    const run = async (out: string, grain?: string) => {
      const r = await patina(['run', '--image', 'in/beta.png', '--mask', 'one-mask.png', '--output', out, '--json', ...(grain ? ['--grain', grain] : [])]);
      expect(r.code, r.stderr).toBe(0);
      const item = jsonLines(r.stdout).find((l) => l.type === 'item')!;
      return { bytes: await readFile(path.join(root, out, 'beta.png')), item };
    };
    const off = await run('grain-off', 'off');
    const on = await run('grain-on', 'on');
    expect(off.item).toMatchObject({ grain: { mode: 'off', applied: false } });
    expect(on.item).toMatchObject({ grain: { mode: 'on', applied: true, sigma: expect.any(Number) } });
    expect(Buffer.compare(off.bytes, on.bytes)).not.toBe(0);
    const auto = await run('grain-default');
    // The synthetic photo's noise (sigma ~4.4 in 8-bit units) is visible grain for 'auto'.
    expect(auto.item).toMatchObject({ grain: { mode: 'auto', applied: true } });
    expect(Buffer.compare(auto.bytes, on.bytes)).toBe(0);
    const [a, b] = await Promise.all([sharp(off.bytes).raw().toBuffer(), sharp(on.bytes).raw().toBuffer()]);
    const mask = await sharp(path.join(root, 'one-mask.png')).greyscale().raw().toBuffer();
    for (let p = 0; p < mask.length; p++) {
      if (mask[p]! > 127) continue;
      for (let c = 0; c < 3; c++) if (a[p * 3 + c] !== b[p * 3 + c]) throw new Error(`pixel ${p} outside the mask changed`);
    }
  });

  it('--texture reaches the engine and its report: on gives a wide hole detail, off leaves the fill as it was', async () => {
    const run = async (out: string, texture: string) => {
      const r = await patina(['run', '--image', 'in/beta.png', '--mask', 'box-mask.png', '--output', out, '--json', '--texture', texture]);
      expect(r.code, r.stderr).toBe(0);
      const item = jsonLines(r.stdout).find((l) => l.type === 'item')!;
      return { pixels: await sharp(path.join(root, out, 'beta.png')).raw().toBuffer(), item };
    };
    const off = await run('texture-off', 'off');
    const on = await run('texture-on', 'on');
    expect(off.item).toMatchObject({ texture: { mode: 'off', applied: false, pixels: 0 } });
    expect(on.item).toMatchObject({ texture: { mode: 'on', applied: true, pixels: expect.any(Number) } });
    const mask = await sharp(path.join(root, 'box-mask.png')).greyscale().raw().toBuffer();
    let inside = 0;
    for (let p = 0; p < mask.length; p++) {
      for (let c = 0; c < 3; c++) {
        if (off.pixels[p * 3 + c] === on.pixels[p * 3 + c]) continue;
        if (mask[p]! <= 127) throw new Error(`pixel ${p} outside the mask changed`);
        inside++;
      }
    }
    expect(inside).toBeGreaterThan(100);
  });

  it('protects existing outputs unless --overwrite or --skip-existing', async () => {
    const out = path.join(root, 'out-exists');
    const args = ['run', '--image', 'in/beta.png', '--mask', 'one-mask.png', '--output', out];
    expect((await patina(args)).code).toBe(0);
    const before = (await stat(path.join(out, 'beta.png'))).mtimeMs;
    const again = await patina(args);
    expect(again.code).toBe(1);
    expect(again.stdout).toMatch(/already exists.*--overwrite or --skip-existing/);
    const skipped = await patina([...args, '--skip-existing', '--json']);
    expect(skipped.code).toBe(0);
    expect(jsonLines(skipped.stdout).at(-1)).toMatchObject({ type: 'summary', skipped: 1 });
    expect((await stat(path.join(out, 'beta.png'))).mtimeMs).toBe(before);
    expect((await patina([...args, '--overwrite'])).code).toBe(0);
  });

  it('exits 2 on usage errors, including writing into the input folder', async () => {
    const cases: [string[], RegExp][] = [
      [['run', '--image', 'in', '--mask', 'masks'], /--output is required/],
      [['run', '--image', 'in', '--mask', 'masks', '--output', 'x', '--overwrite', '--skip-existing'], /exclude each other/],
      [['run', '--image', 'in', '--mask', 'masks', '--output', 'x', '--device', 'tpu'], /--device must be one of/],
      [['run', '--image', 'in', '--mask', 'masks', '--output', 'x', '--quality-mode', 'max'], /--quality-mode must be one of fast, best; got "max"/],
      [['detect', '--image', 'in', '--output', 'x', '--quality-mode', 'fast'], /does not take --quality-mode/],
      [['run', '--image', 'in', '--mask', 'masks', '--output', 'x', '--grain', 'heavy'], /--grain must be one of auto, on, off; got "heavy"/],
      [['detect', '--image', 'in', '--output', 'x', '--grain', 'on'], /does not take --grain/],
      [['run', '--image', 'in', '--mask', 'masks', '--output', 'x', '--texture', 'rough'], /--texture must be one of on, off; got "rough"/],
      [['detect', '--image', 'in', '--output', 'x', '--texture', 'on'], /does not take --texture/],
      [['run', '--image', 'in', '--mask', 'masks', '--output', 'in'], /is a folder the photos or masks are read from/],
      [['run', '--image', 'nowhere', '--mask', 'masks', '--output', 'x'], /does not exist/],
      [['frobnicate'], /Unknown command/],
    ];
    for (const [args, message] of cases) {
      const r = await patina(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(message);
    }
  });

  it('--auto-mask on a photo with no damage fails clearly (nothing to restore)', async () => {
    // Restoring with detected masks is tested in src/main/defects/detect-command.test.ts.
    const r = await patina(['run', '--image', 'in/beta.png', '--auto-mask', '--output', path.join(root, 'out-auto'), '--json']);
    expect(r.code).toBe(1);
    const item = jsonLines(r.stdout).find((l) => l.type === 'item')!;
    expect(item).toMatchObject({ status: 'failed', error: { code: 'MASK_EMPTY' } });
  });
});
