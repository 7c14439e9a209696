import { mkdir, mkdtemp, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBuiltCli } from '../restore/testing/build-engine';
import { buildDefectsForTests, type BuiltDefects } from './testing/build-worker';
import { compare, gradientRgb, paintStroke, writeLineScratchedFrame } from './testing/fixtures';

let built: BuiltDefects;
let root: string;
let truth: Uint8Array;

const patina = (args: string[]) => runBuiltCli(built.cli, args, root);

beforeAll(async () => {
  built = await buildDefectsForTests();
  root = await mkdtemp(path.join(tmpdir(), 'patina-detect-cli-'));
  await mkdir(path.join(root, 'in'));
  const img = gradientRgb(200, 150);
  truth = paintStroke(img, [10, 15], [190, 130], 2, 245, 0.9);
  await sharp(img.data, { raw: { width: 200, height: 150, channels: 3 } }).jpeg({ quality: 95 }).toFile(path.join(root, 'in', 'scratched.jpg'));
  const clean = gradientRgb(200, 150);
  await sharp(clean.data, { raw: { width: 200, height: 150, channels: 3 } }).png().toFile(path.join(root, 'in', 'clean.png'));
  await writeFile(path.join(root, 'in', 'broken.tif'), 'not a TIFF at all');
}, 120_000);
afterAll(() => built?.dispose());

describe('patina detect', () => {
  it('writes <stem>.png masks (white = damage) for a folder; a broken photo fails alone with exit 1', async () => {
    // Exact geometry on synthetic gradients: the classical detector (the learned default is scored in training/defects).
    const r = await patina(['detect', '--image', 'in', '--output', 'masks', '--json', '--method', 'classical']);
    expect(r.code).toBe(1);
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    const items = lines.filter((l) => l['type'] === 'item');
    expect(items.map((i) => [path.basename(String(i['image'])), i['status']])).toEqual([
      ['broken.tif', 'failed'],
      ['clean.png', 'detected'],
      ['scratched.jpg', 'detected'],
    ]);
    expect(items[0]).toMatchObject({ error: { code: 'IMAGE_UNREADABLE' } });
    expect(lines.at(-1)).toMatchObject({ type: 'summary', total: 3, detected: 2, failed: 1, sensitivity: 0.5, method: 'classical' });
    expect((await readdir(path.join(root, 'masks'))).sort()).toEqual(['clean.png', 'scratched.png']);

    const mask = await sharp(path.join(root, 'masks', 'scratched.png')).extractChannel(0).raw().toBuffer({ resolveWithObject: true });
    expect([mask.info.width, mask.info.height]).toEqual([200, 150]);
    const c = compare(new Uint8Array(mask.data), truth, 200, 150);
    expect(c.recall).toBeGreaterThan(0.8);
    expect(c.farFromTruth).toBe(0);
    const clean = await sharp(path.join(root, 'masks', 'clean.png')).extractChannel(0).raw().toBuffer();
    expect(clean.every((v) => v === 0)).toBe(true);
  });

  it('keeps existing masks unless --overwrite, and takes --sensitivity', async () => {
    const again = await patina(['detect', '--image', 'in/scratched.jpg', '--output', 'masks']);
    expect(again.code).toBe(1);
    expect(again.stdout).toMatch(/already exists.*--overwrite/);
    const over = await patina(['detect', '--image', 'in/scratched.jpg', '--output', 'masks', '--overwrite', '--sensitivity', '0.8']);
    expect(over.code).toBe(0);
    expect(over.stdout).toMatch(/scratched\.jpg: \d+\.\d+ % flagged/);
  });

  it('refuses to write a mask over the photo it came from', async () => {
    const r = await patina(['detect', '--image', 'in/clean.png', '--output', 'in', '--overwrite', '--json']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/would replace the original .*clean\.png.*originals are never replaced/);
  });

  it('answers usage mistakes with exit 2', async () => {
    const cases: [string[], RegExp][] = [
      [['detect', '--image', 'in'], /--output is required/],
      [['detect', '--image', 'in', '--output', 'm', '--sensitivity', '1.5'], /--sensitivity must be a number from 0 to 1/],
      [['detect', '--image', 'in', '--output', 'm', '--mask', 'x.png'], /does not take --mask/],
      [['detect', '--image', 'missing', '--output', 'm'], /does not exist/],
      [['run', '--image', 'in', '--mask', 'x.png', '--output', 'm', '--sensitivity', '0.5'], /use them with --auto-mask/],
      [['run', '--image', 'in', '--auto-mask', '--output', 'm', '--sensitivity', 'high'], /--sensitivity must be a number from 0 to 1/],
      [['run', '--image', 'in', '--auto-mask', '--output', 'm', '--method', 'magic'], /--method must be one of/],
      [['detect', '--image', 'in', '--output', 'm', '--medium', 'negative'], /--medium must be one of print, film; got "negative"/],
      [['run', '--image', 'in', '--auto-mask', '--output', 'm', '--medium', 'glass'], /--medium must be one of print, film/],
      [['run', '--image', 'in', '--mask', 'x.png', '--output', 'm', '--medium', 'film'], /use them with --auto-mask/],
    ];
    for (const [args, message] of cases) {
      const r = await patina(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(message);
    }
  });
});

/** Share of rows 70..569 of the frame with a flagged pixel within 2 px of column x. */
function rowsFlaggedNear(mask: Uint8Array, x: number): number {
  let rows = 0;
  for (let y = 70; y < 570; y++) {
    let hit = false;
    for (let dx = -2; dx <= 3; dx++) if (mask[y * 480 + x + dx]) hit = true;
    if (hit) rows++;
  }
  return rows / 500;
}

describe('--medium film', () => {
  it('patina detect finds film line scratches only when told the photos are film', async () => {
    await mkdir(path.join(root, 'film'));
    const columns = await writeLineScratchedFrame(path.join(root, 'film', 'frame.png'));
    const read = async (dir: string) => new Uint8Array(await sharp(path.join(root, dir, 'frame.png')).extractChannel(0).raw().toBuffer());

    const asPrint = await patina(['detect', '--image', 'film', '--output', 'as-print', '--method', 'classical']);
    expect(asPrint.code, asPrint.stderr).toBe(0);
    const printMask = await read('as-print');
    for (const x of columns) expect(rowsFlaggedNear(printMask, x)).toBeLessThan(0.1);

    const asFilm = await patina(['detect', '--image', 'film', '--output', 'as-film', '--method', 'classical', '--medium', 'film', '--json']);
    expect(asFilm.code, asFilm.stderr).toBe(0);
    expect(asFilm.stdout).toMatch(/"medium":"film"/);
    const filmMask = await read('as-film');
    for (const x of columns) expect(rowsFlaggedNear(filmMask, x)).toBeGreaterThan(0.8);
    // Nothing but the two lines: at most 5 px wide along their 500 rows (and the gaps they bridge).
    expect(filmMask.reduce((n, v) => n + (v ? 1 : 0), 0)).toBeLessThan(2 * 5 * 520);
  });

  it('patina run --auto-mask --medium film restores them; as a print there is nothing to restore', async () => {
    await mkdir(path.join(root, 'film-run'));
    const input = path.join(root, 'film-run', 'frame.png');
    const columns = await writeLineScratchedFrame(input);
    const run = (out: string, ...extra: string[]) => patina(['run', '--image', input, '--auto-mask', '--method', 'classical', ...extra, '--output', path.join(root, out), '--device', 'cpu']);
    const asPrint = await run('film-print');
    expect(asPrint.code).toBe(1);
    expect(asPrint.stdout).toMatch(/Damage detection found nothing to restore/);
    const asFilm = await run('film-film', '--medium', 'film');
    expect(asFilm.code, asFilm.stderr).toBe(0);
    const before = await sharp(input).extractChannel(1).raw().toBuffer();
    const after = await sharp(path.join(root, 'film-film', 'frame.png')).extractChannel(1).raw().toBuffer();
    // The bright line comes down towards its surroundings.
    let lineBefore = 0;
    let lineAfter = 0;
    for (let y = 100; y < 540; y++) {
      lineBefore += before[y * 480 + columns[0]!]!;
      lineAfter += after[y * 480 + columns[0]!]!;
    }
    expect(lineAfter / 440).toBeLessThan(lineBefore / 440 - 4);
  });
});

describe('patina run --auto-mask', () => {
  it('restores a scratched photo where the detector found damage and nowhere else', async () => {
    const img = gradientRgb(200, 150);
    const stroke = paintStroke(img, [10, 15], [190, 130], 2, 245, 0.9);
    await mkdir(path.join(root, 'auto'));
    const input = path.join(root, 'auto', 'photo.png');
    await sharp(img.data, { raw: { width: 200, height: 150, channels: 3 } }).png().toFile(input);
    const out = path.join(root, 'restored');
    const r = await patina(['run', '--image', input, '--auto-mask', '--method', 'classical', '--output', out, '--json', '--device', 'cpu']);
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.some((l) => l['type'] === 'progress' && l['stage'] === 'detect')).toBe(true);
    expect(lines.find((l) => l['type'] === 'item')).toMatchObject({ status: 'restored' });

    const after = await sharp(path.join(out, 'photo.png')).removeAlpha().raw().toBuffer();
    let changedFar = 0;
    let strokeBefore = 0;
    let strokeAfter = 0;
    let strokePixels = 0;
    for (let y = 0; y < 150; y++) {
      for (let x = 0; x < 200; x++) {
        const i = y * 200 + x;
        const same = [0, 1, 2].every((c) => after[i * 3 + c] === img.data[i * 3 + c]);
        let near = false;
        for (let dy = -3; dy <= 3 && !near; dy++) for (let dx = -3; dx <= 3; dx++) if (stroke[(y + dy) * 200 + x + dx]) near = true;
        if (!same && !near) changedFar++;
        if (stroke[i]) {
          strokePixels++;
          strokeBefore += img.data[i * 3 + 1]!;
          strokeAfter += after[i * 3 + 1]!;
        }
      }
    }
    expect(changedFar).toBe(0);
    // The bright scratch is filled with the darker gradient around it.
    expect(strokeAfter / strokePixels).toBeLessThan(strokeBefore / strokePixels - 40);
  });

  it('passes --sensitivity to the detector: a faint scratch is left alone at 0 and restored at 1', async () => {
    const img = gradientRgb(200, 150);
    paintStroke(img, [15, 140], [185, 20], 1, 200, 0.25);
    await mkdir(path.join(root, 'faint'));
    const input = path.join(root, 'faint', 'photo.png');
    await sharp(img.data, { raw: { width: 200, height: 150, channels: 3 } }).png().toFile(input);
    const run = (sensitivity: string) =>
      patina(['run', '--image', input, '--auto-mask', '--method', 'classical', '--sensitivity', sensitivity, '--output', path.join(root, `faint-${sensitivity}`), '--device', 'cpu']);

    const low = await run('0');
    expect(low.code).toBe(1);
    expect(low.stdout).toMatch(/Damage detection found nothing to restore in .*photo\.png at sensitivity 0; raise the sensitivity/);
    const high = await run('1');
    expect(high.code, high.stderr).toBe(0);
    const after = await sharp(path.join(root, 'faint-1', 'photo.png')).removeAlpha().raw().toBuffer();
    let changed = 0;
    for (let i = 0; i < after.length; i++) if (after[i] !== img.data[i]) changed++;
    expect(changed).toBeGreaterThan(100);
  });
});
