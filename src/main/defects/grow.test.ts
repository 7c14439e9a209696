import { describe, expect, it } from 'vitest';
import { growFromSeeds, grownLevels } from './grow';

/** A deterministic pseudo-random map of `n` values in 0..1, with runs so that components form. */
function randomMap(n: number, seed: number): Float32Array {
  const out = new Float32Array(n);
  let s = seed;
  for (let i = 0; i < n; i++) {
    s = (s * 1103515245 + 12345) >>> 0;
    out[i] = i > 0 && (s >>> 28) < 6 ? out[i - 1]! : (s >>> 8) / 2 ** 24;
  }
  return out;
}

describe('hysteresis on the damage probabilities', () => {
  it('grows a seed along a connected faint line and leaves a faint line without a seed alone', () => {
    const width = 12;
    const height = 5;
    const prob = new Float32Array(width * height);
    // Row 1: a faint line (0.6) with one sure pixel; row 3: the same faint line, no sure pixel.
    for (let x = 1; x < 11; x++) {
      prob[width + x] = 0.6;
      prob[3 * width + x] = 0.6;
    }
    prob[width + 5] = 0.99;
    const mask = growFromSeeds(prob, width, height, 0.9, 0.5);
    for (let x = 0; x < width; x++) {
      expect(mask[width + x], `row 1, x ${x}`).toBe(x >= 1 && x < 11 ? 1 : 0);
      expect(mask[3 * width + x], `row 3, x ${x}`).toBe(0);
    }
    // Without a lower grow threshold it is a plain threshold.
    expect([...growFromSeeds(prob, width, height, 0.9, 0.9)].filter(Boolean)).toHaveLength(1);
    // Diagonal neighbours connect (8-connectivity).
    const diag = new Float32Array(9);
    diag[0] = 0.99;
    diag[4] = 0.6;
    diag[8] = 0.6;
    expect([...growFromSeeds(diag, 3, 3, 0.9, 0.5)]).toEqual([1, 0, 0, 0, 1, 0, 0, 0, 1]);
  });

  it('gives every pixel the level from which growFromSeeds flags it, at every level', () => {
    const width = 37;
    const height = 23;
    for (const seed of [1, 2, 3]) {
      const prob = randomMap(width * height, seed);
      // Seed levels 0..255 from the probability, grow levels 60 higher: as scores.ts derives them.
      const seedLevels = new Uint8Array(prob.length);
      const growLevels = new Uint8Array(prob.length);
      for (let i = 0; i < prob.length; i++) {
        seedLevels[i] = Math.round(255 * prob[i]! ** 3);
        growLevels[i] = Math.min(255, seedLevels[i]! + 60);
      }
      const levels = grownLevels(seedLevels, growLevels, width, height);
      // Growing must have lifted some pixels above their own seed level, or this compares nothing.
      expect(levels.filter((v, i) => v > seedLevels[i]!).length).toBeGreaterThan(50);
      for (let level = 0; level < 256; level += 5) {
        // At level L a pixel seeds when its seed level is above L and may be grown through when its grow level is.
        const seedProb = Float32Array.from(seedLevels, (v) => v);
        const growProb = Float32Array.from(growLevels, (v) => v);
        const byRule = growFromSeedsOnTwoMaps(seedProb, growProb, width, height, level);
        expect(Uint8Array.from(levels, (v) => (v > level ? 1 : 0)), `map ${seed}, level ${level}`).toEqual(byRule);
      }
    }
  });
});

/** growFromSeeds' rule where the seed and grow tests read two maps (the byte levels): a reference. */
function growFromSeedsOnTwoMaps(seedMap: Float32Array, growMap: Float32Array, width: number, height: number, level: number): Uint8Array {
  const mask = new Uint8Array(seedMap.length);
  const queue: number[] = [];
  for (let i = 0; i < seedMap.length; i++) {
    if (seedMap[i]! > level) {
      mask[i] = 1;
      queue.push(i);
    }
  }
  while (queue.length > 0) {
    const i = queue.pop()!;
    const x = i % width;
    const y = (i - x) / width;
    for (let dy = -1; dy <= 1; dy++) {
      for (let dx = -1; dx <= 1; dx++) {
        const nx = x + dx;
        const ny = y + dy;
        if (nx < 0 || ny < 0 || nx >= width || ny >= height) continue;
        const j = ny * width + nx;
        if (!mask[j] && growMap[j]! > level) {
          mask[j] = 1;
          queue.push(j);
        }
      }
    }
  }
  return mask;
}
