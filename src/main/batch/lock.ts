import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { constants } from 'node:fs';
import { copyFile, link, readFile, stat, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fsDetail, fsReason } from '../jobs/fs-errors';
import { BatchSetupError } from './plan';

export const LOCK_FILE = '.patina-batch.lock';
/** Held for the few milliseconds it takes to replace a stale lock, so two starts cannot both replace it. */
const BREAK_FILE = `${LOCK_FILE}.break`;
/** A lock or break file younger than this that cannot be read is a start in progress, not a crash. */
const YOUNG_MS = 10_000;

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
 * run must not clean each other's temporary files or race for names).
 *
 * The lock file is written whole under a private name and hard-linked into
 * place, so it never exists half-written and only one start can create it.
 * A lock whose owner no longer runs on this machine (killed) is replaced,
 * but only under the break file and only if it is still the very file judged
 * stale (same inode): two starts that both see a dead owner cannot both win.
 */
export async function lockOutputFolder(dir: string): Promise<FolderLock> {
  const file = path.join(dir, LOCK_FILE);
  const mine = path.join(dir, `${LOCK_FILE}.${process.pid}.${randomBytes(6).toString('hex')}`);
  const owner: LockOwner = { pid: process.pid, host: hostname(), since: new Date().toISOString() };
  try {
    await writeFile(mine, JSON.stringify(owner), { flag: 'wx' });
  } catch (err) {
    throw new BatchSetupError(`Cannot write to the output folder ${dir}: ${fsReason(err)}`, 'io', fsDetail(err));
  }
  try {
    for (let attempt = 0; attempt < 50; attempt++) {
      if (await linkNew(mine, file)) return heldLock(file);
      const seen = await inspect(file);
      if (seen === null) continue; // gone meanwhile: try again
      if (seen.verdict === 'busy') throw busyError(dir, seen.owner);
      if (seen.verdict === 'stale') await replaceStale(dir, file, seen.ino, mine);
    }
    throw new BatchSetupError(`Cannot lock ${dir} for the batch; another batch keeps taking it`, 'io');
  } finally {
    await unlink(mine).catch(() => {});
  }
}

function heldLock(file: string): FolderLock {
  let released = false;
  return {
    release: async () => {
      if (released) return;
      released = true;
      await unlink(file).catch(() => {});
    },
  };
}

/** Creates `dest` as a link to the finished `src`; false when `dest` exists. */
async function linkNew(src: string, dest: string): Promise<boolean> {
  try {
    await link(src, dest);
    return true;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return false;
    // Some filesystems (FAT, some network shares) have no hard links: an exclusive copy is the next best.
    if (code === 'EPERM' || code === 'ENOTSUP' || code === 'ENOSYS' || code === 'EMLINK') {
      return copyFile(src, dest, constants.COPYFILE_EXCL).then(
        () => true,
        (e: NodeJS.ErrnoException) => (e.code === 'EEXIST' ? false : Promise.reject(e)),
      );
    }
    throw new BatchSetupError(`Cannot lock the output folder ${path.dirname(dest)}: ${fsReason(err)}`, 'io', fsDetail(err));
  }
}

interface Seen {
  readonly verdict: 'busy' | 'stale';
  readonly ino: number;
  /** null: unreadable (being written by something that does not write whole files, or left empty by a crash). */
  readonly owner: LockOwner | null;
}

async function inspect(file: string): Promise<Seen | null> {
  let s;
  let text;
  try {
    s = await stat(file);
    text = await readFile(file, 'utf8');
  } catch {
    return null;
  }
  const owner = parseOwner(text);
  if (owner) return { verdict: isAlive(owner) ? 'busy' : 'stale', ino: s.ino, owner };
  return { verdict: Date.now() - s.mtimeMs < YOUNG_MS ? 'busy' : 'stale', ino: s.ino, owner: null };
}

/** Removes the stale lock if it is still the file judged stale, holding the break file meanwhile. */
async function replaceStale(dir: string, file: string, staleIno: number, mine: string): Promise<void> {
  const breaker = path.join(dir, BREAK_FILE);
  if (!(await linkNew(mine, breaker))) {
    // Another start is replacing it right now; a break file left by a crash is old.
    const s = await stat(breaker).catch(() => null);
    if (s && Date.now() - s.mtimeMs >= YOUNG_MS) await unlink(breaker).catch(() => {});
    await new Promise((r) => setTimeout(r, 20));
    return;
  }
  try {
    const now = await stat(file).catch(() => null);
    if (now && now.ino === staleIno) await unlink(file).catch(() => {});
  } finally {
    await unlink(breaker).catch(() => {});
  }
}

function busyError(dir: string, owner: LockOwner | null): BatchSetupError {
  if (!owner) return new BatchSetupError(`Another batch is starting in ${dir}; wait for it, or choose another output folder`, 'io');
  const who = owner.pid === process.pid ? 'this app' : `process ${owner.pid}${owner.host === hostname() ? '' : ` on ${owner.host}`}`;
  return new BatchSetupError(`Another batch (${who}) is writing to ${dir}; wait for it, or choose another output folder`, 'io');
}

function parseOwner(text: string): LockOwner | null {
  try {
    const data = JSON.parse(text) as LockOwner;
    return typeof data.pid === 'number' && typeof data.host === 'string' ? data : null;
  } catch {
    return null;
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
