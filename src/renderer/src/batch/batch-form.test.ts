import { describe, expect, it } from 'vitest';
import { batchStartArgsSchema } from '@shared/ipc/batch';
import { defaultFormValues, formProblems, neededPathFields, startArgs as startArgsWith, type BatchFormValues } from './batch-form';
import { durationText, etaText } from './time-text';

const filled = (over: Partial<BatchFormValues> = {}): BatchFormValues => ({
  ...defaultFormValues(),
  inputFolder: '/scans',
  maskPath: '/masks',
  outputFolder: '/restored',
  ...over,
});

/** Handles as main would grant them for the chosen folders and mask. */
const handles = { inputFolder: 'handle-of-the-scans-0001', maskPath: 'handle-of-the-masks-0001', outputFolder: 'handle-of-the-output-001' };
const startArgs = (v: BatchFormValues) => startArgsWith(v, handles);

describe('batch form', () => {
  it('names what is missing before a batch can start', () => {
    // With no mask folder chosen, damage is found automatically: nothing to ask about masks.
    expect(defaultFormValues().maskMode).toBe('auto');
    expect(formProblems(defaultFormValues())).toEqual(['Choose the folder of photos.', 'Choose where the restored photos go.']);
    expect(formProblems(filled({ maskMode: 'folder', maskPath: '' }))).toEqual(['Choose the folder of masks.']);
    expect(formProblems(filled())).toEqual([]);
    expect(formProblems(filled({ maskMode: 'auto', maskPath: '' }))).toEqual([]);
    expect(formProblems(filled({ template: '{stem}.jpg' }))).toEqual(['File names: the template must end in .{ext}.']);
    expect(formProblems(filled({ quality: 0 }))).toEqual(['Quality is a whole number from 1 to 100.']);
    expect(formProblems(filled({ inputFolder: 'C:\\Scans' }))).toEqual([]);
  });

  it('builds arguments the batch:start schema accepts, for every mask source', () => {
    for (const maskMode of ['folder', 'file', 'sidecar', 'auto'] as const) {
      const args = startArgs(filled({ maskMode, recursive: true, format: 'webp', quality: 80, collision: 'rename', template: '{index}_{stem}.{ext}' }));
      expect(batchStartArgsSchema.safeParse(args).success, maskMode).toBe(true);
    }
    expect(startArgs(filled({ maskMode: 'file', maskPath: ' /m.png ' })).masks).toEqual({ file: handles.maskPath });
    expect(startArgs(filled({ maskMode: 'folder' }))).toMatchObject({ input: { folder: handles.inputFolder }, masks: { folder: handles.maskPath }, output: { folder: handles.outputFolder } });
    expect(startArgs(filled({ maskMode: 'auto', sensitivity: 0.75 })).masks).toEqual({ auto: true, sensitivity: 0.75, method: 'learned', medium: 'print' });
    expect(startArgs(filled({ maskMode: 'auto', method: 'classical' })).masks).toMatchObject({ auto: true, method: 'classical' });
    expect(startArgs(filled({ maskMode: 'auto', medium: 'film' })).masks).toMatchObject({ auto: true, medium: 'film' });
    expect(startArgs(filled({})).options).toEqual({ qualityMode: 'best', grain: 'auto', texture: 'on' });
    expect(startArgs(filled({ grain: 'off' })).options).toMatchObject({ grain: 'off' });
    expect(startArgs(filled({ qualityMode: 'fast' })).options).toEqual({ qualityMode: 'fast', grain: 'auto', texture: 'on' });
    expect(formProblems(filled({ maskMode: 'auto', sensitivity: Number.NaN }))).toEqual(['Sensitivity is a number from 0 to 1.']);
  });

  it('names the path fields a start needs: the mask path only for a mask folder or file', () => {
    expect(neededPathFields(filled({ maskMode: 'folder' }))).toEqual(['inputFolder', 'maskPath', 'outputFolder']);
    expect(neededPathFields(filled({ maskMode: 'file' }))).toEqual(['inputFolder', 'maskPath', 'outputFolder']);
    for (const maskMode of ['auto', 'sidecar', 'none'] as const) expect(neededPathFields(filled({ maskMode }))).toEqual(['inputFolder', 'outputFolder']);
  });

  it('sends Auto tone as options.tone, and a tone-only batch (no masks) only with tone on', () => {
    expect(startArgs(filled({ tone: 'auto' })).options).toEqual({ qualityMode: 'best', grain: 'auto', texture: 'on', tone: {} });
    expect(startArgs(filled({ tone: 'off' })).options).not.toHaveProperty('tone');
    const toneOnly = startArgs(filled({ maskMode: 'none', maskPath: '', tone: 'auto' }));
    expect(toneOnly.masks).toEqual({ none: true });
    expect(batchStartArgsSchema.safeParse(toneOnly).success).toBe(true);
    expect(formProblems(filled({ maskMode: 'none', maskPath: '', tone: 'auto' }))).toEqual([]);
    expect(formProblems(filled({ maskMode: 'none', maskPath: '' }))).toEqual(['With no damage masks, turn Auto tone on (or choose where masks come from).']);
    expect(batchStartArgsSchema.safeParse(startArgs(filled({ maskMode: 'none', maskPath: '' }))).success).toBe(false);
  });
});

describe('time text', () => {
  it('rounds estimates the way a person reads them', () => {
    expect(etaText(null)).toBe('Estimating time left…');
    expect(etaText(12_300)).toBe('About 15 s left');
    expect(etaText(7 * 60_000 + 20_000)).toBe('About 7 min left');
    expect(etaText(95 * 60_000)).toBe('About 1 h 35 min left');
    expect(durationText(850)).toBe('850 ms');
    expect(durationText(185_000)).toBe('3 min 05 s');
  });
});
