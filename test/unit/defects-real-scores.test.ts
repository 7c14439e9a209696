// The real-set scoring of `npm run defects:score`: the fixed film split
// (training/defects/real_sets.py holds the same rule and the same list) and the
// tolerant counts.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { countsByKind } from '../../training/defects/kind-scores';
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

describe('counts per damage kind', () => {
  // A vertical crack (kind 1) at x = 10 and a dust spot (kind 3) at (30, 30) on a 40x40 photo.
  const w = 40;
  const truth = new Uint8Array(w * w);
  const kinds = new Uint8Array(w * w);
  for (let y = 5; y < 25; y++) {
    truth[y * w + 10] = 1;
    kinds[y * w + 10] = 1;
  }
  for (let y = 29; y < 32; y++)
    for (let x = 29; x < 32; x++) {
      truth[y * w + x] = 1;
      kinds[y * w + x] = 3;
    }

  it("finds each kind's own damage, sets the other kinds' aside and blames false marks on every kind", () => {
    const pred = new Uint8Array(w * w);
    for (let y = 5; y < 15; y++) pred[y * w + 11] = 1; // half the crack, 1 px off
    pred[30 * w + 30] = 1; // the spot's middle
    pred[2 * w + 35] = 1; // a false mark far from both
    const byKind = countsByKind(pred, truth, kinds, w, w, 2, 4);
    expect([...byKind.keys()]).toEqual([1, 3]);
    // The crack: 10 of its 11 judged marks are near it (the spot's mark is set aside), 11 of its 20 pixels found.
    expect(byKind.get(1)).toEqual({ predNear: 10, pred: 11, truthNear: 11, truth: 20 });
    // The spot: its mark is correct, the crack's are set aside, the far one is false; all 9 pixels found.
    expect(byKind.get(3)).toEqual({ predNear: 1, pred: 2, truthNear: 9, truth: 9 });
    // Pooled over kinds the truth is the whole mask's.
    const whole = tolerantCounts(pred, truth, w, w, 2);
    expect(byKind.get(1)!.truth + byKind.get(3)!.truth).toBe(whole.truth);
    expect(byKind.get(1)!.truthNear + byKind.get(3)!.truthNear).toBe(whole.truthNear);
  });

  it('only counts damage pixels of a kind, not kind codes outside the truth', () => {
    const stray = kinds.slice();
    stray[0] = 2; // a kind code on a pixel the mask does not hold
    expect([...countsByKind(new Uint8Array(w * w), truth, stray, w, w, 2, 4).keys()]).toEqual([1, 3]);
  });
});
