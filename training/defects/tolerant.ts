/**
 * Tolerant detection scores: hand-drawn damage masks are a few px wide and
 * rarely sit on the exact pixels of the damage, so a predicted pixel counts as
 * correct if a true pixel lies within `tol` px (Euclidean), and a true pixel
 * as found if a predicted one does. training/defects/real_sets.py scores the
 * same way for calibration.
 */

/** Tolerance in px: TOLERANCE_PER_1000 px per 1000 px of the image's long side, at least 1. */
export const TOLERANCE_PER_1000 = 3;
export function tolerancePx(width: number, height: number): number {
  return Math.max(1, Math.round((TOLERANCE_PER_1000 * Math.max(width, height)) / 1000));
}

export interface TolerantCounts {
  /** Predicted pixels with a true pixel within the tolerance, and all predicted pixels. */
  predNear: number;
  pred: number;
  /** True pixels with a predicted pixel within the tolerance, and all true pixels. */
  truthNear: number;
  truth: number;
}

export const emptyCounts = (): TolerantCounts => ({ predNear: 0, pred: 0, truthNear: 0, truth: 0 });

export function addCounts(into: TolerantCounts, c: TolerantCounts): void {
  into.predNear += c.predNear;
  into.pred += c.pred;
  into.truthNear += c.truthNear;
  into.truth += c.truth;
}

/**
 * pred and truth: width*height, nonzero = damage. `ignore` (optional, nonzero
 * = pixel counts for nothing: the synthetic set's invisible damage) drops
 * those pixels from both sides of the count.
 */
export function tolerantCounts(
  pred: Uint8Array,
  truth: Uint8Array,
  width: number,
  height: number,
  tol: number,
  ignore?: Uint8Array,
): TolerantCounts {
  const nearTruth = near(truth, width, height, tol);
  const nearPred = near(pred, width, height, tol);
  const c = emptyCounts();
  for (let i = 0; i < pred.length; i++) {
    if (ignore?.[i]) continue;
    if (pred[i]) {
      c.pred++;
      if (nearTruth[i]) c.predNear++;
    }
    if (truth[i]) {
      c.truth++;
      if (nearPred[i]) c.truthNear++;
    }
  }
  return c;
}

export function scores(c: TolerantCounts): { precision: number; recall: number; f1: number } {
  const precision = c.pred ? c.predNear / c.pred : 0;
  const recall = c.truth ? c.truthNear / c.truth : 0;
  const f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : 0;
  return { precision, recall, f1 };
}

/**
 * 1 where a set pixel of `mask` lies within `tol` px. Each horizontal run of
 * set pixels stamps its Minkowski sum with the disc (per row offset dy, the run
 * widened by the disc's half-width there): masks are thin, so this costs about
 * (runs) x (disc height) row fills.
 */
export function near(mask: Uint8Array, width: number, height: number, tol: number): Uint8Array {
  const out = new Uint8Array(mask.length);
  const spans: number[] = [];
  for (let dy = -tol; dy <= tol; dy++) spans.push(Math.floor(Math.sqrt(tol * tol - dy * dy)));
  for (let y = 0; y < height; y++) {
    const row = y * width;
    let x = 0;
    while (x < width) {
      if (!mask[row + x]) {
        x++;
        continue;
      }
      const x0 = x;
      while (x < width && mask[row + x]) x++;
      const x1 = x - 1;
      for (let dy = -tol; dy <= tol; dy++) {
        const yy = y + dy;
        if (yy < 0 || yy >= height) continue;
        const s = spans[dy + tol]!;
        out.fill(1, yy * width + Math.max(0, x0 - s), yy * width + Math.min(width - 1, x1 + s) + 1);
      }
    }
  }
  return out;
}
