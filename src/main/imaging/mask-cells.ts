import { holeDepth } from './hole-depth';
import type { BinaryMask } from './mask';
import { nextNonZero, quadsOf } from './mask-scan';
import type { Box } from './regions';

/** Side of one cell, in photo pixels. */
export const CELL = 8;

/**
 * A mask seen on a grid of CELL x CELL blocks: which blocks hold damage
 * (with a summed-area table, so the damaged blocks' bounding box inside any
 * block range takes O(log n) lookups) and which are damage through and
 * through (for a cheap estimate of how deep the damage is). Boxes here are
 * in cells: x0,y0 inclusive, x1,y1 exclusive. For a 40 MP photo the tables
 * take about 5 MB, against 160 MB for a per-pixel summed-area table.
 */
export class MaskCells {
  readonly cols: number;
  readonly rows: number;
  /** 1 where every pixel of the cell (inside the photo) is masked. */
  private readonly full: BinaryMask;
  /** Summed-area table of "the cell holds a masked pixel", (cols+1) x (rows+1). */
  private readonly sat: Int32Array;

  constructor(private readonly mask: BinaryMask) {
    const { width, height, data } = mask;
    this.cols = Math.ceil(width / CELL);
    this.rows = Math.ceil(height / CELL);
    const counts = new Uint8Array(this.cols * this.rows);
    const quads = quadsOf(data);
    for (let y = 0; y < height; y++) {
      const crow = Math.floor(y / CELL) * this.cols;
      const row = y * width;
      const end = row + width;
      for (let i = nextNonZero(data, quads, row, end); i < end; i = nextNonZero(data, quads, i + 1, end)) counts[crow + Math.floor((i - row) / CELL)]++;
    }
    const full = new Uint8Array(this.cols * this.rows);
    const sat = new Int32Array((this.cols + 1) * (this.rows + 1));
    const stride = this.cols + 1;
    for (let r = 0; r < this.rows; r++) {
      const cellH = Math.min(CELL, height - r * CELL);
      let run = 0;
      for (let c = 0; c < this.cols; c++) {
        const n = counts[r * this.cols + c]!;
        full[r * this.cols + c] = n === cellH * Math.min(CELL, width - c * CELL) ? 1 : 0;
        run += n > 0 ? 1 : 0;
        sat[(r + 1) * stride + c + 1] = sat[r * stride + c + 1]! + run;
      }
    }
    this.full = { width: this.cols, height: this.rows, data: full };
    this.sat = sat;
  }

  /** Cells holding damage in the cell range b. */
  occupied(b: Box): number {
    const s = this.cols + 1;
    return this.sat[b.y1 * s + b.x1]! - this.sat[b.y0 * s + b.x1]! - this.sat[b.y1 * s + b.x0]! + this.sat[b.y0 * s + b.x0]!;
  }

  /** The bounding box (in cells) of the damaged cells inside b; undefined when none is. */
  tight(b: Box): Box | undefined {
    if (b.x1 <= b.x0 || b.y1 <= b.y0 || this.occupied(b) === 0) return undefined;
    // Each bound is the first (or last) row or column whose prefix of the range holds damage.
    const x0 = firstTrue(b.x0, b.x1, (x) => this.occupied({ ...b, x1: x + 1 }) > 0);
    const x1 = firstTrue(x0, b.x1, (x) => this.occupied({ ...b, x0: x + 1 }) === 0) + 1;
    const y0 = firstTrue(b.y0, b.y1, (y) => this.occupied({ x0, x1, y0: b.y0, y1: y + 1 }) > 0);
    const y1 = firstTrue(y0, b.y1, (y) => this.occupied({ x0, x1, y0: y + 1, y1: b.y1 }) === 0) + 1;
    return { x0, y0, x1, y1 };
  }

  /** Cell range covering a photo-pixel box. */
  cellsOf(b: Box): Box {
    return { x0: Math.floor(b.x0 / CELL), y0: Math.floor(b.y0 / CELL), x1: Math.ceil(b.x1 / CELL), y1: Math.ceil(b.y1 / CELL) };
  }

  /** Photo-pixel box of a cell range, clipped to the photo. */
  pixelsOf(b: Box): Box {
    const { width, height } = this.mask;
    return { x0: b.x0 * CELL, y0: b.y0 * CELL, x1: Math.min(width, b.x1 * CELL), y1: Math.min(height, b.y1 * CELL) };
  }

  /**
   * An upper bound, in photo pixels, of how deep the damage in the cell range
   * reaches from its edge: damage with no fully damaged cell is less than a
   * cell thick; otherwise the fully damaged cells' own depth, in cells, plus
   * the partial cell around them.
   */
  depthBound(b: Box): number {
    const cells = holeDepth(this.full, b);
    return cells === 0 ? CELL / 2 : (cells + 1) * CELL;
  }
}

/** Smallest i in [lo, hi) with pred(i), for a pred that is false then true; hi - 1 when it never turns. */
function firstTrue(lo: number, hi: number, pred: (i: number) => boolean): number {
  let a = lo;
  let b = hi - 1;
  while (a < b) {
    const mid = (a + b) >> 1;
    if (pred(mid)) b = mid;
    else a = mid + 1;
  }
  return a;
}
