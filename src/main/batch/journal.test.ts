import { readdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import sharp from 'sharp';
import { tempDir } from '../restore/testing/fixtures';
import { removeStaleTemps } from './journal';
import { reconcile, stampOf } from './reconcile';
import type { BatchItem } from './types';

function item(id: number, source: string, output: string, extra: Partial<BatchItem> = {}): BatchItem {
  return { id, source, rel: path.basename(source), mask: { kind: 'auto' }, output, state: 'queued', reason: null, error: null, ms: null, crops: null, before: null, doneInRun: null, ...extra };
}

describe('reconcile (resume after a kill)', () => {
  it('keeps finished items only where their output is really there and reads as an image, and settles items caught mid-write', async () => {
    const dir = await tempDir();
    const out = (n: string) => path.join(dir, n);
    const image = (shade: number) => sharp({ create: { width: 4, height: 4, channels: 3, background: { r: shade, g: shade, b: shade } } }).jpeg().toBuffer();
    await writeFile(out('done.jpg'), await image(10));
    await writeFile(out('renamed-in.jpg'), await image(20));
    const before = await stampOf(out('renamed-in.jpg'));
    // The kill came right after the rename: a new file stands where the old one was.
    await writeFile(out('.tmp'), await image(30));
    await rename(out('.tmp'), out('renamed-in.jpg'));
    await writeFile(out('untouched.jpg'), await image(40));
    // A power cut after an unflushed rename: the name is there, the bytes are not.
    await writeFile(out('empty.jpg'), '');
    await writeFile(out('torn.jpg'), 'not an image');
    const untouched = await stampOf(out('untouched.jpg'));

    const planned = ['done', 'deleted', 'renamed-in', 'untouched', 'fresh', 'failed', 'empty', 'torn'].map((n, i) => item(i, `/in/${n}.jpg`, out(`${n}.jpg`)));
    const journal = [
      item(0, '/in/done.jpg', out('done.jpg'), { state: 'done', ms: 120, crops: 2, doneInRun: 1 }),
      item(1, '/in/deleted.jpg', out('deleted.jpg'), { state: 'done', doneInRun: 1 }),
      item(2, '/in/renamed-in.jpg', out('renamed-in.jpg'), { state: 'running', before }),
      item(3, '/in/untouched.jpg', out('untouched.jpg'), { state: 'running', before: untouched }),
      item(5, '/in/failed.jpg', out('failed.jpg'), { state: 'failed', error: { code: 'IMAGE_UNREADABLE', message: 'bad' } }),
      item(6, '/in/empty.jpg', out('empty.jpg'), { state: 'done', doneInRun: 1 }),
      item(7, '/in/torn.jpg', out('torn.jpg'), { state: 'done', doneInRun: 1 }),
    ];
    const merged = await reconcile(planned, journal, 2);
    expect(merged.map((i) => [path.basename(i.source), i.state, i.doneInRun])).toEqual([
      ['done.jpg', 'done', 1],
      ['deleted.jpg', 'queued', null],
      ['renamed-in.jpg', 'done', 1],
      ['untouched.jpg', 'queued', null],
      ['fresh.jpg', 'queued', null],
      ['failed.jpg', 'queued', null],
      ['empty.jpg', 'queued', null],
      ['torn.jpg', 'queued', null],
    ]);
    expect(merged[0]).toMatchObject({ ms: 120, crops: 2 });
    // The broken outputs were this batch's own: removed, so the redo is not refused as existing.
    expect((await readdir(dir)).sort()).toEqual(['done.jpg', 'renamed-in.jpg', 'untouched.jpg']);
  });
});

describe('removeStaleTemps', () => {
  it('removes only the temporary files atomic writes leave behind', async () => {
    const dir = await tempDir();
    const names = ['.photo.jpg.0123456789ab.patina-tmp', '.patina-batch.json.a1b2c3d4e5f6.patina-tmp', 'photo.jpg', '.photo.jpg.xyz.patina-tmp', 'notes.patina-tmp'];
    for (const n of names) await writeFile(path.join(dir, n), 'x');
    const removed = await removeStaleTemps([dir, dir, path.join(dir, 'missing')]);
    expect(removed.map((r) => path.basename(r)).sort()).toEqual(['.patina-batch.json.a1b2c3d4e5f6.patina-tmp', '.photo.jpg.0123456789ab.patina-tmp']);
    expect((await readdir(dir)).sort()).toEqual(['.photo.jpg.xyz.patina-tmp', 'notes.patina-tmp', 'photo.jpg']);
  });
});
