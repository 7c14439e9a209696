/**
 * Local texture level: a percentile of a response map (Uint8Array, 0..255)
 * over square blocks, interpolated back to every pixel.
 *
 * A percentile, unlike a mean, ignores a scratch or crack passing through the
 * block as long as it covers less than the remaining share of the block, so
 * damage does not raise its own threshold, while foliage, hair or brickwork,
 * which fill their blocks, do.
 */

/**
 * response: Uint8Array width*height. block: side of each block, px; blocks
 * are centred every block/2 px (half overlap). Returns Float32Array
 * width*height of the per-block percentile, bilinearly interpolated.
 */
export function localPercentile(
  response: Uint8Array,
  width: number,
  height: number,
  block: number,
  percentile: number,
): Float32Array {
  const stride = Math.max(1, Math.round(block / 2));
  const gw = Math.ceil(width / stride) + 1;
  const gh = Math.ceil(height / stride) + 1;
  const grid = new Float32Array(gw * gh);
  const hist = new Uint32Array(256);
  const half = block / 2;
  for (let gy = 0; gy < gh; gy++) {
    const cy = gy * stride;
    const y0 = Math.max(0, Math.round(cy - half));
    const y1 = Math.min(height, Math.round(cy + half));
    for (let gx = 0; gx < gw; gx++) {
      const cx = gx * stride;
      const x0 = Math.max(0, Math.round(cx - half));
      const x1 = Math.min(width, Math.round(cx + half));
      hist.fill(0);
      let count = 0;
      for (let y = y0; y < y1; y++) {
        const row = y * width;
        for (let x = x0; x < x1; x++) hist[response[row + x]!]!++;
        count += Math.max(0, x1 - x0);
      }
      if (count === 0) continue;
      const rank = percentile * (count - 1);
      let acc = 0;
      let v = 0;
      for (; v < 255; v++) {
        acc += hist[v]!;
        if (acc > rank) break;
      }
      grid[gy * gw + gx] = v;
    }
  }
  // Grid node (gx, gy) sits at pixel (gx * stride, gy * stride).
  const out = new Float32Array(width * height);
  for (let y = 0; y < height; y++) {
    const fy = y / stride;
    const gy0 = Math.min(gh - 1, Math.floor(fy));
    const gy1 = Math.min(gh - 1, gy0 + 1);
    const ty = fy - gy0;
    const row = y * width;
    for (let x = 0; x < width; x++) {
      const fx = x / stride;
      const gx0 = Math.min(gw - 1, Math.floor(fx));
      const gx1 = Math.min(gw - 1, gx0 + 1);
      const tx = fx - gx0;
      const top = grid[gy0 * gw + gx0]! * (1 - tx) + grid[gy0 * gw + gx1]! * tx;
      const bottom = grid[gy1 * gw + gx0]! * (1 - tx) + grid[gy1 * gw + gx1]! * tx;
      out[row + x] = top * (1 - ty) + bottom * ty;
    }
  }
  return out;
}
