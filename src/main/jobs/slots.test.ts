import { describe, expect, it } from 'vitest';
import { Slots } from './slots';

describe('Slots', () => {
  it('hands out at most `size` slots, first come first served, each release counted once', async () => {
    const slots = new Slots(2);
    const order: string[] = [];
    const a = await slots.acquire();
    const b = await slots.acquire();
    const waiters = ['c', 'd'].map((name) => slots.acquire().then((release) => (order.push(name), release)));
    await Promise.resolve();
    expect(order).toEqual([]);
    expect(slots.inUse).toBe(2);
    a();
    a(); // a second call must not free another slot
    const c = await waiters[0]!;
    expect(order).toEqual(['c']);
    expect(slots.inUse).toBe(2);
    b();
    const d = await waiters[1]!;
    c();
    d();
    expect(order).toEqual(['c', 'd']);
    expect(slots.inUse).toBe(0);
  });

  it('run() frees its slot when the work throws', async () => {
    const slots = new Slots(1);
    await expect(slots.run(async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await slots.run(async () => 'next')).toBe('next');
  });
});
