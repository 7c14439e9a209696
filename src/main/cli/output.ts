import path from 'node:path';
import type { ProgressEvent } from '../jobs/progress';
import type { EngineSummary, ItemOutcome, RunReporter } from './run-command';

type Write = (line: string) => void;

/**
 * --json: one JSON object per line on stdout, nothing else there.
 *   {"type":"engine", model, provider, attempts}
 *   {"type":"progress", image, jobId, stage, done, total, etaMs}   (per event)
 *   {"type":"item", image, status, output?, reason?, error?}
 *   {"type":"summary", total, restored, skipped, failed, provider, items}
 */
export function jsonReporter(write: Write): RunReporter {
  const line = (obj: unknown) => write(JSON.stringify(obj));
  return {
    engine: (info) => line({ type: 'engine', ...info }),
    progress: (image, _i, _n, e) => line({ type: 'progress', image, ...e }),
    item: (outcome) => line({ type: 'item', ...outcome }),
    summary: (outcomes, engine) => line({ type: 'summary', ...counts(outcomes), provider: engine.provider, items: outcomes }),
  };
}

/** Human output: the provider first, a line per photo, failures with reasons, a closing count. */
export function textReporter(out: Write, err: Write, live: boolean): RunReporter {
  let lastProgress = 0;
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
    item: (o: ItemOutcome, i, n) => {
      const name = path.basename(o.image);
      if (o.status === 'restored') out(`[${i + 1}/${n}] restored ${name} -> ${o.output} (${o.crops} crops, ${(o.ms / 1000).toFixed(1)} s)`);
      else if (o.status === 'skipped') out(`[${i + 1}/${n}] skipped ${name}: ${o.reason}`);
      else out(`[${i + 1}/${n}] FAILED ${name}: ${o.error.message}`);
    },
    summary: (outcomes) => {
      const c = counts(outcomes);
      out(`${c.restored} restored, ${c.skipped} skipped, ${c.failed} failed (of ${c.total})`);
      for (const o of outcomes) if (o.status === 'failed') err(`failed: ${o.image}: [${o.error.code}] ${o.error.message}`);
    },
  };
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
