// The real-set scoring of `npm run defects:score`: the fixed film split
// (training/defects/real_sets.py holds the same rule and the same list) and the
// tolerant counts.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { isCleanValidation, labelledPairs } from '../../training/defects/real-split';
import { scores, tolerancePx, tolerantCounts } from '../../training/defects/tolerant';

const labelled = path.resolve('../shared/data/damage-labelled');
const FRAMES_VALIDATION = ['mlts_007', 'mlts_013', 'mlts_022', 'mlts_032', 'mlts_042', 'mlts_047', 'mlts_068', 'mlts_081', 'mlts_090'];

describe.runIf(existsSync(labelled))('film split', () => {
  it('holds out a fixed quarter by sorted stem, the same as the Python side', async () => {
    const frames = await labelledPairs(labelled, 'film-frames');
    expect(frames).toHaveLength(36);
    expect(frames.filter((p) => p.split === 'validation').map((p) => p.stem)).toEqual(FRAMES_VALIDATION);
    expect(frames.filter((p) => p.split === 'calibration')).toHaveLength(9);
    const scans = await labelledPairs(labelled, 'film-scans');
    expect(scans.map((p) => p.split)).toEqual(['validation', 'train', 'calibration', 'train']);
  });
});

describe('clean validation photos', () => {
  it('follow patina_train.data.is_validation (sha1 of the relative path)', () => {
    // Listed by data.split() as validation / training photos.
    expect(isCleanValidation('bsds500/test_120093.jpg')).toBe(true);
    expect(isCleanValidation('bsds500/test_189006.jpg')).toBe(true);
    expect(isCleanValidation('bsds500/test_100007.jpg')).toBe(false);
  });
});

describe('tolerant counts', () => {
  it('forgive a misplacement within the tolerance, and only that', () => {
    const w = 40;
    const truth = new Uint8Array(w * w);
    const pred = new Uint8Array(w * w);
    for (let y = 5; y < 35; y++) {
      truth[y * w + 10] = 1;
      pred[y * w + 13] = 1; // 3 px off
    }
    for (let y = 5; y < 15; y++) pred[y * w + 30] = 1; // a false alarm
    const at3 = scores(tolerantCounts(pred, truth, w, w, 3));
    expect(at3.precision).toBeCloseTo(30 / 40);
    expect(at3.recall).toBe(1);
    const at2 = scores(tolerantCounts(pred, truth, w, w, 2));
    expect([at2.precision, at2.recall]).toEqual([0, 0]);
    expect(tolerancePx(1920, 1080)).toBe(6);
  });

  it('widens a horizontal run by the whole disc, not just its ends', () => {
    const w = 40;
    const truth = new Uint8Array(w * w);
    for (let x = 5; x < 35; x++) truth[20 * w + x] = 1;
    const pred = new Uint8Array(w * w);
    pred[23 * w + 20] = 1; // 3 px below the middle of the run
    expect(tolerantCounts(pred, truth, w, w, 3).predNear).toBe(1);
  });
});
