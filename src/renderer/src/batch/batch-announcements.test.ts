import type { BatchProgress } from '@shared/ipc/batch';
import { describe, expect, it } from 'vitest';
import { BatchAnnouncements } from './batch-announcements';

const at = (state: BatchProgress['state'], done: number, failed = 0, batchId = 'b1'): BatchProgress => ({
  batchId,
  state,
  counts: { total: 8, queued: 8 - done - failed, running: 0, done, failed, skipped: 0 },
  current: [],
  etaMs: null,
  elapsedMs: 0,
  perItemMs: null,
});

describe('BatchAnnouncements', () => {
  it('says start, quarters, failures and the end, and nothing for repeated events', () => {
    const a = new BatchAnnouncements();
    const said = [at('running', 0), at('running', 0), at('running', 1), at('running', 2), at('running', 2), at('running', 3, 1), at('running', 5, 1), at('finished', 7, 1)]
      .map((p) => a.next(p))
      .filter((m) => m !== null);
    expect(said).toEqual([
      'Batch started: 8 files',
      'Batch: 25 %',
      'Batch: 50 %. 1 failed so far',
      'Batch: 75 %',
      'Batch finished: 7 restored, 1 failed, 0 skipped',
    ]);
  });

  it('says paused and resumed, and how a cancelled batch ended', () => {
    const a = new BatchAnnouncements();
    expect(a.next(at('running', 0))).toBe('Batch started: 8 files');
    expect(a.next(at('pausing', 1))).toBeNull();
    expect(a.next(at('paused', 1))).toBe('Batch paused');
    expect(a.next(at('running', 1))).toBe('Batch resumed');
    expect(a.next(at('cancelled', 1))).toBe('Batch stopped: 1 restored');
  });

  it('stays quiet about a batch first seen already finished, and starts over for the next one', () => {
    const a = new BatchAnnouncements();
    expect(a.next(at('finished', 8))).toBeNull();
    expect(a.next(at('running', 0, 0, 'b2'))).toBe('Batch started: 8 files');
  });
});
