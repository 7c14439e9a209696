import path from 'node:path';
import type { BatchCounts } from '@shared/ipc/batch';
import { REPORT_FILE, writeJsonDurably, type JournalData } from './journal';
import type { BatchSpec } from './types';
import { countItems } from './views';
import { appliedPasses, type AppliedPasses } from '../restore/applied-passes';

/**
 * The report a person (or a script) reads after a batch: saved as
 * patina-report.json beside the outputs whenever a run ends, finished or
 * cancelled; a later run of the same batch rewrites it with the totals.
 */
export interface BatchReport {
  readonly kind: 'patina-batch-report';
  readonly schemaVersion: 1;
  readonly batchId: string;
  readonly state: 'finished' | 'cancelled';
  readonly spec: BatchSpec;
  readonly startedAt: string;
  readonly endedAt: string;
  /** How many runs it took (more than 1 after a resume). */
  readonly runs: number;
  /** Working time of all runs, paused time excluded. */
  readonly totalMs: number;
  readonly counts: BatchCounts;
  /** Each restored photo, with the tone, grain and texture records of the passes that ran on it. */
  readonly restored: readonly ({
    readonly file: string;
    readonly output: string;
    readonly ms: number | null;
    readonly run: number | null;
    /** What about its mask deserves a look (covers the whole photo, another shape). */
    readonly warnings?: readonly string[];
  } & AppliedPasses)[];
  /** detail: the library's own words, when they add something. */
  readonly failures: readonly { readonly file: string; readonly code: string; readonly message: string; readonly detail?: string }[];
  readonly skipped: readonly { readonly file: string; readonly reason: string }[];
  /** Still queued (a cancelled run); starting the batch again resumes them. */
  readonly queued: readonly string[];
  /** Mask files that no photo used. */
  readonly unusedMasks: readonly string[];
}

export function buildReport(journal: JournalData, state: 'finished' | 'cancelled', endedAt = new Date()): BatchReport {
  const items = journal.items;
  return {
    kind: 'patina-batch-report',
    schemaVersion: 1,
    batchId: journal.batchId,
    state,
    spec: journal.spec,
    startedAt: journal.createdAt,
    endedAt: endedAt.toISOString(),
    runs: journal.runs,
    totalMs: Math.round(journal.activeMs),
    counts: countItems(items),
    restored: items
      .filter((i) => i.state === 'done')
      .map((i) => ({ file: i.source, output: i.output!, ms: i.ms, run: i.doneInRun, ...(i.warnings ? { warnings: i.warnings } : {}), ...appliedPasses(i) })),
    failures: items
      .filter((i) => i.state === 'failed')
      .map((i) => ({ file: i.source, code: i.error?.code ?? 'INTERNAL', message: i.error?.message ?? 'Failed', ...(i.error?.detail ? { detail: i.error.detail } : {}) })),
    skipped: items.filter((i) => i.state === 'skipped').map((i) => ({ file: i.source, reason: i.reason ?? 'Skipped' })),
    queued: items.filter((i) => i.state === 'queued' || i.state === 'running').map((i) => i.source),
    unusedMasks: journal.unusedMasks,
  };
}

export function reportPathFor(outputDir: string): string {
  return path.join(outputDir, REPORT_FILE);
}

export async function writeReport(outputDir: string, report: BatchReport): Promise<string> {
  const file = reportPathFor(outputDir);
  await writeJsonDurably(file, report);
  return file;
}
