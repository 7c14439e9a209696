import { spawnSync } from 'node:child_process';
import { hostname } from 'node:os';
import { readdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../restore/testing/fixtures';
import { removeStaleTemps } from './journal';
import { LOCK_FILE, lockOutputFolder } from './lock';
import { reconcile, stampOf } from './reconcile';
import type { BatchItem } from './types';

function item(id: number, source: string, output: string, extra: Partial<BatchItem> = {}): BatchItem {
  return { id, source, rel: path.basename(source), mask: { kind: 'auto' }, output, state: 'queued', reason: null, error: null, ms: null, crops: null, before: null, doneInRun: null, ...extra };
}

describe('reconcile (resume after a kill)', () => {
  it('keeps finished items only where their output is really there, and settles items caught mid-write', async () => {
    const dir = await tempDir();
    const out = (n: string) => path.join(dir, n);
    await writeFile(out('done.jpg'), 'restored earlier');
    await writeFile(out('renamed-in.jpg'), 'old output');
    const before = await stampOf(out('renamed-in.jpg'));
    // The kill came right after the rename: a new file stands where the old one was.
    await writeFile(out('.tmp'), 'new output, whole');
    await rename(out('.tmp'), out('renamed-in.jpg'));
    await writeFile(out('untouched.jpg'), 'pre-existing, never replaced');
    const untouched = await stampOf(out('untouched.jpg'));

    const planned = ['done', 'deleted', 'renamed-in', 'untouched', 'fresh', 'failed'].map((n, i) => item(i, `/in/${n}.jpg`, out(`${n}.jpg`)));
    const journal = [
      item(0, '/in/done.jpg', out('done.jpg'), { state: 'done', ms: 120, crops: 2, doneInRun: 1 }),
      item(1, '/in/deleted.jpg', out('deleted.jpg'), { state: 'done', doneInRun: 1 }),
      item(2, '/in/renamed-in.jpg', out('renamed-in.jpg'), { state: 'running', before }),
      item(3, '/in/untouched.jpg', out('untouched.jpg'), { state: 'running', before: untouched }),
      item(5, '/in/failed.jpg', out('failed.jpg'), { state: 'failed', error: { code: 'IMAGE_UNREADABLE', message: 'bad' } }),
    ];
    const merged = await reconcile(planned, journal, 2);
    expect(merged.map((i) => [path.basename(i.source), i.state, i.doneInRun])).toEqual([
      ['done.jpg', 'done', 1],
      ['deleted.jpg', 'queued', null],
      ['renamed-in.jpg', 'done', 1],
      ['untouched.jpg', 'queued', null],
      ['fresh.jpg', 'queued', null],
      ['failed.jpg', 'queued', null],
    ]);
    expect(merged[0]).toMatchObject({ ms: 120, crops: 2 });
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

describe('lockOutputFolder', () => {
  it('admits one batch per folder and takes over the lock of a process that is gone', async () => {
    const dir = await tempDir();
    const lock = await lockOutputFolder(dir);
    await expect(lockOutputFolder(dir)).rejects.toThrow(/Another batch \(this app\) is writing/);
    await lock.release();

    // A lock left by a killed process: its pid no longer exists.
    const deadPid = spawnSync(process.execPath, ['-e', '0']).pid;
    await writeFile(path.join(dir, LOCK_FILE), JSON.stringify({ pid: deadPid, host: hostname(), since: new Date().toISOString() }));
    const taken = await lockOutputFolder(dir);
    await taken.release();
    expect(await readdir(dir)).toEqual([]);
  });
});
