import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';

// The committed model against PyTorch outputs that training/export.py wrote for
// the same weights: random masks, no hole, all hole, one known CSA position.
const ROOT = resolve(__dirname, '../../..');
const PARITY = resolve(ROOT, 'test/fixtures/model-parity');
const manifest = JSON.parse(readFileSync(resolve(ROOT, 'models/manifest.json'), 'utf8')) as {
  models: { role: string; file: string; sha256: string; inputMultiple: number }[];
};
const entry = manifest.models.find((m) => m.role === 'inpaint')!;
const index = JSON.parse(readFileSync(resolve(PARITY, 'index.json'), 'utf8')) as {
  tolerance: number;
  cases: Record<string, { dims: number[]; maskDims: number[] }>;
};

function f32(path: string): Float32Array {
  const b = readFileSync(path);
  return new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
}

describe('shipped inpainting model', () => {
  const modelPath = resolve(ROOT, 'models', entry.file);

  it('matches the sha256 in the manifest', () => {
    expect(createHash('sha256').update(readFileSync(modelPath)).digest('hex')).toBe(entry.sha256);
  });

  it('matches PyTorch within the parity tolerance on every case', async () => {
    const session = await ort.InferenceSession.create(modelPath, { intraOpNumThreads: 2 });
    expect(session.inputNames).toEqual(['image', 'mask']);
    expect(session.outputNames).toEqual(['output']);
    expect(Object.keys(index.cases)).toEqual(expect.arrayContaining(['no_hole', 'all_hole', 'one_known']));
    for (const [name, c] of Object.entries(index.cases)) {
      const image = f32(resolve(PARITY, `${name}.image.bin`));
      const mask = f32(resolve(PARITY, `${name}.mask.bin`));
      const expected = f32(resolve(PARITY, `${name}.output.bin`));
      const out = await session.run({
        image: new ort.Tensor('float32', image, c.dims),
        mask: new ort.Tensor('float32', mask, c.maskDims),
      });
      const got = out.output!.data as Float32Array;
      let worst = 0;
      for (let i = 0; i < got.length; i++) worst = Math.max(worst, Math.abs(got[i]! - expected[i]!));
      expect(worst, name).toBeLessThanOrEqual(index.tolerance);
      // Known pixels come back unchanged (the model composites its output).
      const hw = c.maskDims[2]! * c.maskDims[3]!;
      for (let p = 0; p < hw; p += 7) {
        if (mask[p]! < 0.5) for (let ch = 0; ch < 3; ch++) expect(got[ch * hw + p]).toBeCloseTo(image[ch * hw + p]!, 5);
      }
    }
    await session.release();
  });
});
