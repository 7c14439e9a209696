import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { coherentSemanticAttention, gridMask } from './csa-reference';

// Golden vectors written by training/export.py: inputs and the outputs of the
// ONNX function (the op as the shipped model runs it), each case (1, C, h, w).
interface GoldenCase {
  dims: [number, number, number, number];
  F: number[];
  M: number[];
  Y: number[];
}
const FIXTURES = resolve(__dirname, '../../../test/fixtures/csa');
const golden = JSON.parse(readFileSync(resolve(FIXTURES, 'golden.json'), 'utf8')) as {
  tolerance: number;
  cases: Record<string, GoldenCase>;
};

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

function run(c: GoldenCase): Float32Array {
  const [, C, h, w] = c.dims;
  return coherentSemanticAttention(Float32Array.from(c.F), Float32Array.from(c.M), { channels: C, height: h, width: w });
}

describe('CSA TypeScript reference', () => {
  it('covers the edge cases the op must handle', () => {
    expect(Object.keys(golden.cases)).toEqual(
      expect.arrayContaining(['random', 'no_hole', 'all_hole', 'one_known', 'ties', 'signed']),
    );
  });

  for (const [name, c] of Object.entries(golden.cases)) {
    it(`matches the ONNX function's golden output: ${name}`, () => {
      expect(maxAbsDiff(run(c), c.Y)).toBeLessThanOrEqual(golden.tolerance);
    });
  }

  it('is the identity without holes and without known positions', () => {
    for (const name of ['no_hole', 'all_hole']) {
      const c = golden.cases[name]!;
      expect(maxAbsDiff(run(c), c.F)).toBe(0);
    }
  });

  it('fills every hole from the single known vector when only one is known', () => {
    const c = golden.cases.one_known!;
    const [, C, h, w] = c.dims;
    const n = h * w;
    const y = run(c);
    const knownAt = c.M.findIndex((v) => v < 0.5);
    for (let p = 0; p < n; p++) {
      for (let ch = 0; ch < C; ch++) expect(y[ch * n + p]).toBeCloseTo(c.F[ch * n + knownAt]!, 6);
    }
  });

  it('changes only hole positions', () => {
    const c = golden.cases.random!;
    const [, C, h, w] = c.dims;
    const n = h * w;
    const y = run(c);
    let changedHoles = 0;
    for (let p = 0; p < n; p++) {
      for (let ch = 0; ch < C; ch++) {
        const same = y[ch * n + p] === Math.fround(c.F[ch * n + p]!);
        if (c.M[p]! <= 0.5) expect(same).toBe(true);
        else if (!same) changedHoles++;
      }
    }
    expect(changedHoles).toBeGreaterThan(0);
  });

  it('rejects inputs whose sizes disagree with the shape', () => {
    expect(() => coherentSemanticAttention(new Float32Array(5), new Float32Array(4), { channels: 2, height: 2, width: 2 })).toThrow(
      RangeError,
    );
  });

  it('shrinks a pixel mask to the 1/8 grid like the network', () => {
    // A 16x16 known block at (20, 20) in a 64x64 hole mask leaves exactly one known cell.
    const m = new Float32Array(64 * 64).fill(1);
    for (let y = 20; y < 36; y++) for (let x = 20; x < 36; x++) m[y * 64 + x] = 0;
    const g = gridMask(m, 64, 64);
    expect(g.length).toBe(64);
    expect(Array.from(g).filter((v) => v === 0)).toHaveLength(1);
    // Strokes thinner than ~6 px never reach the grid.
    const thin = new Float32Array(64 * 64);
    for (let y = 0; y < 64; y++) for (let x = 30; x < 33; x++) thin[y * 64 + x] = 1;
    expect(Array.from(gridMask(thin, 64, 64)).every((v) => v === 0)).toBe(true);
  });
});

describe('CSA ONNX function in onnxruntime-node', () => {
  it('agrees with the TypeScript reference on every golden case', async () => {
    const session = await ort.InferenceSession.create(resolve(FIXTURES, 'csa-only.onnx'), { intraOpNumThreads: 1 });
    for (const c of Object.values(golden.cases)) {
      const [, , h, w] = c.dims;
      const out = await session.run({
        F: new ort.Tensor('float32', Float32Array.from(c.F), c.dims),
        M: new ort.Tensor('float32', Float32Array.from(c.M), [1, 1, h, w]),
      });
      expect(maxAbsDiff(out.Y!.data as Float32Array, run(c))).toBeLessThanOrEqual(golden.tolerance);
    }
    await session.release();
  });
});
