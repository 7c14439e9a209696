import path from 'node:path';
import type { ProgressEvent } from '../jobs/progress';
import type { EngineSummary, ItemOutcome, RunReporter } from './run-shared';
import { describeTone } from './tone-args';

type Write = (line: string) => void;

/**
 * --json: one JSON object per line on stdout, nothing else there.
 *   {"type":"engine", model, provider, attempts}
 *   {"type":"batch-start", batchId, total, resumed, alreadyDone, removedTemps, unusedMasks}   (folders)
 *   {"type":"progress", image, jobId, stage, done, total, etaMs}   (per event)
 *   {"type":"batch", batchId, state, counts, current, etaMs, elapsedMs, perItemMs}   (folders: the queue, as the app shows it)
 *   {"type":"item", image, status, output?, reason?, error?}
 *   {"type":"batch-end", state, report}   (folders)
 *   {"type":"summary", total, restored, skipped, failed, provider, items}
 */
export function jsonReporter(write: Write): RunReporter {
  const line = (obj: unknown) => write(JSON.stringify(obj));
  return {
    engine: (info) => line({ type: 'engine', ...info }),
    progress: (image, _i, _n, e) => line({ type: 'progress', image, ...e }),
    item: (outcome) => line({ type: 'item', ...outcome }),
    batchStart: (info) => line({ type: 'batch-start', ...info }),
    batch: (progress) => line({ type: 'batch', ...progress }),
    batchEnd: (info) => line({ type: 'batch-end', ...info }),
    summary: (outcomes, engine) => line({ type: 'summary', ...counts(outcomes), provider: engine.provider, items: outcomes }),
  };
}

/** Human output: the provider first, a line per photo, failures with reasons, a closing count. */
export function textReporter(out: Write, err: Write, live: boolean): RunReporter {
  let lastProgress = 0;
  let lastBatch = 0;
  return {
    engine: (info) => {
      if (info.provider) out(`Model ${info.model ?? '?'} on execution provider: ${info.provider}`);
      for (const a of info.attempts) if (!a.ok) out(`  (${a.provider} not used: ${a.reason})`);
    },
    progress: (image, i, n, e: ProgressEvent) => {
      if (!live) return;
      const now = Date.now();
      if (now - lastProgress < 250 && e.done < e.total) return;
      lastProgress = now;
      const eta = e.etaMs && e.etaMs > 0 ? `, ~${Math.ceil(e.etaMs / 1000)} s left` : '';
      err(`[${i + 1}/${n}] ${path.basename(image)}: ${e.stage} ${e.done}/${e.total}${eta}`);
    },
    batchStart: (info) => {
      if (info.resumed) out(`Resuming batch: ${info.alreadyDone} of ${info.total} already restored by an earlier run`);
      if (info.removedTemps > 0) out(`Removed ${info.removedTemps} unfinished temporary file(s) of the interrupted run`);
      if (info.unusedMasks.length > 0) out(`${info.unusedMasks.length} mask(s) matched no photo: ${info.unusedMasks.map((m) => path.basename(m)).join(', ')}`);
    },
    batch: (p) => {
      if (!live || p.state !== 'running') return;
      const now = Date.now();
      if (now - lastBatch < 2000) return;
      lastBatch = now;
      const settled = p.counts.done + p.counts.skipped + p.counts.failed;
      const eta = p.etaMs === null ? 'estimating time left' : `about ${formatDuration(p.etaMs)} left`;
      err(`${settled} of ${p.counts.total} done, ${eta}`);
    },
    batchEnd: (info) => out(`Report: ${info.report}${info.state === 'cancelled' ? ' (interrupted; run the same command again to resume)' : ''}`),
    item: (o: ItemOutcome, i, n) => {
      const name = path.basename(o.image);
      if (o.status === 'restored') {
        out(`[${i + 1}/${n}] restored ${name} -> ${o.output} (${o.crops} crops, ${(o.ms / 1000).toFixed(1)} s)`);
        if (o.tone) out(`  tone: ${describeTone(o.tone)}`);
        for (const w of o.warnings ?? []) out(`  warning: ${w}`);
      } else if (o.status === 'skipped') out(`[${i + 1}/${n}] skipped ${name}: ${o.reason}`);
      else {
        out(`[${i + 1}/${n}] FAILED ${name}: ${o.error.message}`);
        if (o.error.detail) out(`  details: ${o.error.detail}`);
      }
    },
    summary: (outcomes) => {
      const c = counts(outcomes);
      out(`${c.restored} restored, ${c.skipped} skipped, ${c.failed} failed (of ${c.total})`);
      for (const o of outcomes) if (o.status === 'failed') err(`failed: ${o.image}: [${o.error.code}] ${o.error.message}`);
    },
  };
}

function formatDuration(ms: number): string {
  const s = Math.ceil(ms / 1000);
  if (s < 90) return `${s} s`;
  const m = Math.round(s / 60);
  return m < 90 ? `${m} min` : `${Math.floor(m / 60)} h ${m % 60} min`;
}

function counts(outcomes: readonly ItemOutcome[]) {
  return {
    total: outcomes.length,
    restored: outcomes.filter((o) => o.status === 'restored').length,
    skipped: outcomes.filter((o) => o.status === 'skipped').length,
    failed: outcomes.filter((o) => o.status === 'failed').length,
  };
}

export type { EngineSummary };
