import { describe, expect, it } from 'vitest';
import { formatEta, progressView } from './progress';

describe('restore progress', () => {
  it('maps stage events onto one monotonic bar with words and an ETA', () => {
    const a = progressView({ jobId: 'j', stage: 'decode', done: 0, total: 1, etaMs: null }, null);
    expect([a.percent, a.label, a.eta]).toEqual([0, 'Reading the photo', null]);
    const b = progressView({ jobId: 'j', stage: 'inpaint', done: 2, total: 4, etaMs: 12_400 }, a);
    expect([b.percent, b.label, b.eta]).toEqual([57, 'Filling area 3 of 4', 'about 12 s left']);
    const c = progressView({ jobId: 'j', stage: 'inpaint', done: 1, total: 4, etaMs: 20_000 }, b);
    expect(c.percent).toBe(57);
    const d = progressView({ jobId: 'j', stage: 'encode', done: 1, total: 1, etaMs: 0 }, c);
    expect([d.percent, d.label]).toEqual([100, 'Finishing']);
  });

  it('formats ETAs a person can read', () => {
    expect([formatEta(null), formatEta(900), formatEta(45_000), formatEta(130_000)]).toEqual([null, 'almost done', 'about 45 s left', 'about 2 min left']);
  });
});
