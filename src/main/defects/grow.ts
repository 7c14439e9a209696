/**
 * Hysteresis on the learned detector's probabilities, as Canny does on edge
 * strength: cracks are connected, and the network is sure of a crack's core
 * long before it is sure of its faint continuation. Pixels above the seed
 * threshold are damage; so are pixels above a lower grow threshold that are
 * 8-connected to a seed through such pixels. A photo with no seed gains
 * nothing.
 *
 * Both thresholds move with the sensitivity by the same number of logits
 * (learnedThreshold), so the mask at a higher sensitivity still contains the
 * mask at a lower one, and every pixel has a level from which on it is
 * flagged: grownLevels works those out for the editor's live preview.
 */

/** 1 where `prob` passes `seed`, or passes `grow` connected to such a pixel through pixels that pass `grow`. */
export function growFromSeeds(prob: Float32Array, width: number, height: number, seed: number, grow: number): Uint8Array {
  const mask = new Uint8Array(prob.length);
  if (grow >= seed) {
    for (let i = 0; i < prob.length; i++) mask[i] = prob[i]! > seed ? 1 : 0;
    return mask;
  }
  const stack = new Int32Array(prob.length);
  let top = 0;
  for (let i = 0; i < prob.length; i++) {
    if (prob[i]! > seed) {
      mask[i] = 1;
      stack[top++] = i;
    }
  }
  const visit = (j: number): void => {
    if (!mask[j] && prob[j]! > grow) {
      mask[j] = 1;
      stack[top++] = j;
    }
  };
  while (top > 0) forEachNeighbour(stack[--top]!, width, height, visit);
  return mask;
}

/**
 * Preview levels with hysteresis: per pixel the byte from which it is a seed
 * (`seedLevels`) and from which it may be grown through (`growLevels`, never
 * below its seed level); flagged at level L when above L, 0 = never. Returns
 * per pixel the largest L at which growFromSeeds' rule flags it: the best,
 * over 8-connected paths to a seed, of the smaller of the seed's level and
 * the path's lowest grow level. Levels are settled from the highest down
 * (a bucket queue), so each pixel is expanded once.
 */
export function grownLevels(seedLevels: Uint8Array, growLevels: Uint8Array, width: number, height: number): Uint8Array {
  const out = Uint8Array.from(seedLevels);
  // A pixel may be queued at several levels as better paths reach it; only its best counts.
  const buckets: number[][] = Array.from({ length: 256 }, () => []);
  for (let i = 0; i < out.length; i++) if (out[i]! > 0) buckets[out[i]!]!.push(i);
  for (let level = 255; level > 0; level--) {
    const bucket = buckets[level]!;
    const visit = (j: number): void => {
      const reach = Math.min(level, growLevels[j]!);
      if (reach > out[j]!) {
        out[j] = reach;
        buckets[reach]!.push(j);
      }
    };
    while (bucket.length > 0) {
      const i = bucket.pop()!;
      if (out[i]! === level) forEachNeighbour(i, width, height, visit);
    }
    buckets[level] = [];
  }
  return out;
}

/** Calls visit with each pixel of the 3x3 window around pixel i that lies inside the image (i itself included). */
function forEachNeighbour(i: number, width: number, height: number, visit: (j: number) => void): void {
  const x = i % width;
  const y = (i - x) / width;
  const x1 = x < width - 1 ? x + 1 : x;
  const y1 = y < height - 1 ? y + 1 : y;
  for (let ny = y > 0 ? y - 1 : y; ny <= y1; ny++) {
    for (let nx = x > 0 ? x - 1 : x; nx <= x1; nx++) visit(ny * width + nx);
  }
}
