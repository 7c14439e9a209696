import { spawnSync } from 'node:child_process';
import { readdir, utimes, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../restore/testing/fixtures';
import { LOCK_FILE, lockOutputFolder } from './lock';

/** The pid of a process that has already exited (so a lock naming it is stale). */
function deadPid(): number {
  return spawnSync(process.execPath, ['-e', '0']).pid!;
}

async function staleLock(dir: string): Promise<void> {
  await writeFile(path.join(dir, LOCK_FILE), JSON.stringify({ pid: deadPid(), host: hostname(), since: '2020-01-01T00:00:00Z' }));
}

describe('lockOutputFolder', () => {
  it('lets exactly one of two starts take over a stale lock', async () => {
    for (let round = 0; round < 5; round++) {
      const dir = await tempDir('patina-lock-');
      await staleLock(dir);
      const results = await Promise.allSettled([lockOutputFolder(dir), lockOutputFolder(dir)]);
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      const refused = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
      expect(String(refused.reason)).toMatch(/Another batch .* is writing to/);
      for (const r of results) if (r.status === 'fulfilled') await r.value.release();
      expect(await readdir(dir)).toEqual([]);
    }
  });

  it('does not take a lock that exists but is still being written; an old empty one is stale', async () => {
    const dir = await tempDir('patina-lock-');
    await writeFile(path.join(dir, LOCK_FILE), '');
    await expect(lockOutputFolder(dir)).rejects.toThrow(/Another batch is starting/);
    const old = new Date(Date.now() - 60_000);
    await utimes(path.join(dir, LOCK_FILE), old, old);
    const lock = await lockOutputFolder(dir);
    await lock.release();
  });

  it('refuses while the owner runs and takes over once it is gone', async () => {
    const dir = await tempDir('patina-lock-');
    const held = await lockOutputFolder(dir);
    await expect(lockOutputFolder(dir)).rejects.toThrow(/this app/);
    await held.release();
    await staleLock(dir);
    await (await lockOutputFolder(dir)).release();
  });
});
