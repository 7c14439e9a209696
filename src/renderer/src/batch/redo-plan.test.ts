import { describe, expect, it } from 'vitest';
import type { BatchItemView } from '@shared/ipc/batch';
import { defaultFormValues, type BatchFormValues } from './batch-form';
import { redoPlan } from './redo-plan';

const form = (over: Partial<BatchFormValues> = {}): BatchFormValues => ({ ...defaultFormValues(), inputFolder: '/scans', outputFolder: '/out', ...over });
const item = (id: number, rel: string, state: BatchItemView['state'], output: string | null = `/out/${rel}`): BatchItemView => ({
  id,
  source: `/scans/${rel}`,
  rel,
  output,
  state,
  reason: null,
  error: null,
  ms: null,
  earlier: false,
});
const items = [item(0, 'a.jpg', 'done'), item(1, 'b.jpg', 'failed'), item(2, 'c.jpg', 'done'), item(3, 'notes.txt', 'skipped', null)];

describe('what Start again redoes', () => {
  it('same settings resume: only photos without a result', () => {
    const plan = redoPlan(form(), form(), items);
    expect(plan.changed).toEqual([]);
    expect(plan.redo).toEqual(['b.jpg']);
    expect(plan.kept).toEqual(['a.jpg', 'c.jpg']);
    expect(plan.text).toContain('resumes');
  });

  it('counts a photo skipped because its result already stands as restored', () => {
    const kept = { ...item(4, 'd.jpg', 'skipped'), reason: 'Output already exists: /out/d.jpg' };
    const noDamage = { ...item(5, 'e.jpg', 'skipped'), reason: 'No damage found automatically; nothing to restore' };
    const plan = redoPlan(form(), form(), [kept, noDamage]);
    expect(plan.kept).toEqual(['d.jpg']);
    expect(plan.redo).toEqual(['e.jpg']);
  });

  it('changed settings with Skip keep the results and say how to redo them', () => {
    const plan = redoPlan(form({ sensitivity: 0.5 }), form({ sensitivity: 0.8 }), items);
    expect(plan.changed).toEqual(['sensitivity']);
    expect(plan.redo).toEqual(['b.jpg']);
    expect(plan.kept).toEqual(['a.jpg', 'c.jpg']);
    expect(plan.text).toContain('Overwrite');
  });

  it('changed settings with Overwrite or Rename redo every photo, never a file that is not one', () => {
    for (const collision of ['overwrite', 'rename'] as const) {
      const plan = redoPlan(form({ qualityMode: 'best' }), form({ qualityMode: 'fast', collision }), items);
      expect(plan.redo).toEqual(['a.jpg', 'b.jpg', 'c.jpg']);
      expect(plan.kept).toEqual([]);
    }
  });

  it('new output names redo every photo; settings that do not apply are not changes', () => {
    expect(redoPlan(form(), form({ format: 'png' }), items).redo).toHaveLength(3);
    // The sensitivity means nothing with a mask folder.
    expect(redoPlan(form({ maskMode: 'folder', maskPath: '/m', sensitivity: 0.2 }), form({ maskMode: 'folder', maskPath: '/m', sensitivity: 0.9 }), items).changed).toEqual([]);
  });
});
