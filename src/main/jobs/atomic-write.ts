import { randomBytes } from 'node:crypto';
import { access, link, open, rename, unlink } from 'node:fs/promises';
import path from 'node:path';
import { EngineError } from '../errors/engine-error';

export type IfExists = 'fail' | 'overwrite';

const TEMP_SUFFIX = '.patina-tmp';
const TEMP_NAME = /^\..+\.[0-9a-f]{12}\.patina-tmp$/;

/**
 * True for the name of a temporary file writeAtomically makes. Only a killed
 * process leaves one behind; the batch queue removes them when it resumes.
 */
export function isAtomicTempName(name: string): boolean {
  return TEMP_NAME.test(name);
}

/**
 * Writes a file through a temporary sibling and moves it into place only once
 * it is complete. The temporary file lives in the destination folder so the
 * final step is a same-filesystem rename (atomic); a failure or cancellation
 * at any point removes it, so no partial output is ever left behind and an
 * existing file (the original photo included) is replaced only by a whole one.
 * The file is flushed to disk before the rename and the folder after it, so a
 * power cut cannot leave a renamed but empty file behind.
 *
 * @param write produces the complete file at the given temporary path.
 * @param beforeCommit last chance to abandon (e.g. a cancellation check).
 */
export async function writeAtomically(
  dest: string,
  ifExists: IfExists,
  write: (tmpPath: string) => Promise<void>,
  beforeCommit: () => void = () => {},
): Promise<void> {
  if (ifExists === 'fail' && (await exists(dest))) {
    throw new EngineError('OUTPUT_EXISTS', `Output file already exists: ${dest}`);
  }
  const tmp = path.join(path.dirname(dest), `.${path.basename(dest)}.${randomBytes(6).toString('hex')}${TEMP_SUFFIX}`);
  try {
    try {
      await write(tmp);
    } catch (err) {
      if (err instanceof EngineError) throw err;
      throw new EngineError('OUTPUT_FAILED', `Cannot write ${dest}: ${err instanceof Error ? err.message.trim() : err}`);
    }
    await syncFile(tmp, dest);
    beforeCommit();
    if (ifExists === 'overwrite') await rename(tmp, dest);
    else await linkNoClobber(tmp, dest);
    await syncFolder(path.dirname(dest));
  } finally {
    await unlink(tmp).catch(() => {});
  }
}

async function syncFile(file: string, dest: string): Promise<void> {
  try {
    await flush(file, 'r+');
  } catch (err) {
    throw new EngineError('OUTPUT_FAILED', `Cannot save ${dest} to disk: ${err instanceof Error ? err.message.trim() : err}`);
  }
}

/** Makes the rename itself durable. Folders cannot be opened or flushed on every system (Windows): best effort there. */
async function syncFolder(dir: string): Promise<void> {
  // The file is already whole on disk; at worst the rename's durability is left to the OS.
  await flush(dir, 'r').catch(() => {});
}

/** fsync: what was written to `p` reaches the disk before this resolves. */
async function flush(p: string, flags: 'r' | 'r+'): Promise<void> {
  const fh = await open(p, flags);
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/** Moves tmp to dest unless dest exists, without a check-then-rename race where links work. */
async function linkNoClobber(tmp: string, dest: string): Promise<void> {
  try {
    await link(tmp, dest);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') throw new EngineError('OUTPUT_EXISTS', `Output file already exists: ${dest}`);
    // Some filesystems (FAT, some network shares) have no hard links.
    if (code === 'EPERM' || code === 'ENOTSUP' || code === 'EXDEV' || code === 'EMLINK') {
      if (await exists(dest)) throw new EngineError('OUTPUT_EXISTS', `Output file already exists: ${dest}`);
      await rename(tmp, dest);
      return;
    }
    throw new EngineError('OUTPUT_FAILED', `Cannot move output into place at ${dest}: ${(err as Error).message}`);
  }
}

export async function exists(p: string): Promise<boolean> {
  try {
    await access(p);
    return true;
  } catch {
    return false;
  }
}
