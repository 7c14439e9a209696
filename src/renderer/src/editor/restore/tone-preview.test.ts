import { describe, expect, it } from 'vitest';
import type { TonePreviewResult } from '@shared/ipc/tone-preview';
import { toneColourMatrix } from './tone-preview';

const preview: TonePreviewResult = {
  look: 'colour',
  autoColour: 'neutralise',
  estimator: 'learned',
  maps: {
    neutralise: { matrix: [[1.5, 0, 0], [0, 1.4, 0], [0, 0, 2]], offset: [-0.2, -0.1, -0.3] },
    keep: { matrix: [[1.4, 0, 0], [0, 1.4, 0], [0, 0, 1.4]], offset: [-0.15, -0.15, -0.15] },
    leave: { matrix: [[1.12, 0.23, 0.05], [0.12, 1.23, 0.05], [0.12, 0.23, 0.95]], offset: [-0.15, -0.15, -0.15] },
  },
};

/** Applies 20 feColorMatrix values to an RGB sample in 0..1, clipped as the filter clips. */
function apply(m: number[], rgb: number[]): number[] {
  return [0, 1, 2].map((i) => Math.min(1, Math.max(0, m[5 * i]! * rgb[0]! + m[5 * i + 1]! * rgb[1]! + m[5 * i + 2]! * rgb[2]! + m[5 * i + 4]!)));
}

describe('toneColourMatrix', () => {
  it('is null with tone off, the identity at strength 0 and the engine map at 100 %', () => {
    expect(toneColourMatrix(preview, { on: false, strength: 100, colour: 'auto' })).toBeNull();
    const none = toneColourMatrix(preview, { on: true, strength: 0, colour: 'auto' })!;
    expect(apply(none, [0.2, 0.5, 0.7])).toEqual([0.2, 0.5, 0.7]);
    const full = toneColourMatrix(preview, { on: true, strength: 100, colour: 'auto' })!;
    const out = apply(full, [0.2, 0.5, 0.4]);
    [0.1, 0.6, 0.5].forEach((v, i) => expect(out[i]).toBeCloseTo(v, 9));
    // The alpha row passes alpha through.
    expect(full.slice(15)).toEqual([0, 0, 0, 1, 0]);
  });

  it('scales the correction by the strength as the engine does: identity + s x (map - identity)', () => {
    const half = toneColourMatrix(preview, { on: true, strength: 50, colour: 'neutralise' })!;
    const out = apply(half, [0.4, 0.4, 0.4]);
    // Full: 0.4, 0.46, 0.5; half way from the input 0.4.
    expect(out[0]).toBeCloseTo(0.4, 9);
    expect(out[1]).toBeCloseTo(0.43, 9);
    expect(out[2]).toBeCloseTo(0.45, 9);
  });

  it("uses the chosen colour mode's map, Auto's choice when the colour is left on Auto", () => {
    const leave = toneColourMatrix(preview, { on: true, strength: 100, colour: 'leave' })!;
    expect(leave[1]).toBeCloseTo(0.23, 9);
    const auto = toneColourMatrix({ ...preview, autoColour: 'keep' }, { on: true, strength: 100, colour: 'auto' })!;
    expect([auto[0], auto[6], auto[12]]).toEqual([1.4, 1.4, 1.4]);
  });

  it("spreads a grey photo's 1 x 1 map over the three channels of its preview", () => {
    const grey: TonePreviewResult = { ...preview, look: 'monochrome', maps: { ...preview.maps, neutralise: { matrix: [[2]], offset: [-0.5] } } };
    const m = toneColourMatrix(grey, { on: true, strength: 100, colour: 'neutralise' })!;
    expect(apply(m, [0.5, 0.5, 0.5])).toEqual([0.5, 0.5, 0.5]);
    expect(apply(m, [0.6, 0.6, 0.6]).map((v) => Math.round(v * 1000) / 1000)).toEqual([0.7, 0.7, 0.7]);
  });
});
