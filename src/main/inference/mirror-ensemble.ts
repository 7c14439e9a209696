import type { QualityMode } from '@shared/ipc/restore';
import type { Inpainter } from './inpainter';

/**
 * The mirror self-ensemble: each crop runs as given and flipped left-right,
 * and the two fills are averaged. The passes see a hole's context from
 * opposite sides, so their errors are partly independent and the mean is
 * closer to the truth; known pixels are the input in both, so the composite
 * outside the hole is unchanged. Twice the compute of one pass.
 * A model that already averages a mirrored pass inside its graph
 * (`mirrored`) is returned as it is.
 */
export function withQualityMode(model: Inpainter, mode: QualityMode): Inpainter {
  if (mode === 'fast' || model.mirrored) return model;
  return {
    ...model,
    mirrored: true,
    async inpaint(image, mask, width, height) {
      const a = await model.inpaint(image, mask, width, height);
      const b = await model.inpaint(flipRows(image, width), flipRows(mask, width), width, height);
      const out = new Float32Array(a.length);
      // Planes of `width`-long rows: row r of b, read backwards, lines up with row r of a.
      for (let row = 0; row < a.length / width; row++) {
        const o = row * width;
        for (let x = 0; x < width; x++) out[o + x] = (a[o + x]! + b[o + width - 1 - x]!) * 0.5;
      }
      return out;
    },
  };
}

/** Every `width`-long row of planar data reversed (a left-right flip of each plane). */
function flipRows(data: Float32Array, width: number): Float32Array {
  const out = new Float32Array(data.length);
  for (let o = 0; o < data.length; o += width) for (let x = 0; x < width; x++) out[o + x] = data[o + width - 1 - x]!;
  return out;
}
