import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeProjectFile } from '../documents/project-file';
import { defaultModelsDir } from '../inference/models-dir';
import { RestoreEngine } from '../restore/engine';
import { buildEngineForTests, type BuiltEngine } from '../restore/testing/build-engine';
import { scratchMaskPng, syntheticImage, tempDir } from '../restore/testing/fixtures';
import type { RestoreRequest } from '../restore/types';
import { JOURNAL_FILE, REPORT_FILE, readJournal } from './journal';
import type { BatchReport } from './report';
import type { Restorer } from './runner';
import { BatchSession } from './session';
import type { BatchSpec } from './types';

/*
 * The queue over the real engine: worker thread, ONNX model, sharp, files on
 * disk. Photos are small so the suite stays quick on two shared cores.
 */

let built: BuiltEngine;
let engine: RestoreEngine;

beforeAll(async () => {
  built = await buildEngineForTests();
  engine = new RestoreEngine({ modelsDir: defaultModelsDir(), device: 'cpu', workerPath: built.worker });
}, 120_000);
afterAll(async () => {
  await engine?.close();
  await built?.dispose();
});

/** The engine, counting how often each photo was handed to it. */
function counting(): Restorer & { readonly runs: Map<string, number> } {
  const runs = new Map<string, number>();
  return {
    runs,
    run(request: RestoreRequest, onProgress) {
      runs.set(request.imagePath, (runs.get(request.imagePath) ?? 0) + 1);
      return engine.run(request, onProgress);
    },
  };
}

async function sha(file: string): Promise<string> {
  return createHash('sha256').update(await readFile(file)).digest('hex');
}

async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true, recursive: true })) if (e.isFile()) out.push(path.relative(dir, path.join(e.parentPath, e.name)));
  return out.sort();
}

describe('batch queue on the real engine', () => {
  it('restores every good photo of a nested folder exactly once; bad files are reported; originals stay byte-identical', async () => {
    const root = await tempDir('patina-batch-');
    const input = path.join(root, 'scans');
    await mkdir(path.join(input, 'album', '1962'), { recursive: true });
    const photos: string[] = [];
    for (let i = 1; i <= 20; i++) {
      const rel = i <= 14 ? `scan_${i}.jpg` : i <= 17 ? `album/p${i}.png` : `album/1962/p${i}.jpg`;
      const file = path.join(input, rel);
      const image = syntheticImage(64, 48, 3, 8);
      await (rel.endsWith('.png') ? image.png() : image.jpeg()).toFile(file);
      photos.push(file);
    }
    await writeFile(path.join(input, 'corrupt.jpg'), Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(300, 7)]));
    await writeFile(path.join(input, 'Thumbs.db'), 'windows thumbnail cache');
    await writeFile(path.join(input, 'album', 'notes.txt'), 'Summer 1962');
    const mask = path.join(root, 'scratch.png');
    await sharp(await scratchMaskPng(64, 48)).toFile(mask);
    const before = new Map(await Promise.all([...photos, path.join(input, 'corrupt.jpg')].map(async (p) => [p, await sha(p)] as const)));

    const out = path.join(root, 'restored');
    const spec: BatchSpec = {
      input: { kind: 'folder', dir: input, recursive: true },
      masks: { kind: 'file', path: mask },
      output: { dir: out, template: '{stem}.{ext}', format: 'same', collision: 'skip' },
      options: {},
    };
    const restorer = counting();
    const session = await BatchSession.open(spec, { restorer });
    expect(session.resumed).toBe(false);
    expect(await session.start()).toBe('finished');
    await session.close();

    const items = session.runner.items;
    expect(items.filter((i) => i.state === 'done').map((i) => i.source).sort()).toEqual([...photos].sort());
    for (const p of photos) expect(restorer.runs.get(p), p).toBe(1);
    const corrupt = items.find((i) => i.rel === 'corrupt.jpg')!;
    expect(corrupt).toMatchObject({ state: 'failed', error: { code: 'IMAGE_UNREADABLE' } });
    expect(items.filter((i) => i.state === 'skipped').map((i) => i.rel).sort()).toEqual(['Thumbs.db', 'album/notes.txt']);
    for (const [p, hash] of before) expect(await sha(p), p).toBe(hash);

    // The sub-folder tree is mirrored; nothing but outputs, journal and report is left behind.
    const expected = photos.map((p) => path.relative(input, p));
    expect(await filesUnder(out)).toEqual([...expected, JOURNAL_FILE, REPORT_FILE].sort());
    const report = JSON.parse(await readFile(path.join(out, REPORT_FILE), 'utf8')) as BatchReport;
    expect(report).toMatchObject({ state: 'finished', runs: 1, counts: { total: 23, done: 20, failed: 1, skipped: 2, queued: 0, running: 0 } });
    expect(report.failures).toEqual([
      { file: path.join(input, 'corrupt.jpg'), code: 'IMAGE_UNREADABLE', message: expect.stringMatching(/corrupt\.jpg/), detail: expect.stringMatching(/JPEG/) },
    ]);
    expect(report.totalMs).toBeGreaterThan(0);
    const restoredPixels = await sharp(path.join(out, 'album', '1962', 'p20.jpg')).metadata();
    expect([restoredPixels.width, restoredPixels.height, restoredPixels.format]).toEqual([64, 48, 'jpeg']);

    // The same batch again: nothing finished is redone, only the failed photo is tried again.
    const mtimes = await Promise.all(photos.map(async (p) => (await stat(path.join(out, path.relative(input, p)))).mtimeMs));
    const again = counting();
    const second = await BatchSession.open(spec, { restorer: again });
    expect(second.resumed).toBe(true);
    expect(await second.start()).toBe('finished');
    await second.close();
    expect([...again.runs.keys()]).toEqual([path.join(input, 'corrupt.jpg')]);
    expect(await Promise.all(photos.map(async (p) => (await stat(path.join(out, path.relative(input, p)))).mtimeMs))).toEqual(mtimes);
    const journal = (await readJournal(out))!;
    expect(journal).toMatchObject({ runs: 2, finished: true });
    expect(journal.items.filter((i) => i.state === 'done').every((i) => i.doneInRun === 1)).toBe(true);
  }, 120_000);

  it("overlaps a neighbour's decode and encode with the model, never two inferences at once", async () => {
    const dir = await tempDir('patina-batch-');
    const mask = path.join(dir, 'mask.png');
    await sharp(await scratchMaskPng(320, 240, 5)).toFile(mask);
    const log: string[] = [];
    const handles = ['a', 'b'].map((name) => ({ name, file: path.join(dir, `${name}.png`) }));
    for (const h of handles) await syntheticImage(320, 240, 3, 8).png().toFile(h.file);
    const runs = handles.map(({ name, file }) =>
      engine.run(
        { imagePath: file, mask: { kind: 'file', path: mask }, output: { kind: 'file', path: path.join(dir, `${name}-out.png`), ifExists: 'fail' } },
        (e) => {
          if (e.done === 0 || e.done === e.total) log.push(`${name}:${e.stage}:${e.done === 0 ? 'start' : 'end'}`);
        },
      ).result.then(() => log.push(`${name}:finished`)),
    );
    await Promise.all(runs);
    const at = (entry: string) => {
      const i = log.indexOf(entry);
      expect(i, `${entry} in ${log.join(' ')}`).toBeGreaterThanOrEqual(0);
      return i;
    };
    // Whichever photo decoded first goes into the model first.
    const [first, second] = at('a:inpaint:start') < at('b:inpaint:start') ? ['a', 'b'] : ['b', 'a'];
    // The second decodes while the first is still being restored, and its inference waits for the first's to end ...
    expect(at(`${second}:decode:start`)).toBeLessThan(at(`${first}:inpaint:end`));
    expect(at(`${second}:inpaint:start`)).toBeGreaterThan(at(`${first}:inpaint:end`));
    // ... and runs while the first is still being encoded.
    expect(at(`${second}:inpaint:start`)).toBeLessThan(at(`${first}:finished`));
  }, 60_000);

  it('converts the format, names outputs by template, and takes masks saved from the editor', async () => {
    const root = await tempDir('patina-batch-');
    const input = path.join(root, 'in');
    await mkdir(input);
    for (const name of ['kept.png', 'unmarked.png']) await syntheticImage(64, 48, 3, 8).png().toFile(path.join(input, name));
    // The editor saved a project for one photo only.
    const file = path.join(input, 'kept.png');
    const s = await stat(file);
    await writeProjectFile(path.join(input, 'kept.patina'), {
      savedAt: new Date().toISOString(),
      photo: { path: file, relativePath: 'kept.png', name: 'kept.png', width: 64, height: 48, fileBytes: s.size, mtimeMs: s.mtimeMs },
      state: {
        layers: [
          { id: 'scratches', name: 'Scratches', color: '#ff3355', visible: true, locked: false },
          { id: 'hidden', name: 'Hidden', color: '#3355ff', visible: false, locked: false },
        ],
        activeLayerId: 'scratches',
        overlayOpacity: 0.5,
        restoreRuns: 0,
      },
      masks: new Map([
        ['scratches', await scratchMaskPng(64, 48)],
        ['hidden', await sharp({ create: { width: 64, height: 48, channels: 3, background: '#ffffff' } }).png().toBuffer()],
      ]),
      headImageFile: null,
    });
    const out = path.join(root, 'out');
    const session = await BatchSession.open(
      {
        input: { kind: 'folder', dir: input, recursive: false },
        masks: { kind: 'sidecar' },
        output: { dir: out, template: '{stem}_restored.{ext}', format: 'webp', quality: 80, collision: 'skip' },
        options: {},
      },
      { restorer: engine },
    );
    expect(await session.start()).toBe('finished');
    await session.close();
    const [kept, unmarked, sidecar] = session.runner.items;
    expect(kept).toMatchObject({ state: 'done', output: path.join(out, 'kept_restored.webp') });
    expect(unmarked).toMatchObject({ state: 'failed', error: { code: 'MASK_UNREADABLE', message: expect.stringMatching(/No mask saved from the editor for unmarked\.png/) } });
    expect(sidecar).toMatchObject({ rel: 'kept.patina', state: 'skipped' });
    expect((await sharp(kept!.output!).metadata()).format).toBe('webp');
    // Only the visible layer was filled: the hidden all-white layer would have changed every pixel.
    const a = await sharp(file).raw().toBuffer();
    const b = await sharp(kept!.output!).raw().toBuffer();
    let same = 0;
    for (let i = 0; i < a.length; i++) if (Math.abs(a[i]! - b[i]!) <= 12) same++;
    expect(same / a.length).toBeGreaterThan(0.8);
  }, 60_000);
});
