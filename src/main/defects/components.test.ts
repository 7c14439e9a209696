import { describe, expect, it } from 'vitest';
import { keepByMeanScore, labelComponents } from './components';

/** Areas of the 8-connected components by flood fill, in order of each one's first pixel in raster order. */
function floodAreas(mask: Uint8Array, width: number, height: number): number[] {
  const seen = new Uint8Array(mask.length);
  const areas: number[] = [];
  for (let start = 0; start < mask.length; start++) {
    if (!mask[start] || seen[start]) continue;
    let area = 0;
    const stack = [start];
    seen[start] = 1;
    while (stack.length) {
      const i = stack.pop()!;
      area++;
      const x = i % width;
      const y = (i - x) / width;
      for (let dy = -1; dy <= 1; dy++) {
        for (let dx = -1; dx <= 1; dx++) {
          const xx = x + dx;
          const yy = y + dy;
          if (xx < 0 || yy < 0 || xx >= width || yy >= height) continue;
          const j = yy * width + xx;
          if (mask[j] && !seen[j]) {
            seen[j] = 1;
            stack.push(j);
          }
        }
      }
    }
    areas.push(area);
  }
  return areas;
}

/** A sparse mask (strokes and specks on mostly zero), placed at byte offset `offset` of its buffer. */
function sparseMask(width: number, height: number, offset: number): Uint8Array {
  const mask = new Uint8Array(new ArrayBuffer(width * height + offset), offset, width * height);
  let s = 11;
  for (let k = 0; k < 40; k++) {
    s = (s * 1103515245 + 12345) >>> 0;
    const x0 = s % width;
    s = (s * 1103515245 + 12345) >>> 0;
    const y0 = s % height;
    const length = 1 + (s % 9);
    for (let t = 0; t < length; t++) {
      const x = Math.min(width - 1, x0 + t);
      const y = Math.min(height - 1, y0 + (k % 3 === 0 ? t : 0));
      mask[y * width + x] = 1 + (k % 2);
    }
  }
  return mask;
}

describe('labelComponents', () => {
  it('finds the components a flood fill finds, on aligned and unaligned masks whose rows end inside a word', () => {
    for (const [width, height] of [[37, 29], [64, 20], [5, 50]] as const) {
      for (const offset of [0, 1, 3]) {
        const mask = sparseMask(width, height, offset);
        const { labels, components } = labelComponents(mask, width, height);
        expect(components.map((c) => c.area)).toEqual(floodAreas(mask, width, height));
        for (let i = 0; i < mask.length; i++) expect(labels[i] !== 0).toBe(mask[i] !== 0);
      }
    }
  });

  it('keepByMeanScore keeps the components whose mean score reaches the limit, with their mask values', () => {
    const width = 41;
    const height = 23;
    const mask = sparseMask(width, height, 1);
    const { labels, components } = labelComponents(mask, width, height);
    // Score: the component's label parity, so about half of them reach a mean of 1.
    const score = new Float32Array(mask.length);
    for (let i = 0; i < mask.length; i++) if (labels[i]) score[i] = labels[i]! % 2;
    const kept = keepByMeanScore(mask, width, height, score, 1);
    expect(kept.count).toBe(components.filter((c) => c.label % 2 === 1).length);
    for (let i = 0; i < mask.length; i++) expect(kept.mask[i]).toBe(labels[i]! % 2 === 1 ? mask[i] : 0);
  });
});
