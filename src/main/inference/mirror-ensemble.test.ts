import { describe, expect, it } from 'vitest';
import type { Inpainter } from './inpainter';
import { withQualityMode } from './mirror-ensemble';

/** A probe "model" whose fill is each pixel's column: its mirrored pass fills with the mirrored column. */
const columns: Inpainter = {
  inputMultiple: 32,
  maxSide: 512,
  inpaint: async (image, _mask, width) => Float32Array.from(image, (_, i) => (i % width) / (width - 1)),
};

describe('withQualityMode', () => {
  it("'best' averages the fill with the mirrored fill of the mirrored crop", async () => {
    const w = 5;
    const h = 2;
    const calls: Float32Array[] = [];
    const probe: Inpainter = { ...columns, inpaint: async (image, mask, width, height) => (calls.push(mask), columns.inpaint(image, mask, width, height)) };
    const mask = Float32Array.from({ length: w * h }, (_, i) => (i % w === 0 ? 1 : 0));
    const out = await withQualityMode(probe, 'best').inpaint(new Float32Array(3 * w * h), mask, w, h);
    // Column c and its mirror w-1-c average to the middle everywhere, in every plane.
    expect([...out]).toEqual(new Array(3 * w * h).fill(0.5));
    // The second pass saw the mask flipped left-right: the hole in its last column.
    expect(calls).toHaveLength(2);
    expect([...calls[1]!]).toEqual([0, 0, 0, 0, 1, 0, 0, 0, 0, 1]);
  });

  it("'fast' runs the model once, and a model with the ensemble in its graph is not run twice", async () => {
    expect(withQualityMode(columns, 'fast')).toBe(columns);
    const inGraph = { ...columns, mirrored: true };
    expect(withQualityMode(inGraph, 'best')).toBe(inGraph);
  });
});
