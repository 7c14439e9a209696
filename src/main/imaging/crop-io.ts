import type { CropJob } from './crop-plan';
import type { BinaryMask } from './mask';
import { LUMA, maxSampleValue, type Photo, type PixelArray } from './photo';
import { boxHeight, boxWidth } from './regions';

/**
 * Network input for one crop.
 * image: float32 planar RGB [1,3,netHeight,netWidth], values in [0,1]
 *        (sample / 255 or / 65535; grey photos replicated to R=G=B).
 * mask:  float32 [1,1,netHeight,netWidth], 1 = fill.
 * Padding beyond the (scaled) region mirrors it, mask included, so mirrored
 * damage is still marked as damage.
 */
export interface CropTensors {
  readonly image: Float32Array;
  readonly mask: Float32Array;
}

/**
 * @param pending photo-space mask of pixels still to fill (1 = fill). Pixels
 *   filled by an earlier tile are 0 here and serve as known context.
 */
export function readCrop(photo: Photo, pending: BinaryMask, job: CropJob): CropTensors {
  const { netWidth: nw, netHeight: nh } = job;
  const rw = boxWidth(job.region);
  const rh = boxHeight(job.region);
  // Size of the region after scaling; equals rw x rh when scale is 1.
  const sw = job.scale === 1 ? rw : Math.max(1, Math.round(rw * job.scale));
  const sh = job.scale === 1 ? rh : Math.max(1, Math.round(rh * job.scale));
  const plane = nw * nh;
  const image = new Float32Array(3 * plane);
  const mask = new Float32Array(plane);
  const inv = 1 / maxSampleValue(photo);
  const ch = photo.channels;
  const grey = photo.colourChannels === 1;
  const data = photo.data;

  // Column/row lookup tables: scaled coordinate -> photo source span [s0, s1).
  const xs = spans(job.region.x0, rw, sw);
  const ys = spans(job.region.y0, rh, sh);

  for (let oy = 0; oy < nh; oy++) {
    const sy = reflect(oy, sh);
    const y0 = ys[sy * 2]!;
    const y1 = ys[sy * 2 + 1]!;
    for (let ox = 0; ox < nw; ox++) {
      const sx = reflect(ox, sw);
      const x0 = xs[sx * 2]!;
      const x1 = xs[sx * 2 + 1]!;
      let r = 0;
      let g = 0;
      let b = 0;
      let hole = 0;
      // Area average of the source span (one pixel at scale 1); the mask takes
      // the max, so a hole never vanishes by being scaled down.
      for (let y = y0; y < y1; y++) {
        for (let x = x0; x < x1; x++) {
          const p = y * photo.width + x;
          const i = p * ch;
          if (grey) {
            r += data[i]!;
          } else {
            r += data[i]!;
            g += data[i + 1]!;
            b += data[i + 2]!;
          }
          if (pending.data[p]) hole = 1;
        }
      }
      const k = inv / ((y1 - y0) * (x1 - x0));
      const o = oy * nw + ox;
      image[o] = r * k;
      image[plane + o] = grey ? r * k : g * k;
      image[2 * plane + o] = grey ? r * k : b * k;
      mask[o] = hole;
    }
  }
  return { image, mask };
}

/** For each of n scaled positions, the photo span [start, end) it averages. */
function spans(origin: number, size: number, n: number): Int32Array {
  const out = new Int32Array(n * 2);
  for (let i = 0; i < n; i++) {
    const s0 = Math.floor((i * size) / n);
    const s1 = Math.max(s0 + 1, Math.floor(((i + 1) * size) / n));
    out[i * 2] = origin + s0;
    out[i * 2 + 1] = origin + s1;
  }
  return out;
}

/** Mirror index into [0, n) without repeating the edge sample (numpy 'reflect'). */
export function reflect(i: number, n: number): number {
  if (n === 1) return 0;
  const period = 2 * (n - 1);
  const m = ((i % period) + period) % period;
  return m < n ? m : period - m;
}

export interface PasteTarget {
  readonly photo: Photo;
  /** The mask as loaded; decides which pixels may change. */
  readonly mask: BinaryMask;
  /** Still-unfilled pixels; cleared here as pixels are written. */
  readonly pending: BinaryMask;
  /** XOR delta of every changed sample, same layout as photo.data. */
  readonly delta: PixelArray;
}

/**
 * Writes the network output into the photo for masked, still-pending pixels
 * of the crop's core only; every other sample is left exactly as it was.
 * output: float32 planar RGB [1,3,netHeight,netWidth] in [0,1].
 *
 * A masked pixel takes the network output alone, never a blend with its old
 * value: under the mask the old value is the damage (a white crack, dust), and
 * any share of it would survive as a light line along the hole's rim. The
 * network composites its fill with the known pixels itself, so the seam is
 * its own work. Returns the number of pixels written.
 */
export function pasteCrop(target: PasteTarget, job: CropJob, output: Float32Array): number {
  const { photo, mask, pending, delta } = target;
  const { netWidth: nw, netHeight: nh } = job;
  const plane = nw * nh;
  const rw = boxWidth(job.region);
  const rh = boxHeight(job.region);
  const sw = job.scale === 1 ? rw : Math.max(1, Math.round(rw * job.scale));
  const sh = job.scale === 1 ? rh : Math.max(1, Math.round(rh * job.scale));
  const fx = sw / rw;
  const fy = sh / rh;
  const max = maxSampleValue(photo);
  const ch = photo.channels;
  const grey = photo.colourChannels === 1;
  const data = photo.data;
  const rgb = [0, 0, 0];
  let written = 0;

  for (let y = job.core.y0; y < job.core.y1; y++) {
    for (let x = job.core.x0; x < job.core.x1; x++) {
      const p = y * photo.width + x;
      if (!mask.data[p] || !pending.data[p]) continue;
      sampleOutput(output, nw, plane, (x - job.region.x0 + 0.5) * fx - 0.5, (y - job.region.y0 + 0.5) * fy - 0.5, sw, sh, rgb);
      const i = p * ch;
      if (grey) {
        // Rec. 601 luma: the network saw R=G=B, so this mostly averages its noise.
        writeSample(data, delta, i, LUMA[0] * rgb[0]! + LUMA[1] * rgb[1]! + LUMA[2] * rgb[2]!, max);
      } else {
        for (let c = 0; c < 3; c++) writeSample(data, delta, i + c, rgb[c]!, max);
      }
      pending.data[p] = 0;
      written++;
    }
  }
  return written;
}

function writeSample(data: PixelArray, delta: PixelArray, i: number, v: number, max: number): void {
  const old = data[i]!;
  const next = Math.round(Math.min(1, Math.max(0, v)) * max);
  data[i] = next;
  delta[i] = delta[i]! ^ old ^ next;
}

/** Bilinear sample of the planar output at scaled-region coordinates (sx, sy). */
function sampleOutput(
  out: Float32Array,
  nw: number,
  plane: number,
  sx: number,
  sy: number,
  sw: number,
  sh: number,
  rgb: number[],
): void {
  const cx = Math.min(sw - 1, Math.max(0, sx));
  const cy = Math.min(sh - 1, Math.max(0, sy));
  const x0 = Math.floor(cx);
  const y0 = Math.floor(cy);
  const x1 = Math.min(sw - 1, x0 + 1);
  const y1 = Math.min(sh - 1, y0 + 1);
  const ax = cx - x0;
  const ay = cy - y0;
  const w00 = (1 - ax) * (1 - ay);
  const w10 = ax * (1 - ay);
  const w01 = (1 - ax) * ay;
  const w11 = ax * ay;
  const i00 = y0 * nw + x0;
  const i10 = y0 * nw + x1;
  const i01 = y1 * nw + x0;
  const i11 = y1 * nw + x1;
  for (let c = 0; c < 3; c++) {
    const o = c * plane;
    rgb[c] = w00 * out[o + i00]! + w10 * out[o + i10]! + w01 * out[o + i01]! + w11 * out[o + i11]!;
  }
}
