import { hostname } from 'node:os';
import { open, readFile, unlink } from 'node:fs/promises';
import path from 'node:path';
import { BatchSetupError } from './plan';

export const LOCK_FILE = '.patina-batch.lock';

interface LockOwner {
  readonly pid: number;
  readonly host: string;
  readonly since: string;
}

export interface FolderLock {
  release(): Promise<void>;
}

/**
 * One batch per output folder at a time, across processes (the app and a CLI
 * run must not clean each other's temporary files or race for names). The
 * lock is a file created exclusively; a lock left by a process that no longer
 * runs (killed) on this machine is taken over.
 */
export async function lockOutputFolder(dir: string): Promise<FolderLock> {
  const file = path.join(dir, LOCK_FILE);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fh = await open(file, 'wx');
      const owner: LockOwner = { pid: process.pid, host: hostname(), since: new Date().toISOString() };
      await fh.writeFile(JSON.stringify(owner));
      await fh.close();
      let released = false;
      return {
        release: async () => {
          if (released) return;
          released = true;
          await unlink(file).catch(() => {});
        },
      };
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== 'EEXIST') throw new BatchSetupError(`Cannot write to the output folder ${dir}: ${code ?? (err as Error).message}`);
    }
    const owner = await readOwner(file);
    if (owner && isAlive(owner)) {
      const who = owner.pid === process.pid ? 'this app' : `process ${owner.pid}${owner.host === hostname() ? '' : ` on ${owner.host}`}`;
      throw new BatchSetupError(`Another batch (${who}) is writing to ${dir}; wait for it, or choose another output folder`);
    }
    await unlink(file).catch(() => {});
  }
  throw new BatchSetupError(`Cannot lock ${dir} for the batch; another batch keeps taking it`);
}

async function readOwner(file: string): Promise<LockOwner | null> {
  try {
    const data = JSON.parse(await readFile(file, 'utf8')) as LockOwner;
    return typeof data.pid === 'number' && typeof data.host === 'string' ? data : null;
  } catch {
    return null; // half-written by a process killed mid-create: stale
  }
}

/** A lock from another machine cannot be checked and is respected; on this one, the process must exist. */
function isAlive(owner: LockOwner): boolean {
  if (owner.host !== hostname()) return true;
  try {
    process.kill(owner.pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
