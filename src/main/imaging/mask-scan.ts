// Passes over mostly-zero 8-bit rasters (damage and fill masks) that skip the zeros four samples
// at a time: masks are mostly zero, so such a pass over a 12 MP mask costs a fraction of one that
// tests every sample.

/** A 32-bit view of a raster's samples, four to a word; empty when its buffer is not 4-aligned. */
export function quadsOf(data: Uint8Array): Uint32Array {
  return data.byteOffset % 4 === 0 ? new Uint32Array(data.buffer, data.byteOffset, data.length >>> 2) : new Uint32Array(0);
}

/** Calls visit(start, end) for each run of up to four samples of `data` that holds a non-zero value, in order. */
export function forEachNonZeroQuad(data: Uint8Array, visit: (start: number, end: number) => void): void {
  const quads = quadsOf(data);
  for (let k = 0; k < quads.length; k++) if (quads[k] !== 0) visit(k << 2, (k << 2) + 4);
  for (let i = quads.length << 2; i < data.length; i++) if (data[i] !== 0) visit(i, i + 1);
}

/** The first index in [from, to) whose sample is non-zero, or `to`. `quads` is quadsOf(data). */
export function nextNonZero(data: Uint8Array, quads: Uint32Array, from: number, to: number): number {
  let i = from;
  while (i < to) {
    if ((i & 3) === 0 && i + 4 <= to && i >>> 2 < quads.length && quads[i >>> 2] === 0) {
      i += 4;
      continue;
    }
    if (data[i] !== 0) return i;
    i++;
  }
  return to;
}
