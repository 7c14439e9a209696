import { createHash } from 'node:crypto';
import { readdir, readFile, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { BATCH_ITEM_STATES } from '@shared/ipc/batch';
import { isAtomicTempName, writeAtomically } from '../jobs/atomic-write';
import type { BatchItem, BatchSpec } from './types';

/** Files the queue keeps in the output folder, beside the restored photos. */
export const JOURNAL_FILE = '.patina-batch.json';
export const REPORT_FILE = 'patina-report.json';

/**
 * The queue on disk: the spec, every item and its state. Rewritten whole
 * (temporary file, fsync, rename) before an item starts and after it ends,
 * so after a kill it says exactly which outputs are complete.
 */
export interface JournalData {
  readonly kind: 'patina-batch-journal';
  readonly schemaVersion: 1;
  readonly batchId: string;
  /** Hash of the spec minus the collision policy: the same batch asked again resumes. */
  readonly fingerprint: string;
  readonly spec: BatchSpec;
  readonly createdAt: string;
  updatedAt: string;
  /** How many times the batch has been started (1 for the first run). */
  runs: number;
  /** Working time of all runs together, paused time excluded. */
  activeMs: number;
  /** True once a run ended with nothing left queued. A finished journal is not resumed. */
  finished: boolean;
  readonly items: BatchItem[];
  readonly unusedMasks: string[];
}

export function fingerprintOf(spec: BatchSpec): string {
  const { collision: _collision, ...output } = spec.output;
  const key = JSON.stringify({ input: spec.input, masks: spec.masks, output, options: spec.options });
  return createHash('sha256').update(key).digest('hex');
}

/** The journal in an output folder, or null when there is none (or it is not one we can read). */
export async function readJournal(outputDir: string): Promise<JournalData | null> {
  let text: string;
  try {
    text = await readFile(path.join(outputDir, JOURNAL_FILE), 'utf8');
  } catch {
    return null;
  }
  try {
    const data = JSON.parse(text) as JournalData;
    return looksLikeJournal(data) ? data : null;
  } catch {
    return null;
  }
}

function looksLikeJournal(data: JournalData): boolean {
  return (
    data?.kind === 'patina-batch-journal' &&
    data.schemaVersion === 1 &&
    typeof data.fingerprint === 'string' &&
    Array.isArray(data.items) &&
    data.items.every((i) => typeof i?.source === 'string' && (BATCH_ITEM_STATES as readonly string[]).includes(i.state))
  );
}

/**
 * Saves journal snapshots one at a time. A save asked for while one is being
 * written waits for it and then writes the newest state, so the file is
 * never older than the last awaited save.
 */
export class JournalWriter {
  private chain: Promise<void> = Promise.resolve();

  constructor(
    private readonly outputDir: string,
    private readonly data: () => JournalData,
  ) {}

  save(): Promise<void> {
    const next = this.chain.then(() => this.write());
    // A failed save must not poison later ones; the caller of this one sees the error.
    this.chain = next.catch(() => {});
    return next;
  }

  private async write(): Promise<void> {
    const data = this.data();
    data.updatedAt = new Date().toISOString();
    await writeJsonDurably(path.join(this.outputDir, JOURNAL_FILE), data);
  }
}

/** Writes JSON through a temporary file, flushed, then renamed (writeAtomically): readers see the old or the new file, whole. */
export async function writeJsonDurably(file: string, data: unknown): Promise<void> {
  const text = `${JSON.stringify(data, null, 1)}\n`;
  await writeAtomically(file, 'overwrite', (tmp) => writeFile(tmp, text, 'utf8'));
}

/**
 * Deletes the temporary files a killed run left in these folders (only names
 * writeAtomically makes; nothing else is touched). Returns what it removed.
 */
export async function removeStaleTemps(dirs: Iterable<string>): Promise<string[]> {
  const removed: string[] = [];
  for (const dir of new Set(dirs)) {
    let names: string[];
    try {
      names = await readdir(dir);
    } catch {
      continue; // not created yet
    }
    for (const name of names.filter(isAtomicTempName)) {
      const full = path.join(dir, name);
      try {
        await unlink(full);
        removed.push(full);
      } catch {
        // already gone
      }
    }
  }
  return removed;
}
