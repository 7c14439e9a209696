import { blurSeparable, gaussianTaps } from './gaussian';
import type { BinaryMask } from './mask';
import { forEachNonZeroQuad } from './mask-scan';
import { LUMA, maxSampleValue, type Photo, type PixelArray } from './photo';
import { expandBox } from './regions';

/**
 * Detail transfer: the network's fill of a wide hole is its closest estimate, and the closest
 * estimate of what it cannot know is smooth, so on grass, fabric or foliage the fill reads as a
 * smear. The fill keeps its low frequencies; its missing detail layer (luma minus its Gaussian
 * blur at sigma 1.5, the split the texture ratio in training/patina_train/metrics.py measures)
 * is copied from known patches around the hole, as exemplar-based inpainting and image quilting
 * do (Criminisi et al. 2004; Efros & Freeman 2001), but on the detail layer only: the structure
 * comes from the photo's own texture, the brightness and colour from the network.
 *
 * Each 8-px block of the hole, with a 3-px overlap on every side, takes the detail of the known
 * 14-px patch whose blurred luma and colour best match the block's (the fill's low frequencies and the
 * known pixels the block covers), whose detail best agrees with the known detail and with the
 * blocks already placed, and which lies nearest; the blocks are feathered together. The copied
 * detail is then scaled so the fill holds TARGET_RATIO of the detail energy of the sources
 * (the texture around the hole without its edges), counting what the fill had.
 *
 * Thin holes are left alone: only 32-px cells holding a pixel WIDE_DEPTH px inside a hole (a
 * hole at least 7 px wide), and the cells around them, are worked on at all, so a scratch a few
 * pixels wide keeps the network's fill (texture there would only move it off its closest
 * estimate) and costs one pass over the mask. There the detail fades in from MIN_DEPTH to
 * FULL_DEPTH px from the hole's edge.
 *
 * Only the mask's pixels change; what is read is the known pixels and the fill, never what was
 * under the mask. Every choice is a fixed order of comparisons: the same photo and mask come out
 * the same. The detail is luma: the same offset on every colour channel, alpha untouched.
 */

const CELL = 32;
/** Block core (px) and the patch copied for it (core plus OVERLAP on each side). */
const CORE = 8;
const OVERLAP = 3;
const PATCH = CORE + 2 * OVERLAP;
/** Depth into a hole (px, Chebyshev) that makes it wide. */
const WIDE_DEPTH = 4;
/** Depth into a wide hole where detail starts, and where it reaches full strength. */
const MIN_DEPTH = 2;
const FULL_DEPTH = 5;
/** How far from the hole's cells sources are looked for (px). */
const SEARCH_PX = 48;
/** The detail of the fill over that of the texture around it (edges left out), counting what the fill had. */
const TARGET_RATIO = 1.3;
/**
 * Most candidate sources compared per block, and per region all told (blocks x candidates); wider
 * searches and larger holes sample a coarser grid. A 450-px tear on a 12 MP scan then costs about a
 * second of CPU, and a box on a 512-px photo still sees MAX_CANDIDATES.
 */
const MAX_CANDIDATES = 3000;
const MAX_COMPARISONS = 4_000_000;
/** Weight of a source's distance: at SEARCH_PX it costs as much as a 4-level luma mismatch. */
const DISTANCE_COST = 16;
/** Gaussian of the detail split (sigma, px) and its reach. */
const BLUR_SIGMA = 1.5;
const BLUR_RADIUS = 4;
/**
 * Sources whose detail energy is above this quantile of all sources' are left out: those hold
 * edges (a window frame, a lattice line), which copied into a fill read as stray structure.
 */
const EDGE_QUANTILE = 0.85;
/** Copied detail is clipped to this many times the sources' detail spread, for the same reason. */
const DETAIL_CLIP = 2.5;
/** The most the copied detail is amplified to reach its target energy. */
const MAX_GAIN = 1.5;
/** Known margin a source patch needs, so its detail is not blurred with the fill. */
const SOURCE_MARGIN = 2;
/** Detail samples a source's energy is measured on (every other pixel of the patch). */
const SAMPLES_PER_PATCH = Math.ceil(PATCH / 2) ** 2;

export interface TextureResult {
  /** Whether detail was added. */
  readonly applied: boolean;
  /** Mask pixels that got detail. */
  readonly pixels: number;
}

/**
 * Adds detail copied from around the holes to the filled pixels at least MIN_DEPTH px inside a
 * wide hole, recording every change in delta (XOR, as pasteCrop does).
 */
export function transferTexture(photo: Photo, mask: BinaryMask, delta: PixelArray): TextureResult {
  const depths = deepCells(mask);
  if (depths.size === 0) return { applied: false, pixels: 0 };
  let pixels = 0;
  for (const region of regionsOf(depths, Math.ceil(mask.width / CELL))) pixels += new Region(photo, mask, depths, region).run(delta);
  return { applied: pixels > 0, pixels };
}

/**
 * Per 32-px cell holding a pixel WIDE_DEPTH or more inside a hole, and per cell next to one that
 * holds a pixel MIN_DEPTH inside: the cell's depths (capped at FULL_DEPTH).
 */
function deepCells(mask: BinaryMask): Map<number, Uint8Array> {
  const { width, height, data } = mask;
  const cols = Math.ceil(width / CELL);
  const candidates = new Set<number>();
  const r = WIDE_DEPTH - 1;
  // A pixel WIDE_DEPTH deep has the mask on a cross of that reach: a cheap test that rules out thin damage.
  forEachNonZeroQuad(data, (start, end) => {
    for (let p = start; p < end; p++) {
      if (!data[p]) continue;
      const x = p % width;
      const y = (p - x) / width;
      if (x < r || y < r || x + r >= width || y + r >= height) continue;
      let cross = true;
      for (let t = 1; t <= r && cross; t++) cross = !!(data[p - t] && data[p + t] && data[p - t * width] && data[p + t * width]);
      if (cross) candidates.add(Math.floor(y / CELL) * cols + Math.floor(x / CELL));
    }
  });
  const rows = Math.ceil(height / CELL);
  // A cell is looked at as a candidate and then as a neighbour of up to 8 wide cells: its depths are worked out once.
  const known = new Map<number, Uint8Array>();
  const depthOf = (cell: number) => {
    let depth = known.get(cell);
    if (!depth) known.set(cell, (depth = cellDepths(mask, (cell % cols) * CELL, Math.floor(cell / cols) * CELL)));
    return depth;
  };
  const wide: number[] = [];
  const out = new Map<number, Uint8Array>();
  for (const cell of [...candidates].sort((a, b) => a - b)) {
    const depth = depthOf(cell);
    if (depth.some((d) => d >= WIDE_DEPTH)) {
      wide.push(cell);
      out.set(cell, depth);
    }
  }
  // A wide hole's rim and ends lie partly in the cells around its deep ones.
  for (const cell of wide) {
    const cx = cell % cols;
    const cy = Math.floor(cell / cols);
    for (let y = Math.max(0, cy - 1); y <= Math.min(rows - 1, cy + 1); y++) {
      for (let x = Math.max(0, cx - 1); x <= Math.min(cols - 1, cx + 1); x++) {
        const n = y * cols + x;
        if (out.has(n)) continue;
        const depth = depthOf(n);
        if (depth.some((d) => d >= MIN_DEPTH)) out.set(n, depth);
      }
    }
  }
  return out;
}

/**
 * Chebyshev distance from each pixel of a cell to the nearest known pixel, capped at FULL_DEPTH
 * (0 for known pixels), by two chamfer passes over the cell and a FULL_DEPTH margin. Pixels off
 * the photo count as unknown: the photo's edge is no source of detail.
 */
function cellDepths(mask: BinaryMask, x0: number, y0: number): Uint8Array {
  const m = FULL_DEPTH;
  const side = CELL + 2 * m;
  const d = new Uint8Array(side * side);
  for (let y = 0; y < side; y++) {
    const py = y0 + y - m;
    for (let x = 0; x < side; x++) {
      const px = x0 + x - m;
      const known = px >= 0 && py >= 0 && px < mask.width && py < mask.height && !mask.data[py * mask.width + px];
      d[y * side + x] = known ? 0 : m;
    }
  }
  for (let y = 1; y < side; y++) {
    for (let x = 1; x < side - 1; x++) {
      const o = y * side + x;
      d[o] = Math.min(d[o]!, d[o - 1]! + 1, d[o - side - 1]! + 1, d[o - side]! + 1, d[o - side + 1]! + 1);
    }
  }
  for (let y = side - 2; y >= 0; y--) {
    for (let x = side - 2; x >= 1; x--) {
      const o = y * side + x;
      d[o] = Math.min(d[o]!, d[o + 1]! + 1, d[o + side + 1]! + 1, d[o + side]! + 1, d[o + side - 1]! + 1);
    }
  }
  const out = new Uint8Array(CELL * CELL);
  for (let y = 0; y < CELL; y++) for (let x = 0; x < CELL; x++) out[y * CELL + x] = d[(y + m) * side + x + m]!;
  return out;
}

/** Groups of 8-connected deep cells, each in raster order, the groups by their first cell. */
function regionsOf(depths: Map<number, Uint8Array>, cols: number): number[][] {
  const seen = new Set<number>();
  const regions: number[][] = [];
  for (const start of [...depths.keys()].sort((a, b) => a - b)) {
    if (seen.has(start)) continue;
    const region: number[] = [];
    const stack = [start];
    seen.add(start);
    while (stack.length > 0) {
      const c = stack.pop()!;
      region.push(c);
      const cx = c % cols;
      for (let dy = -1; dy <= 1; dy++) {
        for (let dx = -1; dx <= 1; dx++) {
          if (cx + dx < 0 || cx + dx >= cols) continue;
          const n = c + dy * cols + dx;
          if (depths.has(n) && !seen.has(n)) {
            seen.add(n);
            stack.push(n);
          }
        }
      }
    }
    regions.push(region.sort((a, b) => a - b));
  }
  return regions;
}

/** Feather of a patch row or column: ramps over the overlaps. */
const FEATHER = Float32Array.from({ length: PATCH }, (_, i) => Math.min(1, (i + 0.5) / (2 * OVERLAP), (PATCH - i - 0.5) / (2 * OVERLAP)));

const DETAIL_TAPS = gaussianTaps(BLUR_SIGMA, BLUR_RADIUS);

/** One group of deep cells and the area around it that sources come from. */
class Region {
  /** Cells per row of the photo's grid. */
  private readonly cols: number;
  private readonly x0: number;
  private readonly y0: number;
  private readonly w: number;
  private readonly h: number;
  /** Blurred luma and colour (luma minus red, minus blue), the luma's detail and the mask, over the area; 8-bit units. */
  private readonly low: Float32Array;
  private readonly lowRed: Float32Array;
  private readonly lowBlue: Float32Array;
  private readonly detail: Float32Array;
  private readonly hole: Uint8Array;
  /** Depth of the hole pixels that get detail (wideDepths), 0 elsewhere. */
  private readonly depth: Uint8Array;

  constructor(
    private readonly photo: Photo,
    mask: BinaryMask,
    private readonly depths: Map<number, Uint8Array>,
    private readonly cells: readonly number[],
  ) {
    this.cols = Math.ceil(photo.width / CELL);
    let cx0 = Infinity;
    let cy0 = Infinity;
    let cx1 = -Infinity;
    let cy1 = -Infinity;
    for (const c of cells) {
      const cx = c % this.cols;
      const cy = Math.floor(c / this.cols);
      cx0 = Math.min(cx0, cx);
      cy0 = Math.min(cy0, cy);
      cx1 = Math.max(cx1, cx + 1);
      cy1 = Math.max(cy1, cy + 1);
    }
    const area = expandBox({ x0: cx0 * CELL, y0: cy0 * CELL, x1: cx1 * CELL, y1: cy1 * CELL }, SEARCH_PX, photo.width, photo.height);
    this.x0 = area.x0;
    this.y0 = area.y0;
    this.w = area.x1 - area.x0;
    this.h = area.y1 - area.y0;
    const n = this.w * this.h;
    const luma = new Float32Array(n);
    const red = new Float32Array(n);
    const blue = new Float32Array(n);
    this.hole = new Uint8Array(n);
    const { channels, colourChannels, data } = photo;
    const unit = 255 / maxSampleValue(photo);
    for (let y = 0; y < this.h; y++) {
      for (let x = 0; x < this.w; x++) {
        const p = (this.y0 + y) * photo.width + this.x0 + x;
        const i = p * channels;
        const o = y * this.w + x;
        if (colourChannels === 1) luma[o] = unit * data[i]!;
        else {
          luma[o] = unit * (LUMA[0] * data[i]! + LUMA[1] * data[i + 1]! + LUMA[2] * data[i + 2]!);
          red[o] = unit * data[i]! - luma[o]!;
          blue[o] = unit * data[i + 2]! - luma[o]!;
        }
        this.hole[o] = mask.data[p] ? 1 : 0;
      }
    }
    this.low = blurSeparable(luma, this.w, this.h, DETAIL_TAPS);
    this.lowRed = colourChannels === 1 ? red : blurSeparable(red, this.w, this.h, DETAIL_TAPS);
    this.lowBlue = colourChannels === 1 ? blue : blurSeparable(blue, this.w, this.h, DETAIL_TAPS);
    this.detail = new Float32Array(n);
    for (let i = 0; i < n; i++) this.detail[i] = luma[i]! - this.low[i]!;
    this.depth = this.wideDepths();
  }

  /** Area coordinates of a cell's top-left pixel. */
  private cellOrigin(c: number): [number, number] {
    return [(c % this.cols) * CELL - this.x0, Math.floor(c / this.cols) * CELL - this.y0];
  }

  /**
   * Over the area: each hole pixel's depth where it lies in the wide part of its hole (within
   * WIDE_DEPTH - 1 px of a pixel WIDE_DEPTH deep: the union of the squares of side
   * 2 WIDE_DEPTH - 1 that fit in the hole), else 0. A thin scratch running past a wide hole
   * keeps its fill.
   */
  private wideDepths(): Uint8Array {
    const { w, h } = this;
    const depth = new Uint8Array(w * h);
    const wide = new Uint8Array(w * h);
    for (const c of this.cells) {
      const cell = this.depths.get(c)!;
      const [cx, cy] = this.cellOrigin(c);
      for (let y = 0; y < CELL && cy + y < h; y++) {
        for (let x = 0; x < CELL && cx + x < w; x++) {
          const d = cell[y * CELL + x]!;
          depth[(cy + y) * w + cx + x] = d;
          if (d >= WIDE_DEPTH) wide[(cy + y) * w + cx + x] = 1;
        }
      }
    }
    const r = WIDE_DEPTH - 1;
    const rows = new Uint8Array(w * h);
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        let any = 0;
        for (let t = Math.max(0, x - r); t <= Math.min(w - 1, x + r) && !any; t++) any = wide[y * w + t]!;
        rows[y * w + x] = any;
      }
    }
    for (let x = 0; x < w; x++) {
      for (let y = 0; y < h; y++) {
        let any = 0;
        for (let t = Math.max(0, y - r); t <= Math.min(h - 1, y + r) && !any; t++) any = rows[t * w + x]!;
        if (!any) depth[y * w + x] = 0;
      }
    }
    return depth;
  }

  /** Synthesises the region's detail and adds it to the photo; returns the pixels changed. */
  run(delta: PixelArray): number {
    const { w, h } = this;
    const blocks = this.blocks();
    const sources = this.sources(Math.max(1, Math.min(MAX_CANDIDATES, Math.floor(MAX_COMPARISONS / Math.max(1, blocks.length)))));
    if (sources.length === 0) return 0;
    const acc = new Float32Array(w * h);
    const weight = new Float32Array(w * h);
    for (const [bx, by] of blocks) {
      const s = this.bestSource(bx, by, sources, acc, weight);
      this.place(bx, by, sources[2 * s]!, sources[2 * s + 1]!, acc, weight);
    }
    return this.apply(acc, weight, delta);
  }

  /** Mean square detail of the sources kept: the texture around the hole, without its edges. */
  private sourceSq = 0;

  /**
   * Top-left corners (area coordinates) of the known patches with a known margin, on a grid fine
   * enough for `most` of them, less those with edges (EDGE_QUANTILE).
   */
  private sources(most: number): Int32Array {
    const { w, h } = this;
    const sum = new Int32Array((w + 1) * (h + 1));
    for (let y = 0; y < h; y++) {
      let row = 0;
      for (let x = 0; x < w; x++) {
        row += this.hole[y * w + x]!;
        sum[(y + 1) * (w + 1) + x + 1] = sum[y * (w + 1) + x + 1]! + row;
      }
    }
    const reach = PATCH + 2 * SOURCE_MARGIN;
    const clean = (x: number, y: number) =>
      sum[(y + reach) * (w + 1) + x + reach]! - sum[y * (w + 1) + x + reach]! - sum[(y + reach) * (w + 1) + x]! + sum[y * (w + 1) + x]! === 0;
    let count = 0;
    for (let y = 0; y + reach <= h; y += 2) for (let x = 0; x + reach <= w; x += 2) if (clean(x, y)) count++;
    const stride = 2 * Math.max(1, Math.ceil(Math.sqrt(count / most)));
    const corners: number[] = [];
    const energies: number[] = [];
    for (let y = 0; y + reach <= h; y += stride) {
      for (let x = 0; x + reach <= w; x += stride) {
        if (!clean(x, y)) continue;
        const base = (y + SOURCE_MARGIN) * w + x + SOURCE_MARGIN;
        let e = 0;
        for (let py = 0; py < PATCH; py += 2) for (let px = 0; px < PATCH; px += 2) e += this.detail[base + py * w + px]! ** 2;
        corners.push(x + SOURCE_MARGIN, y + SOURCE_MARGIN);
        energies.push(e);
      }
    }
    if (energies.length === 0) return new Int32Array(0);
    const limit = Float64Array.from(energies).sort()[Math.floor(EDGE_QUANTILE * (energies.length - 1))]!;
    const out: number[] = [];
    let kept = 0;
    for (let k = 0; k < energies.length; k++) {
      if (energies[k]! > limit) continue;
      out.push(corners[2 * k]!, corners[2 * k + 1]!);
      kept += energies[k]!;
    }
    this.sourceSq = kept / (out.length / 2) / SAMPLES_PER_PATCH;
    return Int32Array.from(out);
  }

  /** Top-left corners (area coordinates) of the patches over every core that holds a pixel MIN_DEPTH deep, in raster order. */
  private blocks(): Array<[number, number]> {
    const out: Array<[number, number]> = [];
    const { w, h, depth } = this;
    for (const c of this.cells) {
      const [cx, cy] = this.cellOrigin(c);
      for (let by = cy; by < cy + CELL; by += CORE) {
        for (let bx = cx; bx < cx + CELL; bx += CORE) {
          let deep = false;
          for (let y = by; y < Math.min(h, by + CORE) && !deep; y++) for (let x = bx; x < Math.min(w, bx + CORE); x++) if (depth[y * w + x]! >= MIN_DEPTH) deep = true;
          if (deep) out.push([bx - OVERLAP, by - OVERLAP]);
        }
      }
    }
    return out.sort((a, b) => a[1] - b[1] || a[0] - b[0]);
  }

  /** The source (index into sources / 2) whose patch costs least for the block at (bx, by). */
  private bestSource(bx: number, by: number, sources: Int32Array, acc: Float32Array, weight: Float32Array): number {
    const { w, h, low, lowRed, lowBlue, detail, hole } = this;
    // What the block is compared on, sampled every other pixel: its low frequencies (brightness and
    // colour), and where a detail is known (a known pixel's own, or the patches placed so far) that detail.
    const offsets: number[] = [];
    const lows: number[] = [];
    const reds: number[] = [];
    const blues: number[] = [];
    const detailOffsets: number[] = [];
    const details: number[] = [];
    for (let y = 0; y < PATCH; y += 2) {
      const ay = by + y;
      if (ay < 0 || ay >= h) continue;
      for (let x = 0; x < PATCH; x += 2) {
        const ax = bx + x;
        if (ax < 0 || ax >= w) continue;
        const o = ay * w + ax;
        offsets.push(y * w + x);
        lows.push(low[o]!);
        reds.push(lowRed[o]!);
        blues.push(lowBlue[o]!);
        if (!hole[o]) {
          detailOffsets.push(y * w + x);
          details.push(detail[o]!);
        } else if (weight[o]! > 0) {
          detailOffsets.push(y * w + x);
          details.push(acc[o]! / Math.sqrt(weight[o]!));
        }
      }
    }
    const nLow = offsets.length;
    const nDetail = detailOffsets.length;
    const distanceScale = DISTANCE_COST / (SEARCH_PX * SEARCH_PX);
    let best = 0;
    let bestCost = Infinity;
    for (let s = 0; s < sources.length; s += 2) {
      const sx = sources[s]!;
      const sy = sources[s + 1]!;
      const dx = sx - bx;
      const dy = sy - by;
      let cost = distanceScale * (dx * dx + dy * dy);
      if (cost >= bestCost) continue;
      const base = sy * w + sx;
      let lowCost = 0;
      for (let k = 0; k < nLow; k++) {
        const o = base + offsets[k]!;
        const e = low[o]! - lows[k]!;
        const r = lowRed[o]! - reds[k]!;
        const b = lowBlue[o]! - blues[k]!;
        lowCost += e * e + r * r + b * b;
      }
      cost += lowCost / nLow;
      if (cost >= bestCost) continue;
      if (nDetail > 0) {
        let detailCost = 0;
        for (let k = 0; k < nDetail; k++) {
          const e = detail[base + detailOffsets[k]!]! - details[k]!;
          detailCost += e * e;
        }
        cost += detailCost / nDetail;
      }
      if (cost < bestCost) {
        bestCost = cost;
        best = s;
      }
    }
    return best >> 1;
  }

  /**
   * Feathers the source patch's detail into the block's hole pixels. The blend divides by the root
   * of the summed squared weights, not their sum: two unrelated patches averaged in an overlap would
   * hold half the detail energy there, and the seams would show as a grid of smooth lines.
   */
  private place(bx: number, by: number, sx: number, sy: number, acc: Float32Array, weight: Float32Array): void {
    const { w, h, detail, hole } = this;
    for (let y = 0; y < PATCH; y++) {
      const ay = by + y;
      if (ay < 0 || ay >= h) continue;
      for (let x = 0; x < PATCH; x++) {
        const ax = bx + x;
        if (ax < 0 || ax >= w) continue;
        const o = ay * w + ax;
        if (!hole[o]) continue;
        const f = FEATHER[x]! * FEATHER[y]!;
        acc[o]! += f * detail[(sy + y) * w + sx + x]!;
        weight[o]! += f * f;
      }
    }
  }

  /**
   * Scales the synthesised detail to the energy the fill lacks and adds it, faded in from the
   * hole's edge, to the pixels MIN_DEPTH or more inside; returns how many changed.
   */
  private apply(acc: Float32Array, weight: Float32Array, delta: PixelArray): number {
    const { w, detail, photo } = this;
    const clip = DETAIL_CLIP * Math.sqrt(this.sourceSq);
    // What the fill has and what was synthesised, over the pixels at full strength.
    let fillSq = 0;
    let synthSq = 0;
    let n = 0;
    this.forDeepPixels((o, depth) => {
      if (depth < FULL_DEPTH || !(weight[o]! > 0)) return;
      const v = Math.min(clip, Math.max(-clip, acc[o]! / Math.sqrt(weight[o]!)));
      fillSq += detail[o]! * detail[o]!;
      synthSq += v * v;
      n++;
    });
    if (n === 0 || synthSq === 0) return 0;
    const want = Math.max(0, TARGET_RATIO * TARGET_RATIO * this.sourceSq - fillSq / n);
    const gain = Math.min(MAX_GAIN, Math.sqrt(want / (synthSq / n)));
    if (!(gain > 0)) return 0;
    const { channels, data } = photo;
    const colours = photo.colourChannels;
    const max = maxSampleValue(photo);
    const scale = (gain * max) / 255;
    let changed = 0;
    this.forDeepPixels((o, depth) => {
      if (!(weight[o]! > 0)) return;
      const v = Math.min(clip, Math.max(-clip, acc[o]! / Math.sqrt(weight[o]!)));
      const offset = scale * Math.min(1, (depth - MIN_DEPTH + 1) / (FULL_DEPTH - MIN_DEPTH + 1)) * v;
      const i = ((this.y0 + Math.floor(o / w)) * photo.width + this.x0 + (o % w)) * channels;
      for (let c = 0; c < colours; c++) {
        const old = data[i + c]!;
        const next = Math.min(max, Math.max(0, Math.round(old + offset)));
        data[i + c] = next;
        delta[i + c] = delta[i + c]! ^ old ^ next;
      }
      changed++;
    });
    return changed;
  }

  /** Calls visit(area offset, depth) for each pixel of the region's cells that gets detail (MIN_DEPTH or more inside a wide hole). */
  private forDeepPixels(visit: (o: number, depth: number) => void): void {
    const { w, h, depth } = this;
    for (const c of this.cells) {
      const [cx, cy] = this.cellOrigin(c);
      for (let y = cy; y < Math.min(h, cy + CELL); y++) {
        for (let x = cx; x < Math.min(w, cx + CELL); x++) {
          const d = depth[y * w + x]!;
          if (d >= MIN_DEPTH) visit(y * w + x, d);
        }
      }
    }
  }
}
