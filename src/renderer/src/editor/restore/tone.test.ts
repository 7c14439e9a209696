import { describe, expect, it } from 'vitest';
import type { AppliedTone } from '@shared/ipc/tone';
import { toneOptionsSchema } from '@shared/ipc/tone';
import { describeTone, toneRequest } from './tone';

describe('toneRequest (panel state -> restore:run options.tone)', () => {
  it('sends nothing when tone is off, whatever the settings', () => {
    expect(toneRequest({ on: false, strength: 40, colour: 'keep' })).toBeUndefined();
  });

  it('sends {} at the defaults, so Auto chooses everything', () => {
    expect(toneRequest({ on: true, strength: 100, colour: 'auto' })).toEqual({});
  });

  it('sends the strength and colour a person chose as overrides, within the schema', () => {
    const options = toneRequest({ on: true, strength: 42.4, colour: 'leave' });
    expect(options).toEqual({ strength: 42, colour: 'leave' });
    expect(toneOptionsSchema.parse(options)).toEqual(options);
    expect(toneRequest({ on: true, strength: 0, colour: 'neutralise' })).toEqual({ strength: 0, colour: 'neutralise' });
    expect(toneRequest({ on: true, strength: 140, colour: 'auto' })).toEqual({});
  });

  it('describes the applied settings for the notice', () => {
    const tone: AppliedTone = { strength: 100, colour: 'keep', contrast: 80, grain: 12, sharpen: 0, look: 'sepia', overridden: [], black: [0.1], white: [0.9] };
    expect(describeTone(tone)).toBe('tone applied (strength 100 %, keep the sepia or monochrome look, contrast 80 %, grain 12 %)');
  });
});
