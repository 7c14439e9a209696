/**
 * 8-connected component labelling of a binary image (Uint8Array of
 * width*height, non-zero = set) with per-component shape statistics, by the
 * classic two-pass union-find scan.
 */
import { forEachNonZeroQuad, nextNonZero, quadsOf } from '../imaging/mask-scan';

export interface Component {
  readonly label: number;
  area: number;
  minX: number;
  maxX: number;
  minY: number;
  maxY: number;
  /** Sums of x, y, x^2, y^2, xy over the pixels (for the second moments). */
  sx: number;
  sy: number;
  sxx: number;
  syy: number;
  sxy: number;
  /** Largest and summed score (an optional per-pixel map) over the pixels. */
  maxScore: number;
  sumScore: number;
  /** Pixels on the image border. */
  borderPixels: number;
}

export interface Labelling {
  /** Int32Array of width*height: 0 = background, else index into components + 1. */
  readonly labels: Int32Array;
  readonly components: Component[];
}

export function labelComponents(
  mask: Uint8Array,
  width: number,
  height: number,
  score?: ArrayLike<number>,
): Labelling {
  const labels = new Int32Array(width * height);
  const parent: number[] = [0];
  const find = (a: number): number => {
    let root = a;
    while (parent[root] !== root) root = parent[root]!;
    while (parent[a] !== root) {
      const next = parent[a]!;
      parent[a] = root;
      a = next;
    }
    return root;
  };
  const union = (a: number, b: number): number => {
    const ra = find(a);
    const rb = find(b);
    if (ra === rb) return ra;
    if (ra < rb) {
      parent[rb] = ra;
      return ra;
    }
    parent[ra] = rb;
    return rb;
  };

  // Masks are mostly zero: from an unset sample both passes jump to the row's next set one,
  // over words of four zero samples at once (labels are non-zero exactly where the mask is).
  const quads = quadsOf(mask);
  for (let y = 0; y < height; y++) {
    const row = y * width;
    for (let x = 0; x < width; x++) {
      const i = row + x;
      if (!mask[i]) {
        x = nextNonZero(mask, quads, i, row + width) - row - 1;
        continue;
      }
      let l = 0;
      // Already-visited neighbours: W, NW, N, NE.
      if (x > 0 && labels[i - 1]) l = labels[i - 1]!;
      if (y > 0) {
        const up = i - width;
        if (x > 0 && labels[up - 1]) l = l ? union(l, labels[up - 1]!) : labels[up - 1]!;
        if (labels[up]) l = l ? union(l, labels[up]!) : labels[up]!;
        if (x < width - 1 && labels[up + 1]) l = l ? union(l, labels[up + 1]!) : labels[up + 1]!;
      }
      if (!l) {
        l = parent.length;
        parent.push(l);
      }
      labels[i] = l;
    }
  }

  // Second pass: compact root labels to 1..n and gather statistics.
  const compact = new Int32Array(parent.length);
  const components: Component[] = [];
  for (let y = 0; y < height; y++) {
    const row = y * width;
    const edgeRow = y === 0 || y === height - 1;
    for (let x = 0; x < width; x++) {
      const i = row + x;
      const l = labels[i]!;
      if (!l) {
        x = nextNonZero(mask, quads, i, row + width) - row - 1;
        continue;
      }
      const root = find(l);
      let c = compact[root]!;
      if (!c) {
        c = components.length + 1;
        compact[root] = c;
        components.push({
          label: c,
          area: 0,
          minX: x,
          maxX: x,
          minY: y,
          maxY: y,
          sx: 0,
          sy: 0,
          sxx: 0,
          syy: 0,
          sxy: 0,
          maxScore: -Infinity,
          sumScore: 0,
          borderPixels: 0,
        });
      }
      labels[i] = c;
      const s = components[c - 1]!;
      s.area++;
      if (x < s.minX) s.minX = x;
      if (x > s.maxX) s.maxX = x;
      if (y > s.maxY) s.maxY = y;
      s.sx += x;
      s.sy += y;
      s.sxx += x * x;
      s.syy += y * y;
      s.sxy += x * y;
      if (score) {
        const v = score[i]!;
        if (v > s.maxScore) s.maxScore = v;
        s.sumScore += v;
      }
      if (edgeRow || x === 0 || x === width - 1) s.borderPixels++;
    }
  }
  return { labels, components };
}

/**
 * The components of `mask` whose mean `score` over their pixels is at least
 * `minMean`: a copy of `mask` (its values kept) without the others, and how
 * many components stayed.
 */
export function keepByMeanScore(
  mask: Uint8Array,
  width: number,
  height: number,
  score: ArrayLike<number>,
  minMean: number,
): { mask: Uint8Array; count: number } {
  const { labels, components } = labelComponents(mask, width, height, score);
  const keep = new Uint8Array(components.length + 1);
  let count = 0;
  for (const c of components) {
    if (c.sumScore / c.area < minMean) continue;
    keep[c.label] = 1;
    count++;
  }
  const out = new Uint8Array(mask.length);
  if (count === 0) return { mask: out, count };
  forEachNonZeroQuad(mask, (start, end) => {
    for (let i = start; i < end; i++) if (keep[labels[i]!]) out[i] = mask[i]!;
  });
  return { mask: out, count };
}

/**
 * Pixels of each component that touch (4-neighbourhood) a pixel outside it or
 * the image edge: a thin stroke of width w has about 2 * area / w of them.
 * Indexed by label (index 0 unused).
 */
export function boundaryCounts(labels: Int32Array, width: number, height: number, components: number): Uint32Array {
  const counts = new Uint32Array(components + 1);
  for (let y = 0; y < height; y++) {
    const row = y * width;
    for (let x = 0; x < width; x++) {
      const l = labels[row + x]!;
      if (!l) continue;
      if (
        x === 0 ||
        y === 0 ||
        x === width - 1 ||
        y === height - 1 ||
        labels[row + x - 1] !== l ||
        labels[row + x + 1] !== l ||
        labels[row + x - width] !== l ||
        labels[row + x + width] !== l
      ) {
        counts[l]!++;
      }
    }
  }
  return counts;
}

/**
 * Extent of a component: the larger of its bounding box side and its
 * principal-axis length (sqrt(12 * largest variance), exact for a straight
 * segment), so a diagonal line or a branching crack is measured fairly.
 */
export function extentOf(c: Component): number {
  const n = c.area;
  const mx = c.sx / n;
  const my = c.sy / n;
  const vxx = c.sxx / n - mx * mx;
  const vyy = c.syy / n - my * my;
  const vxy = c.sxy / n - mx * my;
  const tr = vxx + vyy;
  const det = vxx * vyy - vxy * vxy;
  const lambda = tr / 2 + Math.sqrt(Math.max(0, (tr * tr) / 4 - det));
  const axis = Math.sqrt(12 * Math.max(0, lambda));
  return Math.max(axis, c.maxX - c.minX + 1, c.maxY - c.minY + 1);
}
