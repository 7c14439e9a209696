import type { BatchCounts, BatchItemView } from '@shared/ipc/batch';
import type { BatchItem } from './types';

export function countItems(items: readonly BatchItem[]): BatchCounts {
  const counts = { total: items.length, queued: 0, running: 0, done: 0, skipped: 0, failed: 0 };
  for (const item of items) counts[item.state]++;
  return counts;
}

/** What crosses IPC for an item: no journal internals (stamps, mask plans). `run`: the current run's number. */
export function itemView(item: BatchItem, run: number): BatchItemView {
  return {
    id: item.id,
    source: item.source,
    rel: item.rel,
    output: item.output,
    state: item.state,
    reason: item.reason,
    error: item.error,
    ms: item.ms,
    earlier: item.state === 'done' && item.doneInRun !== null && item.doneInRun < run,
  };
}
