import { describe, expect, it } from 'vitest';
import { ProgressSteps } from './progress-steps';

describe('ProgressSteps', () => {
  it('announces the start and each quarter once, never 100 % (the caller says done or failed)', () => {
    const steps = new ProgressSteps('Restoring');
    expect(steps.start()).toBe('Restoring started');
    const said: string[] = [];
    for (let i = 0; i <= 200; i++) {
      const m = steps.update(i / 200);
      if (m) said.push(m);
    }
    expect(said).toEqual(['Restoring: 25 %', 'Restoring: 50 %', 'Restoring: 75 %']);
  });

  it('skips to the quarter reached when progress jumps, and ignores going back', () => {
    const steps = new ProgressSteps('Batch');
    steps.start();
    expect(steps.update(0.6)).toBe('Batch: 50 %');
    expect(steps.update(0.3)).toBeNull();
    expect(steps.update(0.55)).toBeNull();
    expect(steps.update(0.8)).toBe('Batch: 75 %');
    expect(steps.update(Number.NaN)).toBeNull();
  });

  it('starts over on start()', () => {
    const steps = new ProgressSteps('Finding damage');
    steps.start();
    expect(steps.update(0.5)).toBe('Finding damage: 50 %');
    steps.start();
    expect(steps.update(0.25)).toBe('Finding damage: 25 %');
  });
});
