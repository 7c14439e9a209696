/**
 * Separable Gaussian blur of a float plane: texture's detail split (luma minus its blur) and
 * grain's blurred noise both use it, each with its own kernel.
 */

/**
 * The 2 * radius + 1 taps of a Gaussian of `sigma` px, centre at index `radius`, normalised to
 * sum to 1. `normalise` says what they are divided by: 'stored' the sum of the float32 taps,
 * 'exact' the sum of the values before they were rounded to float32. The two differ in the last
 * bit for some sigmas; each caller keeps the taps its outputs were made with (grain's noise
 * sizes were calibrated with 'exact' ones: GRAIN_SIZE_RESPONSES).
 */
export function gaussianTaps(sigma: number, radius: number, normalise: 'stored' | 'exact' = 'stored'): Float32Array {
  // Radius 0 is no blur, whatever sigma (grain's white noise asks with sigma 0).
  if (radius === 0) return Float32Array.of(1);
  const exact = Array.from({ length: 2 * radius + 1 }, (_, i) => Math.exp(-((i - radius) ** 2) / (2 * sigma * sigma)));
  const taps = Float32Array.from(exact);
  let sum = 0;
  for (let i = 0; i < taps.length; i++) sum += normalise === 'exact' ? exact[i]! : taps[i]!;
  for (let i = 0; i < taps.length; i++) taps[i]! /= sum;
  return taps;
}

/**
 * Blurs a width x height plane (row-major) by `taps` along its rows, then its columns, and
 * returns it less `margin` px on every side: (width - 2 margin) x (height - 2 margin), row-major.
 * Samples past the plane's edge repeat the edge; a margin of the taps' radius reads none, so a
 * caller that can make its plane that much larger (grain's noise) gets no edge effect at all.
 */
export function blurSeparable(src: Float32Array, width: number, height: number, taps: Float32Array, margin = 0): Float32Array {
  const radius = (taps.length - 1) / 2;
  // Edges repeated into a border once keep the clamp out of the inner loops.
  if (margin < radius) {
    const pad = radius - margin;
    return blurSeparable(withEdgesRepeated(src, width, height, pad), width + 2 * pad, height + 2 * pad, taps, radius);
  }
  const skip = margin - radius;
  const w = width - 2 * margin;
  const h = height - 2 * margin;
  // The rows the column pass reads: h + 2 radius of them, from row `skip` on.
  const rows = new Float32Array(w * (h + 2 * radius));
  for (let y = 0; y < h + 2 * radius; y++) {
    const start = (y + skip) * width + skip;
    for (let x = 0; x < w; x++) {
      let v = 0;
      for (let t = 0; t < taps.length; t++) v += taps[t]! * src[start + x + t]!;
      rows[y * w + x] = v;
    }
  }
  const out = new Float32Array(w * h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      let v = 0;
      for (let t = 0; t < taps.length; t++) v += taps[t]! * rows[(y + t) * w + x]!;
      out[y * w + x] = v;
    }
  }
  return out;
}

/** The plane with a border of `pad` px on every side that repeats its nearest edge pixel. */
function withEdgesRepeated(src: Float32Array, width: number, height: number, pad: number): Float32Array {
  const W = width + 2 * pad;
  const out = new Float32Array(W * (height + 2 * pad));
  for (let y = 0; y < height + 2 * pad; y++) {
    const row = Math.min(height - 1, Math.max(0, y - pad)) * width;
    for (let x = 0; x < W; x++) out[y * W + x] = src[row + Math.min(width - 1, Math.max(0, x - pad))]!;
  }
  return out;
}
