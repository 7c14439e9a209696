import { describe, expect, it } from 'vitest';
import { MAX_SNAP_POINTS, MAX_SNAP_WIDTH } from '@shared/ipc/snap';
import { snapQuery } from './snap-points';

describe('snapQuery', () => {
  it('drops points closer than a quarter of the brush, keeping both ends', () => {
    const points = Array.from({ length: 41 }, (_, i) => ({ x: i * 0.5, y: 3 }));
    const q = snapQuery({ kind: 'stroke', points, width: 8 });
    expect(q.points[0]).toEqual([0, 3]);
    expect(q.points.at(-1)).toEqual([20, 3]);
    expect(q.points.length).toBe(11);
    expect(q.width).toBe(8);
  });

  it('fits a very long stroke and a very wide brush into what defects:snap accepts', () => {
    const points = Array.from({ length: 20_000 }, (_, i) => ({ x: i * 3, y: (i % 2) * 3 }));
    const q = snapQuery({ kind: 'stroke', points, width: 4000 });
    expect(q.width).toBe(MAX_SNAP_WIDTH);
    const q2 = snapQuery({ kind: 'stroke', points, width: 4 });
    expect(q2.points.length).toBeLessThanOrEqual(MAX_SNAP_POINTS);
    expect(q2.points.at(-1)).toEqual([59_997, 3]);
    expect(snapQuery({ kind: 'spot', points: [{ x: 5, y: 6 }], width: 10 })).toEqual({ kind: 'spot', points: [[5, 6]], width: 10 });
  });
});
