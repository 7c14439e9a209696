import { blurSeparable, gaussianTaps } from './gaussian';
import type { BinaryMask } from './mask';
import { LUMA, maxSampleValue, type Photo, type PixelArray } from './photo';

/**
 * Grain matching: the network fills a hole with a smooth estimate, which reads
 * as a clean patch on a grainy print. This measures the grain around each hole
 * and adds noise of that level and grain size to the filled pixels only.
 *
 * Grain level: Immerkaer's noise estimator, the 3x3 kernel
 * [1 -2 1; -2 4 -2; 1 -2 1] (zero on flat areas and linear gradients; on white
 * noise of sigma s it answers with sigma 6 s), robustly, from the median of its
 * absolute response (median |N(0,1)| = 0.6745) over the luma of known pixels
 * whose whole 3x3 neighbourhood is known. Measured in 32 px cells; a hole cell
 * takes the pooled histogram of the known samples in the ring of cells around
 * it, widened until it holds enough of them. What the fill already has is
 * measured the same way on filled pixels deep inside the hole, and only the
 * missing part is added: sqrt(ring^2 - fill^2).
 *
 * Grain size: film grain on a scan spans more than a pixel. The same estimator
 * on the 2x2-averaged picture answers half as much for white noise and more for
 * correlated grain; the noise added is white noise blurred by the Gaussian whose
 * ratio (measured once on synthetic noise) is nearest the photo's.
 *
 * The grain fades in over the first RIM_PX pixels from the hole's edge: a thin crack's
 * fill is too narrow to read as a smooth patch, and there noise would only move the fill
 * away from the network's closest estimate (a 3-px scratch gets about a fifth of the noise
 * energy a box does).
 *
 * Only the mask's pixels change, and nothing read here lies under the mask
 * except the fill itself, so the output does not depend on what the damage was.
 * The noise is a hash of the pixel's position and a seed from the photo's size:
 * the same photo comes out the same, whatever the crops or the order.
 * The grain is luma: the same offset on every colour channel (a print's grain
 * is its density, not its colour), alpha untouched.
 */

export const GRAIN_CELL = 32;
/** Immerkaer response sigma per unit noise sigma, over the median of |N(0,1)|. */
const MEDIAN_TO_SIGMA = 1 / (6 * 0.6745);
/** Known samples a ring needs before its median is trusted. */
const MIN_RING_SAMPLES = 400;
/** Filled samples (deep in the hole) needed to subtract the fill's own grain; fewer counts as none. */
const MIN_FILL_SAMPLES = 64;
/** How many cells out a ring may reach from a hole cell. */
const MAX_RING_CELLS = 6;
/** Cells sampled to decide 'auto' before any full estimate is paid for. */
const DECIDE_CELLS = 96;
/** The most grain added (sigma as the estimator reads it, 8-bit units): a ring of dense texture is not grain. */
const MAX_ADDED_SIGMA = 8;
/** The most noise added per pixel (standard deviation, 8-bit units), whatever the grain size. */
const MAX_PIXEL_SIGMA = 10;
/** Depth into the hole (px, Chebyshev) at which the grain reaches full strength. */
const RIM_PX = 3;
/**
 * 'auto' matches grain when the photo's grain around its holes is at least this sigma (8-bit
 * units). From the real scans in shared/data/damaged (bopb_old_photos): see docs/GRAIN.md.
 */
export const AUTO_GRAIN_SIGMA = 1.1;

const [LUMA_R, LUMA_G, LUMA_B] = LUMA;

/** Response histogram: log-spaced bins of |response| in 8-bit units, ~3 % wide. */
const BINS = 256;
const BIN_SCALE = 24;
const BIN_UNIT = 0.5;
function binOf(v: number): number {
  return Math.min(BINS - 1, Math.floor(BIN_SCALE * Math.log2(1 + v / BIN_UNIT)));
}
/**
 * binOf without a logarithm for the common small responses: slot s of the table covers
 * [s, s + 1) / BIN_LUT_STEP and holds its bin when the whole slot falls in one (binOf is
 * monotonic, so equal ends mean an equal interior), else NO_BIN and binOf decides.
 */
const BIN_LUT_STEP = 128;
const BIN_LUT_MAX = 64;
const NO_BIN = BINS;
const BIN_LUT = (() => {
  const table = new Uint16Array(BIN_LUT_MAX * BIN_LUT_STEP);
  for (let s = 0; s < table.length; s++) {
    const lo = binOf(s / BIN_LUT_STEP);
    table[s] = lo === binOf((s + 1) / BIN_LUT_STEP) ? lo : NO_BIN;
  }
  return table;
})();
function binIndex(v: number): number {
  if (v < BIN_LUT_MAX) {
    const bin = BIN_LUT[(v * BIN_LUT_STEP) | 0]!;
    if (bin !== NO_BIN) return bin;
  }
  return binOf(v);
}
function valueOf(bin: number): number {
  return BIN_UNIT * (2 ** ((bin + 0.5) / BIN_SCALE) - 1);
}

/** Median of a histogram (bin centre); NaN when it is empty. */
function medianOf(hist: Uint32Array, n: number): number {
  if (n === 0) return Number.NaN;
  let seen = 0;
  for (let b = 0; b < BINS; b++) {
    seen += hist[b]!;
    if (seen * 2 >= n) return valueOf(b);
  }
  return valueOf(BINS - 1);
}

interface CellStats {
  /** |response| of known samples at full resolution, on the 2x2-averaged picture, and of deep filled samples. */
  readonly known: Uint32Array;
  readonly coarse: Uint32Array;
  readonly fill: Uint32Array;
  nKnown: number;
  nCoarse: number;
  nFill: number;
}

export interface GrainEstimate {
  /**
   * The grain around the holes, 8-bit units (0 when nothing around them was measurable): the
   * sigma of white noise with the same fine-scale energy. Grain that spans pixels reads less
   * than its per-pixel spread here, as image structure does; the fine scale is what is robust.
   */
  readonly sigma: number;
  /** Blur (Gaussian sigma, px) of the noise that matches the grain's size. */
  readonly blurPx: number;
}

export interface GrainResult extends GrainEstimate {
  /** False when the photo's grain is under the threshold ('auto') or nothing could be measured. */
  readonly applied: boolean;
}

/** The grain around the mask's holes, pooled over all of them, without changing anything. */
export function estimateGrain(photo: Photo, mask: BinaryMask): GrainEstimate {
  const grid = new CellGrid(photo, mask);
  return grid.photoEstimate(grid.holeCells());
}

/**
 * Measures the grain around the mask's holes and, when `force` or the grain is visible
 * (AUTO_GRAIN_SIGMA), adds matching noise to the mask's pixels of the filled photo,
 * recording every change in delta (XOR, as pasteCrop does).
 */
export function matchGrain(photo: Photo, mask: BinaryMask, delta: PixelArray, force: boolean): GrainResult {
  const grid = new CellGrid(photo, mask);
  const holeCells = grid.holeCells();
  if (holeCells.length === 0) return { sigma: 0, blurPx: 0, applied: false };
  // Decide on an even sample of the hole cells first, so a photo without grain pays little.
  const step = Math.max(1, Math.floor(holeCells.length / DECIDE_CELLS));
  const sample = holeCells.filter((_, i) => i % step === 0);
  const estimate = grid.photoEstimate(sample);
  if (!force && !(estimate.sigma >= AUTO_GRAIN_SIGMA)) return { ...estimate, applied: false };
  if (!(estimate.sigma > 0)) return { ...estimate, applied: false };
  const full = grid.photoEstimate(holeCells);
  const noise = noiseKernelFor(full.blurPx);
  grid.addNoise(holeCells, noise, delta);
  return { ...full, applied: true };
}

class CellGrid {
  readonly cols: number;
  readonly rows: number;
  private readonly stats = new Map<number, CellStats>();
  private readonly max: number;
  private readonly seed: number;

  constructor(
    private readonly photo: Photo,
    private readonly mask: BinaryMask,
  ) {
    this.cols = Math.ceil(photo.width / GRAIN_CELL);
    this.rows = Math.ceil(photo.height / GRAIN_CELL);
    this.max = maxSampleValue(photo);
    this.seed = hash32(photo.width, photo.height, 0x9e3779b9);
  }

  /** Cells that hold at least one mask pixel, in raster order. */
  holeCells(): number[] {
    const { width, height } = this.photo;
    const has = new Uint8Array(this.cols * this.rows);
    const m = this.mask.data;
    const mark = (p: number) => {
      has[Math.floor(Math.floor(p / width) / GRAIN_CELL) * this.cols + Math.floor((p % width) / GRAIN_CELL)] = 1;
    };
    // Masks are mostly empty: test four pixels at a time where the buffer allows it.
    let start = 0;
    if (m.byteOffset % 4 === 0) {
      const words = new Uint32Array(m.buffer, m.byteOffset, m.length >> 2);
      for (let w = 0; w < words.length; w++) {
        if (words[w] === 0) continue;
        for (let p = 4 * w; p < 4 * w + 4; p++) if (m[p]) mark(p);
      }
      start = words.length * 4;
    }
    for (let p = start; p < width * height; p++) if (m[p]) mark(p);
    const out: number[] = [];
    for (let c = 0; c < has.length; c++) if (has[c]) out.push(c);
    return out;
  }

  /** Pooled estimate over the rings of the given hole cells (each known cell counted once). */
  photoEstimate(cells: readonly number[]): GrainEstimate {
    const used = new Set<number>();
    for (const c of cells) for (const r of this.ring(c).cells) used.add(r);
    const known = new Uint32Array(BINS);
    const coarse = new Uint32Array(BINS);
    let nKnown = 0;
    let nCoarse = 0;
    for (const c of used) {
      const s = this.cell(c);
      for (let b = 0; b < BINS; b++) {
        known[b]! += s.known[b]!;
        coarse[b]! += s.coarse[b]!;
      }
      nKnown += s.nKnown;
      nCoarse += s.nCoarse;
    }
    if (nKnown < MIN_RING_SAMPLES) return { sigma: 0, blurPx: 0 };
    const m1 = medianOf(known, nKnown);
    const ratio = nCoarse > 0 ? medianOf(coarse, nCoarse) / m1 : Number.NaN;
    return { sigma: round2(m1 * MEDIAN_TO_SIGMA), blurPx: blurForRatio(ratio) };
  }

  /** The ring of a hole cell: the cells within r of it, r the smallest that holds enough known samples. */
  private ring(cell: number): { cells: number[]; nKnown: number } {
    const cx = cell % this.cols;
    const cy = Math.floor(cell / this.cols);
    let cells: number[] = [];
    let n = 0;
    for (let r = 1; r <= MAX_RING_CELLS; r++) {
      cells = [];
      n = 0;
      for (let y = Math.max(0, cy - r); y <= Math.min(this.rows - 1, cy + r); y++) {
        for (let x = Math.max(0, cx - r); x <= Math.min(this.cols - 1, cx + r); x++) {
          const c = y * this.cols + x;
          cells.push(c);
          n += this.cell(c).nKnown;
        }
      }
      if (n >= MIN_RING_SAMPLES) break;
    }
    return { cells, nKnown: n };
  }

  /** Noise sigma (8-bit units) to add in a cell: what its ring has and its fill lacks. */
  private addedSigma(cell: number, cache: Float64Array): number {
    const hit = cache[cell]!;
    if (!Number.isNaN(hit)) return hit;
    const { cells, nKnown } = this.ring(cell);
    let added = 0;
    if (nKnown >= MIN_RING_SAMPLES) {
      const known = new Uint32Array(BINS);
      const fill = new Uint32Array(BINS);
      let nFill = 0;
      for (const c of cells) {
        const s = this.cell(c);
        for (let b = 0; b < BINS; b++) {
          known[b]! += s.known[b]!;
          fill[b]! += s.fill[b]!;
        }
        nFill += s.nFill;
      }
      const ring = medianOf(known, nKnown) * MEDIAN_TO_SIGMA;
      const own = nFill >= MIN_FILL_SAMPLES ? medianOf(fill, nFill) * MEDIAN_TO_SIGMA : 0;
      added = Math.min(MAX_ADDED_SIGMA, Math.sqrt(Math.max(0, ring * ring - own * own)));
    }
    cache[cell] = added;
    return added;
  }

  /** Adds the noise to every mask pixel of the hole cells; its level is interpolated between cell centres. */
  addNoise(holeCells: readonly number[], kernel: NoiseKernel, delta: PixelArray): void {
    const { width, height, data, channels } = this.photo;
    const colours = this.photo.colourChannels;
    const cache = new Float64Array(this.cols * this.rows).fill(Number.NaN);
    const sigmaAt = (gx: number, gy: number) =>
      this.addedSigma(Math.min(this.rows - 1, Math.max(0, gy)) * this.cols + Math.min(this.cols - 1, Math.max(0, gx)), cache);
    const scale = this.max / 255;
    for (const cell of holeCells) {
      const x0 = (cell % this.cols) * GRAIN_CELL;
      const y0 = Math.floor(cell / this.cols) * GRAIN_CELL;
      const x1 = Math.min(width, x0 + GRAIN_CELL);
      const y1 = Math.min(height, y0 + GRAIN_CELL);
      const field = kernel.field(x0, y0, x1 - x0, y1 - y0, this.seed);
      for (let y = y0; y < y1; y++) {
        // Bilinear weights between the four cell centres around (x, y).
        const fy = (y + 0.5) / GRAIN_CELL - 0.5;
        const gy = Math.floor(fy);
        const ay = fy - gy;
        for (let x = x0; x < x1; x++) {
          const p = y * width + x;
          if (!this.mask.data[p]) continue;
          const fx = (x + 0.5) / GRAIN_CELL - 0.5;
          const gx = Math.floor(fx);
          const ax = fx - gx;
          const sigma =
            (1 - ay) * ((1 - ax) * sigmaAt(gx, gy) + ax * sigmaAt(gx + 1, gy)) + ay * ((1 - ax) * sigmaAt(gx, gy + 1) + ax * sigmaAt(gx + 1, gy + 1));
          if (sigma <= 0) continue;
          const gain = (Math.min(sigma / kernel.unitSigma, MAX_PIXEL_SIGMA / kernel.fieldSigma) * this.depth(x, y)) / RIM_PX;
          const offset = field[(y - y0) * (x1 - x0) + (x - x0)]! * gain * scale;
          const i = p * channels;
          for (let c = 0; c < colours; c++) {
            const old = data[i + c]!;
            const next = Math.min(this.max, Math.max(0, Math.round(old + offset)));
            data[i + c] = next;
            delta[i + c] = delta[i + c]! ^ old ^ next;
          }
        }
      }
    }
  }

  /** Chebyshev distance (1..RIM_PX) from a mask pixel to the nearest known pixel, RIM_PX when farther. */
  private depth(x: number, y: number): number {
    const { width, height } = this.photo;
    const known = (xx: number, yy: number) => xx >= 0 && yy >= 0 && xx < width && yy < height && !this.mask.data[yy * width + xx];
    for (let d = 1; d < RIM_PX; d++) {
      for (let t = -d; t <= d; t++) {
        if (known(x + t, y - d) || known(x + t, y + d) || known(x - d, y + t) || known(x + d, y + t)) return d;
      }
    }
    return RIM_PX;
  }

  private cell(c: number): CellStats {
    let s = this.stats.get(c);
    if (!s) {
      s = measureCell(this.photo, this.mask, c % this.cols, Math.floor(c / this.cols), this.max);
      this.stats.set(c, s);
    }
    return s;
  }
}

/** Working planes of one cell and its margin, reused from cell to cell. */
const BLOCK = GRAIN_CELL + 4;
const scratch = {
  luma: new Float32Array(BLOCK * BLOCK),
  hole: new Uint8Array(BLOCK * BLOCK),
  avg: new Float64Array((BLOCK >> 1) * (BLOCK >> 1)),
};

/**
 * The cell's response histograms. A known sample needs its whole stencil known (3x3, or
 * 6x6 for the 2x2-averaged picture); a fill sample its whole 3x3 in the hole.
 */
function measureCell(photo: Photo, mask: BinaryMask, cx: number, cy: number, max: number): CellStats {
  const { width, height } = photo;
  // Luma and mask of the cell with a 2 px margin (the coarse stencil's reach), clipped to the photo.
  const bx0 = Math.max(0, cx * GRAIN_CELL - 2);
  const by0 = Math.max(0, cy * GRAIN_CELL - 2);
  const bx1 = Math.min(width, (cx + 1) * GRAIN_CELL + 2);
  const by1 = Math.min(height, (cy + 1) * GRAIN_CELL + 2);
  const bw = bx1 - bx0;
  const bh = by1 - by0;
  const luma = scratch.luma;
  const hole = scratch.hole;
  const ch = photo.channels;
  const k = 255 / max;
  const d = photo.data;
  const m = mask.data;
  let anyHole = false;
  for (let y = 0; y < bh; y++) {
    const row = (by0 + y) * width + bx0;
    const out = y * bw;
    if (photo.colourChannels === 1) {
      for (let x = 0; x < bw; x++) luma[out + x] = d[(row + x) * ch]! * k;
    } else {
      for (let x = 0; x < bw; x++) {
        const i = (row + x) * ch;
        luma[out + x] = (LUMA_R * d[i]! + LUMA_G * d[i + 1]! + LUMA_B * d[i + 2]!) * k;
      }
    }
    for (let x = 0; x < bw; x++) {
      const h = m[row + x] ? 1 : 0;
      hole[out + x] = h;
      if (h) anyHole = true;
    }
  }
  const s: CellStats = { known: new Uint32Array(BINS), coarse: new Uint32Array(BINS), fill: new Uint32Array(BINS), nKnown: 0, nCoarse: 0, nFill: 0 };
  const cx0 = cx * GRAIN_CELL;
  const cy0 = cy * GRAIN_CELL;
  const cx1 = Math.min(width, cx0 + GRAIN_CELL);
  const cy1 = Math.min(height, cy0 + GRAIN_CELL);
  for (let y = Math.max(1, cy0); y < Math.min(height - 1, cy1); y++) {
    for (let x = Math.max(1, cx0); x < Math.min(width - 1, cx1); x++) {
      const o = (y - by0) * bw + (x - bx0);
      let holes = 0;
      if (anyHole) for (let dy = -1; dy <= 1; dy++) for (let dx = -1; dx <= 1; dx++) holes += hole[o + dy * bw + dx]!;
      if (holes !== 0 && holes !== 9) continue;
      const r = Math.abs(immerkaer(luma, o, bw));
      if (holes === 0) {
        s.known[binIndex(r)]!++;
        s.nKnown++;
      } else {
        s.fill[binIndex(r)]!++;
        s.nFill++;
      }
    }
  }
  // The 2x2-averaged picture: coarse pixel (X, Y) averages photo pixels 2X..2X+1, 2Y..2Y+1.
  // The block starts on even coordinates, so its 2x2 averages are the coarse pixels.
  const aw = bw >> 1;
  const ah = bh >> 1;
  const avg = scratch.avg;
  for (let q = 0; q < ah; q++) {
    for (let p = 0; p < aw; p++) {
      const o = 2 * q * bw + 2 * p;
      avg[q * aw + p] = 0.25 * (luma[o]! + luma[o + 1]! + luma[o + bw]! + luma[o + bw + 1]!);
    }
  }
  for (let Y = Math.ceil(cy0 / 2); Y < Math.ceil(cy1 / 2); Y++) {
    for (let X = Math.ceil(cx0 / 2); X < Math.ceil(cx1 / 2); X++) {
      const x0 = 2 * X - 2;
      const y0 = 2 * Y - 2;
      if (x0 < 0 || y0 < 0 || x0 + 6 > width || y0 + 6 > height) continue;
      let known = true;
      if (anyHole) {
        for (let y = y0; y < y0 + 6 && known; y++) for (let x = x0; x < x0 + 6; x++) if (hole[(y - by0) * bw + (x - bx0)]) known = false;
      }
      if (!known) continue;
      const r = immerkaer(avg, ((y0 - by0) >> 1) * aw + ((x0 - bx0) >> 1) + aw + 1, aw);
      s.coarse[binIndex(Math.abs(r))]!++;
      s.nCoarse++;
    }
  }
  return s;
}

/** The kernel's response at o, summed in raster order. */
function immerkaer(v: Float32Array | Float64Array, o: number, stride: number): number {
  const a = o - stride;
  const b = o + stride;
  return v[a - 1]! - 2 * v[a]! + v[a + 1]! - 2 * v[o - 1]! + 4 * v[o]! - 2 * v[o + 1]! + v[b - 1]! - 2 * v[b]! + v[b + 1]!;
}

function round2(v: number): number {
  return Math.round(v * 100) / 100;
}

/** Position hash (murmur3's finaliser over the mixed coordinates): uniform 32-bit. */
function hash32(x: number, y: number, seed: number): number {
  let h = Math.imul(x, 0x27d4eb2d) ^ Math.imul(y ^ 0x5bd1e995, 0x165667b1) ^ seed;
  h = Math.imul(h ^ (h >>> 15), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** Standard normal sample for a pixel position (Box-Muller on two hashes). */
function gaussianAt(x: number, y: number, seed: number): number {
  const u1 = (hash32(x, y, seed) + 1) / 4294967297;
  const u2 = hash32(x, y, seed ^ 0x68e31da4) / 4294967296;
  return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
}

/** Grain sizes the noise can take: the Gaussian blur of white noise, px (0 = white). */
export const GRAIN_BLURS = [0, 0.5, 0.7, 0.9, 1.2, 1.6, 2.1] as const;

interface NoiseKernel {
  readonly blurPx: number;
  /** What the estimator reads as sigma (8-bit units per unit of field) on this noise. */
  readonly unitSigma: number;
  /** Coarse-to-fine response ratio of this noise. */
  readonly ratio: number;
  /** The field's own standard deviation per unit (1 unblurred, less the wider the blur). */
  readonly fieldSigma: number;
  /** The blurred unit noise over a rectangle, row-major. */
  field(x0: number, y0: number, w: number, h: number, seed: number): Float32Array;
}

function makeKernel(blurPx: number): Omit<NoiseKernel, 'unitSigma' | 'ratio' | 'fieldSigma'> {
  const radius = blurPx > 0 ? Math.ceil(3 * blurPx) : 0;
  const taps = gaussianTaps(blurPx, radius, 'exact');
  return {
    blurPx,
    field(x0, y0, w, h, seed) {
      const W = w + 2 * radius;
      const H = h + 2 * radius;
      const white = new Float32Array(W * H);
      for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) white[y * W + x] = gaussianAt(x0 + x - radius, y0 + y - radius, seed);
      if (radius === 0) return white;
      return blurSeparable(white, W, H, taps, radius);
    },
  };
}

/** How the estimator reads one grain size: what calibrateGrainSizes measures. */
export interface GrainSizeResponse {
  readonly blurPx: number;
  readonly unitSigma: number;
  readonly ratio: number;
  readonly fieldSigma: number;
}

/**
 * calibrateGrainSizes()'s answer, kept as data so a restore does not spend a quarter of a
 * second of CPU re-measuring it; grain.test.ts measures it again and compares.
 */
export const GRAIN_SIZE_RESPONSES: readonly GrainSizeResponse[] = [
  { blurPx: 0, unitSigma: 0.9983668088444227, ratio: 0.49381247922638816, fieldSigma: 1.0053341727464347 },
  { blurPx: 0.5, unitSigma: 0.4250534352908656, ratio: 0.7877041150123132, fieldSigma: 0.6463690202827063 },
  { blurPx: 0.7, unitSigma: 0.11038871381996385, ratio: 1.8692970969166687, fieldSigma: 0.4133434926254604 },
  { blurPx: 0.9, unitSigma: 0.03778331282122678, ratio: 3.426307669297418, fieldSigma: 0.3167679168681595 },
  { blurPx: 1.2, unitSigma: 0.010633609442850177, ratio: 5.902746843957122, fieldSigma: 0.23721134661357207 },
  { blurPx: 1.6, unitSigma: 0.00298811233102896, ratio: 8.435538603476461, fieldSigma: 0.17791823373256624 },
  { blurPx: 2.1, unitSigma: 0.0009250474415702552, ratio: 9.432664166854709, fieldSigma: 0.13560331582766896 },
];

let prepared: NoiseKernel[] | null = null;

function kernels(): NoiseKernel[] {
  prepared ??= GRAIN_SIZE_RESPONSES.map((r) => ({ ...makeKernel(r.blurPx), unitSigma: r.unitSigma, ratio: r.ratio, fieldSigma: r.fieldSigma }));
  return prepared;
}

/**
 * Each grain size's response to the estimator, measured on a 256 x 256 field of it as
 * an 8-bit-scaled grey photo with no holes: its sigma per unit and its coarse/fine ratio.
 */
export function calibrateGrainSizes(): GrainSizeResponse[] {
  const side = 256;
  return GRAIN_BLURS.map((blurPx) => {
    const k = makeKernel(blurPx);
    const unit = k.field(0, 0, side, side, 12345);
    // 10 units of noise around mid-grey keeps every sample in range and the bins fine.
    const data = new Float32Array(side * side);
    let sq = 0;
    for (let i = 0; i < data.length; i++) {
      data[i] = 128 + 10 * unit[i]!;
      sq += unit[i]! * unit[i]!;
    }
    const photo = { width: side, height: side, channels: 1, colourChannels: 1, bitDepth: 16, data } as unknown as Photo;
    const mask: BinaryMask = { width: side, height: side, data: new Uint8Array(side * side) };
    let nKnown = 0;
    let nCoarse = 0;
    const known = new Uint32Array(BINS);
    const coarse = new Uint32Array(BINS);
    const cells = side / GRAIN_CELL;
    for (let cy = 0; cy < cells; cy++) {
      for (let cx = 0; cx < cells; cx++) {
        const s = measureCell(photo, mask, cx, cy, 255);
        for (let b = 0; b < BINS; b++) {
          known[b]! += s.known[b]!;
          coarse[b]! += s.coarse[b]!;
        }
        nKnown += s.nKnown;
        nCoarse += s.nCoarse;
      }
    }
    const m1 = medianOf(known, nKnown);
    return { blurPx, unitSigma: (m1 * MEDIAN_TO_SIGMA) / 10, ratio: medianOf(coarse, nCoarse) / m1, fieldSigma: Math.sqrt(sq / unit.length) };
  });
}

function blurForRatio(ratio: number): number {
  if (!Number.isFinite(ratio)) return 0;
  let best = kernels()[0]!;
  for (const k of kernels()) if (Math.abs(k.ratio - ratio) < Math.abs(best.ratio - ratio)) best = k;
  return best.blurPx;
}

function noiseKernelFor(blurPx: number): NoiseKernel {
  return kernels().find((k) => k.blurPx === blurPx) ?? kernels()[0]!;
}
