import { stat, unlink } from 'node:fs/promises';
import sharp from 'sharp';
import { photoInputOptions } from '../imaging/decode';
import type { BatchItem, FileStamp } from './types';

/**
 * Merges a fresh plan with the journal of an unfinished run of the same batch.
 * Photos are matched by path; what the journal knows wins only where the disk
 * agrees:
 * - done, and its output still exists and reads as an image (not empty, its
 *   header decodes): stays done (never redone); an output a power cut left
 *   empty or torn is removed and redone;
 * - running when the run was killed: done if a different file now stands at
 *   its output than before it started (outputs only ever appear whole, by
 *   rename) and it reads as an image, else queued again;
 * - failed or queued: queued again (a re-run is also a retry);
 * - anything the plan settled on sight (not a photo, no mask, clash) keeps
 *   the plan's verdict, which reflects the folder as it is now.
 * `run` is the number of the run that is starting.
 */
export async function reconcile(planned: readonly BatchItem[], journal: readonly BatchItem[], run: number): Promise<BatchItem[]> {
  const previous = new Map(journal.map((i) => [i.source, i]));
  const merged: BatchItem[] = [];
  for (const item of planned) {
    const old = previous.get(item.source);
    if (item.state !== 'queued' || !old) {
      merged.push(item);
      continue;
    }
    if (old.state === 'done' && old.output && (await readsAsImage(old.output))) {
      merged.push({ ...item, output: old.output, state: 'done', ms: old.ms, crops: old.crops, doneInRun: old.doneInRun });
    } else if (old.state === 'done' && old.output && (await stampOf(old.output))) {
      // Our own output, left empty or torn by a crash: it goes, so the redo is not refused as "already exists".
      await unlink(old.output).catch(() => {});
      merged.push(item);
    } else if (old.state === 'running' && old.output && differs(await stampOf(old.output), old.before) && (await readsAsImage(old.output))) {
      merged.push({ ...item, output: old.output, state: 'done', ms: null, doneInRun: run - 1 });
    } else {
      merged.push(item);
    }
  }
  return merged;
}

/** True when a finished output can be trusted: a non-empty file whose image header decodes. */
export async function readsAsImage(file: string): Promise<boolean> {
  try {
    if ((await stat(file)).size === 0) return false;
    const meta = await sharp(file, photoInputOptions()).metadata();
    return (meta.width ?? 0) > 0 && (meta.height ?? 0) > 0;
  } catch {
    return false;
  }
}

export async function stampOf(file: string): Promise<FileStamp | null> {
  try {
    const s = await stat(file);
    return { ino: s.ino, size: s.size, mtimeMs: s.mtimeMs };
  } catch {
    return null;
  }
}

/** True when a file exists now and is not the one recorded before (none, or another inode, size or time). */
function differs(now: FileStamp | null, before: FileStamp | null): boolean {
  if (!now) return false;
  if (!before) return true;
  return now.ino !== before.ino || now.size !== before.size || now.mtimeMs !== before.mtimeMs;
}
