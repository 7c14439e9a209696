/**
 * Coherent Semantic Attention (Liu et al., ICCV 2019) in plain typed arrays.
 *
 * This is the host-side reference of the `patina.csa::CoherentSemanticAttention`
 * op that the shipped ONNX model carries as a model-local function. It documents
 * the op, is checked against that function on golden vectors, and can stand in
 * for it if a runtime ever refuses the function.
 *
 * Layout: `features` float32 (C, h, w) channel-major; `holeMask` (h, w) row-major,
 * > 0.5 = hole. Positions are flattened row-major (p = y * w + x); holes and known
 * positions are both visited in that order.
 *
 * Search, for every hole i:  s_ij = <x_i, k_j> / (|k_j| + 1e-8),  mbar_i = k_{argmax_j}
 * (first index on ties), Dmax_i = max_j s_ij.
 * Generate, in raster order of holes, starting from m_0 = mbar_1:
 *   Dad_i = max(<m_{i-1}, x_i> / (|x_i| + 1e-8), 0)
 *   a_i   = Dad_i / (Dad_i + max(Dmax_i, 0) + 1e-6)
 *   m_i   = mbar_i + a_i (m_{i-1} - mbar_i)
 * The guard (clamping at 0, the 1e-6) is Patina's; CSA.md leaves it open. With
 * no known position the op is the identity.
 */

export const NORM_EPS = 1e-8;
export const MIX_EPS = 1e-6;

export interface CsaShape {
  readonly channels: number;
  readonly height: number;
  readonly width: number;
}

/** Returns a new (C, h, w) float32 array; the inputs are not modified. */
export function coherentSemanticAttention(
  features: Float32Array,
  holeMask: Float32Array | Uint8Array,
  shape: CsaShape,
): Float32Array {
  const { channels: C, height: h, width: w } = shape;
  const n = h * w;
  if (features.length !== C * n) {
    throw new RangeError(`features has ${features.length} values, expected C*h*w = ${C * n}`);
  }
  if (holeMask.length !== n) {
    throw new RangeError(`holeMask has ${holeMask.length} values, expected h*w = ${n}`);
  }
  const out = Float32Array.from(features);
  const holes: number[] = [];
  const known: number[] = [];
  for (let p = 0; p < n; p++) (holeMask[p]! > 0.5 ? holes : known).push(p);
  if (holes.length === 0 || known.length === 0) return out;

  // Rows as (position, channel) vectors; float64 accumulators keep the
  // reference at least as exact as the float32 ONNX function it is tested against.
  const vec = (p: number): Float64Array => {
    const v = new Float64Array(C);
    for (let c = 0; c < C; c++) v[c] = features[c * n + p]!;
    return v;
  };
  const knownVecs = known.map(vec);
  const knownInvNorm = knownVecs.map((k) => 1 / (Math.sqrt(dot(k, k)) + NORM_EPS));

  let prev: Float64Array | null = null;
  for (const p of holes) {
    const x = vec(p);
    let best = 0;
    let dmax = -Infinity;
    for (let j = 0; j < knownVecs.length; j++) {
      const s = dot(x, knownVecs[j]!) * knownInvNorm[j]!;
      if (s > dmax) {
        dmax = s;
        best = j;
      }
    }
    const mbar = knownVecs[best]!;
    const mPrev = prev ?? mbar;
    const dad = Math.max(dot(mPrev, x) / (Math.sqrt(dot(x, x)) + NORM_EPS), 0);
    const a = dad / (dad + Math.max(dmax, 0) + MIX_EPS);
    const m = new Float64Array(C);
    for (let c = 0; c < C; c++) m[c] = mbar[c]! + a * (mPrev[c]! - mbar[c]!);
    for (let c = 0; c < C; c++) out[c * n + p] = m[c]!;
    prev = m;
  }
  return out;
}

/**
 * The pixel mask shrunk to the CSA grid the way the reference network does it:
 * three 4x4 stride-2 box filters with zero padding 1 (each output divides by
 * 16), then > 5/16 is a hole. `mask` is (H, W) row-major in [0, 1]; H and W are
 * multiples of 8. Returns (H/8, W/8) with 1 = hole.
 */
export function gridMask(mask: Float32Array, height: number, width: number): Float32Array {
  let cur = Float64Array.from(mask);
  let h = height;
  let w = width;
  for (let level = 0; level < 3; level++) {
    const oh = h / 2;
    const ow = w / 2;
    const next = new Float64Array(oh * ow);
    for (let y = 0; y < oh; y++) {
      for (let x = 0; x < ow; x++) {
        let sum = 0;
        for (let dy = -1; dy < 3; dy++) {
          const yy = 2 * y + dy;
          if (yy < 0 || yy >= h) continue;
          for (let dx = -1; dx < 3; dx++) {
            const xx = 2 * x + dx;
            if (xx >= 0 && xx < w) sum += cur[yy * w + xx]!;
          }
        }
        next[y * ow + x] = sum / 16;
      }
    }
    cur = next;
    h = oh;
    w = ow;
  }
  return Float32Array.from(cur, (v) => (v > 5 / 16 ? 1 : 0));
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}
