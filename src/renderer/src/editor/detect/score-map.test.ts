import { describe, expect, it } from 'vitest';
import { scoreLevel } from '@shared/ipc/detection';
import { previewBits, type ScoreMap } from './score-map';

const map = (data: number[], width: number, height: number, factor: number): ScoreMap => ({ documentId: 'd', imageVersion: 0, width, height, factor, data: Uint8Array.from(data) });

describe('detection preview scores', () => {
  it('flag more as the sensitivity rises, and what a lower sensitivity flags stays flagged', () => {
    const m = map([0, 40, 128, 200, 255, 90], 3, 2, 1);
    const counts = [0, 0.25, 0.5, 0.75, 1].map((s) => previewBits(m, s, 3, 2));
    for (let k = 1; k < counts.length; k++) {
      for (let i = 0; i < 6; i++) expect(counts[k]![i]).toBeGreaterThanOrEqual(counts[k - 1]![i]!);
    }
    expect(Array.from(counts[2]!)).toEqual([0, 0, 0, 1, 1, 0]);
    expect(scoreLevel(0.5)).toBe(128);
  });

  it('spreads each reduced pixel over its factor x factor block, the partial last row and column too', () => {
    // A 5 x 3 photo reduced 2x: 3 x 2 scores; only the middle top score passes.
    const m = map([0, 255, 0, 0, 0, 0], 3, 2, 2);
    expect(Array.from(previewBits(m, 0.5, 5, 3))).toEqual([0, 0, 1, 1, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0, 0]);
  });
});
