import { describe, expect, it } from 'vitest';
import { ActiveClock, EtaEstimator } from './eta';

describe('ActiveClock', () => {
  it('counts only the time it runs, from where an earlier run left off', () => {
    let t = 1000;
    const clock = new ActiveClock(500, () => t);
    expect(clock.read()).toBe(500);
    clock.start();
    t += 200;
    expect(clock.read()).toBe(700);
    clock.stop(); // paused for an hour
    t += 3_600_000;
    expect(clock.read()).toBe(700);
    clock.start();
    clock.start(); // idempotent
    t += 50;
    expect(clock.read()).toBe(750);
  });
});

describe('EtaEstimator', () => {
  it('is null before the first restored item and 0 with nothing left', () => {
    const eta = new EtaEstimator(0);
    expect(eta.eta(5, 100)).toBeNull();
    expect(eta.eta(0, 100)).toBe(0);
  });

  it('weighs recent gaps more, so a slow start (model loading) fades', () => {
    const eta = new EtaEstimator(0);
    let t = 0;
    eta.record((t += 10_000)); // first item: 10 s including the model load
    for (let i = 0; i < 6; i++) eta.record((t += 1000));
    const per = eta.perItem()!;
    // A plain mean would say (10 + 6) / 7 = 2.3 s.
    expect(per).toBeLessThan(1700);
    expect(per).toBeGreaterThan(1000);
  });

  it('follows a change of pace within a few items', () => {
    const eta = new EtaEstimator(0);
    let t = 0;
    for (let i = 0; i < 12; i++) eta.record((t += 1000));
    for (let i = 0; i < 4; i++) eta.record((t += 3000));
    expect(eta.perItem()!).toBeGreaterThan(2000);
  });

  it('counts down between completions but never below what the other items need', () => {
    const eta = new EtaEstimator(0);
    eta.record(1000);
    eta.record(2000); // 1 s per item
    expect(eta.eta(4, 2000)).toBe(4000);
    expect(eta.eta(4, 2400)).toBe(3600);
    // The current item is slower than usual: the three after it still need 3 s.
    expect(eta.eta(4, 5000)).toBe(3000);
  });
});
