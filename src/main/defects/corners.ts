/**
 * Torn or missing corners and edges, found on the working-resolution planes
 * (see Planes; 0..255): white backing in the min-channel plane (white in
 * every channel), black backing in the max-channel plane.
 *
 * Where a print is torn, the scan shows what was behind it: exposed paper,
 * the scanner lid (near white) or a black backing. Such a region is flat
 * (only paper grain), at one of the extremes of the tonal range, touches the
 * photo's border, and meets the picture along a sharp step. Requiring all of
 * these keeps overexposed skies and dark vignetting out; a white frame around
 * the whole print is excluded because it spans a full side.
 */
import { keepByMeanScore, labelComponents } from './components';
import type { GreyImage } from './morphology';
import { boxMean, downsamplePlanes, type Planes } from './raster';

export interface CornerParams {
  /** Largest local standard deviation (luma levels, 5x5 window) of backing or paper. */
  readonly flatness: number;
  /** Exposed paper / scanner lid is at least this bright ... */
  readonly brightLevel: number;
  /** ... and a black backing at most this dark. */
  readonly darkLevel: number;
  /** Region area bounds, as fractions of the image. */
  readonly minArea: number;
  readonly maxArea: number;
  /** The region's bounding box may span at most this fraction of the image width and of its height. */
  readonly maxSpan: number;
  /** Mean luma step from the region to the picture just outside its boundary. */
  readonly edgeContrast: number;
  /**
   * Longest tear line allowed, as (boundary pixels inside the image) /
   * sqrt(area). A torn corner meets the picture along one ragged line (about
   * 3-6); an overexposed sky behind branches has a far longer, lacier edge.
   */
  readonly maxRoughness: number;
  /** Only regions reaching into a corner (within this fraction of the short side of it); 0 = any border. */
  readonly cornerReach: number;
  /** With the learned detector: the network's least mean damage probability over a region it confirms (confirmCorners). */
  readonly minNetMean: number;
}

export interface CornerResult {
  /** Uint8Array of width*height at working resolution: 0 intact, 1 torn (bright backing), 2 torn (dark backing). */
  readonly mask: Uint8Array;
  readonly count: number;
}

/**
 * Torn regions are large, so they are found on a coarse copy (short side at
 * most `coarseShortSide` px) and brought back to the given resolution: cells
 * inside a region are torn outright; along its edge (one coarse cell either
 * way) a pixel is torn when it has the backing's level.
 */
export function detectCornersCoarse(planes: Planes, p: CornerParams, coarseShortSide = 400): CornerResult {
  const { width, height } = planes.bright;
  const g = Math.max(1, Math.ceil(Math.min(width, height) / coarseShortSide));
  if (g === 1) return detectCorners(planes, p);
  const coarse = detectCorners(downsamplePlanes(planes, g), p);
  if (coarse.count === 0) return { mask: new Uint8Array(width * height), count: 0 };
  const cw = Math.ceil(width / g);
  const ch = Math.ceil(height / g);
  const mask = new Uint8Array(width * height);
  for (let cy = 0; cy < ch; cy++) {
    for (let cx = 0; cx < cw; cx++) {
      const own = coarse.mask[cy * cw + cx]!;
      let level = own;
      let edge = false;
      for (let dy = -1; dy <= 1; dy++) {
        for (let dx = -1; dx <= 1; dx++) {
          const x = cx + dx;
          const y = cy + dy;
          if (x < 0 || y < 0 || x >= cw || y >= ch) continue;
          const v = coarse.mask[y * cw + x]!;
          if (v !== own) edge = true;
          if (!level) level = v;
        }
      }
      if (!level) continue;
      for (let y = cy * g; y < Math.min(height, (cy + 1) * g); y++) {
        for (let x = cx * g; x < Math.min(width, (cx + 1) * g); x++) {
          const i = y * width + x;
          if (!edge) mask[i] = level;
          else if (level === 1 ? planes.bright.data[i]! >= p.brightLevel : planes.dark.data[i]! <= p.darkLevel) mask[i] = level;
        }
      }
    }
  }
  return { mask, count: coarse.count };
}

export function detectCorners(planes: Planes, p: CornerParams): CornerResult {
  const { width, height } = planes.bright;
  const n = width * height;
  const mask = new Uint8Array(n);
  if (width < 8 || height < 8) return { mask, count: 0 };
  const flat2 = p.flatness * p.flatness;

  let count = 0;
  for (const polarity of [1, 2] as const) {
    const data = (polarity === 1 ? planes.bright : planes.dark).data;
    const { m1, m2 } = localMoments({ width, height, data });
    const candidate = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      const v = data[i]!;
      const extreme = polarity === 1 ? v >= p.brightLevel : v <= p.darkLevel;
      if (extreme && m2[i]! - m1[i]! * m1[i]! <= flat2) candidate[i] = 1;
    }
    const { labels, components } = labelComponents(candidate, width, height);
    const contrast = boundaryContrast(data, labels, width, height, components.length);
    for (const c of components) {
      if (c.borderPixels === 0) continue;
      if (p.cornerReach > 0 && !reachesCorner(labels, c.label, width, height, p.cornerReach)) continue;
      const area = c.area / n;
      if (area < p.minArea || area > p.maxArea) continue;
      if ((c.maxX - c.minX + 1) > p.maxSpan * width || (c.maxY - c.minY + 1) > p.maxSpan * height) continue;
      const step = contrast.sum[c.label]! / Math.max(1, contrast.count[c.label]!);
      if (step < p.edgeContrast) continue;
      if (contrast.pixels[c.label]! / Math.sqrt(c.area) > p.maxRoughness) continue;
      count++;
      for (let y = c.minY; y <= c.maxY; y++) {
        for (let x = c.minX; x <= c.maxX; x++) {
          const i = y * width + x;
          if (labels[i] === c.label) mask[i] = polarity;
        }
      }
    }
  }
  fillHoles(mask, width, height);
  return { mask, count };
}

function reachesCorner(labels: Int32Array, label: number, width: number, height: number, reach: number): boolean {
  const r = Math.max(1, Math.round(reach * Math.min(width, height)));
  for (const [cx, cy] of [
    [0, 0],
    [width - r, 0],
    [0, height - r],
    [width - r, height - r],
  ] as const) {
    for (let y = cy; y < cy + r; y++) {
      for (let x = cx; x < cx + r; x++) if (labels[y * width + x] === label) return true;
    }
  }
  return false;
}

/** Local mean and mean square over 5x5 windows (for the local variance m2 - m1^2). */
function localMoments(img: GreyImage): { m1: Float32Array; m2: Float32Array } {
  const n = img.width * img.height;
  const v = new Float32Array(n);
  const sq = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    v[i] = img.data[i]!;
    sq[i] = img.data[i]! * img.data[i]!;
  }
  return { m1: boxMean(v, img.width, img.height, 2), m2: boxMean(sq, img.width, img.height, 2) };
}

/**
 * For each component, the mean absolute difference between its boundary
 * pixels and the pixel 3 px further out (across image-interior boundaries
 * only), and how many of its pixels lie on such a boundary.
 */
function boundaryContrast(
  data: Uint8Array,
  labels: Int32Array,
  width: number,
  height: number,
  components: number,
): { sum: Float64Array; count: Uint32Array; pixels: Uint32Array } {
  const sum = new Float64Array(components + 1);
  const count = new Uint32Array(components + 1);
  const pixels = new Uint32Array(components + 1);
  const reach = 3;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      const l = labels[i]!;
      if (!l) continue;
      const probe = (dx: number, dy: number): number => {
        const nx = x + dx;
        const ny = y + dy;
        if (nx < 0 || ny < 0 || nx >= width || ny >= height) return 0;
        if (labels[ny * width + nx] === l) return 0;
        const fx = Math.min(width - 1, Math.max(0, x + dx * reach));
        const fy = Math.min(height - 1, Math.max(0, y + dy * reach));
        sum[l]! += Math.abs(data[fy * width + fx]! - data[i]!);
        count[l]!++;
        return 1;
      };
      if (probe(1, 0) + probe(-1, 0) + probe(0, 1) + probe(0, -1) > 0) pixels[l]!++;
    }
  }
  return { sum, count, pixels };
}

/** Grain speckle inside a torn region leaves pinholes; close small ones (rows then columns, up to 4 px). */
function fillHoles(mask: Uint8Array, width: number, height: number): void {
  const maxGap = 4;
  for (let y = 0; y < height; y++) {
    let last = -1;
    for (let x = 0; x < width; x++) {
      const v = mask[y * width + x]!;
      if (!v) continue;
      if (last >= 0 && x - last > 1 && x - last <= maxGap + 1 && mask[y * width + last] === v) {
        for (let k = last + 1; k < x; k++) mask[y * width + k] = v;
      }
      last = x;
    }
  }
  for (let x = 0; x < width; x++) {
    let last = -1;
    for (let y = 0; y < height; y++) {
      const v = mask[y * width + x]!;
      if (!v) continue;
      if (last >= 0 && y - last > 1 && y - last <= maxGap + 1 && mask[last * width + x] === v) {
        for (let k = last + 1; k < y; k++) mask[k * width + x] = v;
      }
      last = y;
    }
  }
}

/**
 * With the learned detector: keeps a classical torn-corner region only where
 * the network's mean damage probability over it is at least minMean
 * (CornerParams.minNetMean). The corner test alone takes some dark or pale
 * photo corners for tears (up to 9 % of a clean photo); the network, trained
 * on torn corners too, rarely agrees with those.
 */
export function confirmCorners(corners: CornerResult, width: number, height: number, prob: Float32Array, minMean: number): CornerResult {
  return keepByMeanScore(corners.mask, width, height, prob, minMean);
}
