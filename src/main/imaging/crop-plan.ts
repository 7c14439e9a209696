import type { BinaryMask } from './mask';
import { holeDepth } from './hole-depth';
import { MaskCells, CELL } from './mask-cells';
import { boxHeight, boxWidth, expandBox, mergeOverlapping, regionBoxes, type Box } from './regions';

/**
 * One network run. Coordinates are photo pixels (after EXIF orientation).
 * - region: the photo area read as network input (damage plus context).
 * - core: the only area whose masked pixels this crop may write.
 * - net: the network input size, a multiple of inputMultiple; the region is
 *   scaled by `scale` (<= 1) and then reflect-padded up to it.
 */
export interface CropJob {
  readonly region: Box;
  readonly core: Box;
  readonly scale: number;
  readonly netWidth: number;
  readonly netHeight: number;
  readonly strategy: 'whole' | 'tile' | 'downscale';
}

export interface CropPlanOptions {
  readonly inputMultiple: number;
  readonly maxSide: number;
  /** Most context kept around damage, in photo pixels (thick damage gets this much). */
  readonly margin?: number;
  /**
   * A group of crops one of whose regions is more than this fraction masked
   * has too little context at full resolution (a large tear); it is then run
   * as one crop, scaled down to fit when it must be.
   */
  readonly maxTileHoleFraction?: number;
  /**
   * How deep into a hole (pixels from its edge, at network scale) the model
   * fills well; from the manifest. A box whose hole reaches deeper is run
   * scaled down until it does not. Absent: no limit.
   */
  readonly holeReach?: number;
}

export const DEFAULT_MARGIN = 64;
/** The least context any damage gets, in photo pixels. */
export const MIN_MARGIN = 16;
/** Extra context per pixel of depth: a hole's fill leans on context about as wide as the hole. */
const CONTEXT_PER_DEPTH = 2;
/** What one network run costs beyond its pixels (session call, CSA set-up), in network pixels. */
const CROP_OVERHEAD_PX = 64 * 64;

/** Context for damage reaching `depth` px from its edge. */
export function contextMargin(depth: number, maxMargin: number): number {
  return Math.min(maxMargin, Math.max(MIN_MARGIN, Math.ceil(MIN_MARGIN + CONTEXT_PER_DEPTH * depth)));
}

/**
 * Plans the crops for a mask, paying network pixels for the damage rather
 * than for the photo:
 * 1. damage is grouped where its context would overlap (the bounding box of
 *    each connected region grown by the most context any damage gets);
 * 2. a group whose hole reaches deeper than the model's holeReach is run as
 *    one crop scaled down until it does ('downscale'): a network trained on
 *    small crops fills the middle of a big hole with a flat guess at full
 *    resolution, and the structure it continues at a lower one is worth more
 *    than the detail lost (measured: +1 dB PSNR on 12-20 % box holes at 512 px);
 * 3. every other group is covered at full resolution by the cheapest set of
 *    crops in network pixels: its damage's bounding box is split in halves
 *    along the longer side, each half shrunk to the damage it holds, for as
 *    long as two crops cost less than one. Context is sized to the damage's
 *    depth (24 px for hairlines, thin scratches and dust, whose depth is
 *    bounded by half a cell; up to `margin` for thick damage), so a
 *    diagonal hairline across a scan costs a chain of small crops, not the
 *    scan. One crop is 'whole', several are 'tile'; when a split leaves a
 *    crop mostly hole (a large tear), the group is run as one crop instead,
 *    scaled down when it does not fit ('downscale').
 * Every masked pixel lies in exactly one crop's core.
 */
export function planCrops(mask: BinaryMask, options: CropPlanOptions): CropJob[] {
  const { width, height } = mask;
  // A quarter of maxSide at most, so a crop's core is at least half of it.
  // At least a cell, so a group's cells never reach another group's damage.
  const maxMargin = Math.max(CELL, Math.min(options.margin ?? DEFAULT_MARGIN, Math.floor(options.maxSide / 4)));
  const cells = new MaskCells(mask);
  const boxes = mergeOverlapping(regionBoxes(mask).map((b) => expandBox(b, maxMargin, width, height)));
  // Stable raster order keeps results reproducible and progress readable.
  boxes.sort((a, b) => a.y0 - b.y0 || a.x0 - b.x0);
  const jobs: CropJob[] = [];
  for (const box of boxes) jobs.push(...planGroup(box, mask, cells, options, maxMargin));
  return jobs;
}

function planGroup(box: Box, mask: BinaryMask, cells: MaskCells, options: CropPlanOptions, maxMargin: number): CropJob[] {
  const { maxSide, inputMultiple } = options;
  const span = cells.tight(cells.cellsOf(box))!;
  let depth = cells.depthBound(span);
  // The exact depth only where the bound says the hole might be too deep: it costs a pass over the box.
  if (options.holeReach !== undefined && depth > options.holeReach) {
    depth = holeDepth(mask, box);
    if (depth > options.holeReach) return [deepHoleJob(box, mask, options, options.holeReach / depth)];
  }
  const margin = contextMargin(depth, maxMargin);
  const cover = new Cover(cells, margin, inputMultiple, maxSide, mask.width, mask.height);
  const leaves = cover.plan(span).leaves.map((c) => cells.pixelsOf(c));
  const jobs = leaves.map((core) =>
    fullResolutionJob(expandBox(core, margin, mask.width, mask.height), core, mask, inputMultiple, maxSide, leaves.length === 1 ? 'whole' : 'tile'),
  );
  const maxFraction = options.maxTileHoleFraction ?? 0.5;
  if (jobs.length > 1 && jobs.some((j) => maskedIn(mask, j.region) > maxFraction * boxWidth(j.region) * boxHeight(j.region))) {
    if (boxWidth(box) <= maxSide && boxHeight(box) <= maxSide) return [fullResolutionJob(box, box, mask, inputMultiple, maxSide, 'whole')];
    return [downscaledJob(box, box, maxSide / Math.max(boxWidth(box), boxHeight(box)), inputMultiple)];
  }
  return jobs;
}

/**
 * The cheapest cover of a group's damage by full-resolution crops, in cells:
 * plan(b) keeps b as one crop or splits it in halves along its longer side
 * (each shrunk to its damage), whichever costs fewer network pixels.
 */
class Cover {
  constructor(
    private readonly cells: MaskCells,
    private readonly margin: number,
    private readonly multiple: number,
    private readonly maxSide: number,
    private readonly width: number,
    private readonly height: number,
  ) {}

  plan(b: Box): { cost: number; leaves: Box[] } {
    const px = this.cells.pixelsOf(b);
    const netW = roundUp(Math.min(boxWidth(px) + 2 * this.margin, this.width), this.multiple);
    const netH = roundUp(Math.min(boxHeight(px) + 2 * this.margin, this.height), this.multiple);
    const fits = boxWidth(px) + 2 * this.margin <= this.maxSide && boxHeight(px) + 2 * this.margin <= this.maxSide;
    const whole = fits ? { cost: CROP_OVERHEAD_PX + netW * netH, leaves: [b] } : undefined;
    const w = b.x1 - b.x0;
    const h = b.y1 - b.y0;
    // Splitting below the network's multiple cannot make a crop smaller; a
    // single cell always fits (maxMargin is at most maxSide / 4).
    if ((whole && Math.max(w, h) * CELL <= this.multiple) || Math.max(w, h) === 1) return whole!;
    const halves: Box[] =
      w >= h
        ? [{ ...b, x1: b.x0 + (w >> 1) }, { ...b, x0: b.x0 + (w >> 1) }]
        : [{ ...b, y1: b.y0 + (h >> 1) }, { ...b, y0: b.y0 + (h >> 1) }];
    let cost = 0;
    const leaves: Box[] = [];
    for (const half of halves) {
      const t = this.cells.tight(half);
      if (!t) continue;
      const sub = this.plan(t);
      cost += sub.cost;
      leaves.push(...sub.leaves);
    }
    return whole && whole.cost <= cost ? whole : { cost, leaves };
  }
}

/** One crop of `region` run at `scale` (< 1), writing only `core`; the network input is the scaled region, padded to the multiple. */
function downscaledJob(region: Box, core: Box, scale: number, multiple: number): CropJob {
  return {
    region,
    core,
    scale,
    netWidth: roundUp(Math.max(1, Math.round(boxWidth(region) * scale)), multiple),
    netHeight: roundUp(Math.max(1, Math.round(boxHeight(region) * scale)), multiple),
    strategy: 'downscale',
  };
}

/**
 * One scaled-down crop for a deep hole. At that scale the box's own margin is
 * only a few network pixels, so the region grows (within the photo) until the
 * network sees about half its maxSide of context; the scale then shrinks
 * further if the grown region would not fit maxSide.
 */
function deepHoleJob(box: Box, mask: BinaryMask, options: CropPlanOptions, scale: number): CropJob {
  const { maxSide, inputMultiple } = options;
  const want = Math.ceil(maxSide / 2 / scale);
  const growX = Math.max(0, Math.ceil((want - boxWidth(box)) / 2));
  const growY = Math.max(0, Math.ceil((want - boxHeight(box)) / 2));
  const region: Box = {
    x0: Math.max(0, box.x0 - growX),
    y0: Math.max(0, box.y0 - growY),
    x1: Math.min(mask.width, box.x1 + growX),
    y1: Math.min(mask.height, box.y1 + growY),
  };
  return downscaledJob(region, box, Math.min(scale, maxSide / Math.max(boxWidth(region), boxHeight(region))), inputMultiple);
}

/**
 * A crop at scale 1. The region is grown (within the photo, up to maxSide)
 * to the next multiple of inputMultiple, so padding is real context rather
 * than reflection; only a photo smaller than the multiple gets reflected.
 */
function fullResolutionJob(
  region: Box,
  core: Box,
  mask: BinaryMask,
  multiple: number,
  maxSide: number,
  strategy: 'whole' | 'tile',
): CropJob {
  const [x0, x1] = growSpan(region.x0, region.x1, mask.width, multiple, maxSide);
  const [y0, y1] = growSpan(region.y0, region.y1, mask.height, multiple, maxSide);
  return {
    region: { x0, y0, x1, y1 },
    core,
    scale: 1,
    netWidth: roundUp(x1 - x0, multiple),
    netHeight: roundUp(y1 - y0, multiple),
    strategy,
  };
}

function growSpan(a: number, b: number, limit: number, multiple: number, maxSide: number): [number, number] {
  const target = Math.min(roundUp(b - a, multiple), Math.max(b - a, Math.floor(maxSide / multiple) * multiple), limit);
  let extra = target - (b - a);
  const before = Math.min(a, Math.floor(extra / 2));
  a -= before;
  extra -= before;
  const after = Math.min(limit - b, extra);
  b += after;
  extra -= after;
  a -= Math.min(a, extra);
  return [a, b];
}

function maskedIn(mask: BinaryMask, b: Box): number {
  let n = 0;
  for (let y = b.y0; y < b.y1; y++) {
    const row = y * mask.width;
    for (let x = b.x0; x < b.x1; x++) n += mask.data[row + x]!;
  }
  return n;
}

export const roundUp = (v: number, m: number): number => Math.ceil(v / m) * m;
