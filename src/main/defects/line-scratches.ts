/**
 * Line scratches of movie film: long, thin, exactly vertical lines a few grey
 * levels off their surroundings, left by grit in the camera or projector gate.
 * The learned detector does not see them (too faint, and thin vertical lines
 * are what it is taught to leave alone on prints), so they have their own test,
 * after Kokaram (1996) and the DeScratch filter: the photo is averaged along
 * each column over a short window, which keeps what persists vertically and
 * flattens grain and slanted content; a pixel of that average that stands out
 * from both its horizontal neighbours `offset` px away, by the same sign, on a
 * flat-enough base, is a line candidate; candidates are joined along the column
 * across short gaps and a joined run is kept when it is long, narrow and holds
 * enough strong candidates (hysteresis: weak evidence extends strong evidence).
 *
 * Works on the detector's working planes: bright lines where even the darkest
 * channel rises (Planes.bright), dark lines where even the brightest falls.
 * Lengths are in working px at scale 1 (a 512-px short side) and grow with the
 * photo; the thresholds are grey levels of the column average.
 */
import type { GreyImage } from './morphology';
import type { Planes } from './raster';

export interface LineScratchParams {
  /** Half the column window averaged over, px at scale 1. */
  readonly halfWindow: number;
  /** Distance to the horizontal neighbours a line is compared with, working px (wider lines are not lines). */
  readonly offset: number;
  /** Least contrast of a candidate, and of a strong one, grey levels of the column average. */
  readonly low: number;
  readonly high: number;
  /** Longest gap along a column that a run bridges, px at scale 1. */
  readonly gap: number;
  /** Least height of a kept run, and least count of strong candidates in it, px at scale 1. */
  readonly minLength: number;
  readonly minStrong: number;
  /** Widest kept run, working px (a run drifts by a pixel or two along its length). */
  readonly maxWidth: number;
  /** Rows of the column sums tested: every rowStep-th (the sums change slowly down a column). */
  readonly rowStep: number;
}

/**
 * Tuned on the film frames' training and calibration splits (1920x1080, scale
 * 2.1: a window of 31 rows, runs of 63 rows holding 40 strong candidates at
 * half the rows); see docs/results/defects-scores.md.
 */
export const LINE_SCRATCH_PARAMS: LineScratchParams = {
  halfWindow: 7,
  offset: 3,
  low: 2,
  high: 6,
  gap: 5,
  minLength: 30,
  minStrong: 19,
  maxWidth: 6,
  rowStep: 2,
};

/**
 * The film frames' scale (1080-row working copies), below which lengths do not
 * shrink: on smaller photos, windows and runs scaled down to a few dozen rows
 * take the vertical grain of sand, twigs and fabric for lines.
 */
export const FRAME_SCALE = 1080 / 512;

export interface LineScratches {
  /** Working resolution, 1 = line scratch (widened by a pixel each side), 0 = not. */
  readonly mask: Uint8Array;
  readonly width: number;
  readonly height: number;
  /** Runs kept. */
  readonly lines: number;
}

/**
 * Line scratches in the working planes. `scale` is the detector's (working
 * short side / 512, clamped); `contrastFactor` multiplies both thresholds
 * (below 1 finds fainter lines).
 */
export function detectLineScratches(
  planes: Planes,
  scale: number,
  contrastFactor = 1,
  overrides: Partial<LineScratchParams> = {},
): LineScratches {
  const p = { ...LINE_SCRATCH_PARAMS, ...overrides };
  const { width, height } = planes.bright;
  const step = Math.max(1, Math.round(p.rowStep));
  const half = Math.max(1, Math.round(p.halfWindow * scale));
  const n = 2 * half + 1;
  // Lengths on the grid of tested rows.
  const gap = Math.max(1, Math.round((p.gap * scale) / step));
  const minLength = Math.round((p.minLength * scale) / step);
  const minStrong = Math.round((p.minStrong * scale) / step);
  const keep = (run: VerticalRun): boolean => run.height >= minLength && run.width <= p.maxWidth && run.strong >= minStrong;
  const bright = columnSums(planes.bright, half, step);
  const dark = planes.dark === planes.bright ? bright : columnSums(planes.dark, half, step);
  const rows = bright.length / width;
  const grid = new Uint8Array(width * rows);
  let lines = 0;
  for (const sign of [1, -1] as const) {
    // Thresholds in sums of n samples, so no division per pixel.
    const { candidates, strong } = lineCandidates(sign > 0 ? bright : dark, width, rows, sign, p.offset, p.low * contrastFactor * n, p.high * contrastFactor * n, n);
    lines += traceVerticalRuns(candidates, strong, width, rows, gap, keep, grid);
  }
  return { mask: lines ? paintRows(grid, width, height, step) : new Uint8Array(width * height), width, height, lines };
}

/**
 * Sum of each pixel's column over rows y-half..y+half (the edge rows
 * repeated), for rows y = 0, step, 2 step...; at most 255 (2 half + 1), so
 * Uint16 while half < 128.
 */
export function columnSums(img: GreyImage, half: number, step = 1): Uint16Array {
  const { width, height, data } = img;
  if (half > 127) throw new RangeError(`Column window half-height ${half} is over 127`);
  const rows = Math.ceil(height / step);
  const out = new Uint16Array(width * rows);
  const sums = new Int32Array(width);
  const last = height - 1;
  const clampRow = (y: number): number => (y < 0 ? 0 : y > last ? last : y) * width;
  for (let y = -half; y <= half; y++) {
    const row = clampRow(y);
    for (let x = 0; x < width; x++) sums[x] += data[row + x]!;
  }
  for (let y = 0; y < height; y++) {
    if (y % step === 0) out.set(sums, (y / step) * width);
    const add = clampRow(y + half + 1);
    const drop = clampRow(y - half);
    for (let x = 0; x < width; x++) sums[x] += data[add + x]! - data[drop + x]!;
  }
  return out;
}

/**
 * Pixels of the column sums that stand out by `sign` from both neighbours
 * `offset` px away by more than `low` (candidates) and `high` (strong), are a
 * horizontal extremum, and sit on a base whose two sides (offset + 1 px away)
 * differ by no more than the contrast plus a level (`unit`, one level in
 * sums): a step edge is not a line.
 */
function lineCandidates(
  m: Uint16Array,
  width: number,
  rows: number,
  sign: 1 | -1,
  offset: number,
  low: number,
  high: number,
  unit: number,
): { candidates: Uint8Array; strong: Uint8Array } {
  const candidates = new Uint8Array(width * rows);
  const strong = new Uint8Array(width * rows);
  const k = offset;
  for (let y = 0; y < rows; y++) {
    const o = y * width;
    for (let x = k + 2; x < width - k - 2; x++) {
      const i = o + x;
      const v = m[i]!;
      const left = sign * (v - m[i - k]!);
      const right = sign * (v - m[i + k]!);
      const contrast = left < right ? left : right;
      if (contrast <= low) continue;
      if (sign * (v - m[i - 1]!) < 0 || sign * (v - m[i + 1]!) < 0) continue;
      if (Math.abs(m[i - k - 1]! - m[i + k + 1]!) > contrast + unit) continue;
      candidates[i] = 1;
      if (contrast > high) strong[i] = 1;
    }
  }
  return { candidates, strong };
}

/** Each grid row repeated `step` times down to `height` rows, widened by a pixel each side (hand masks are 1-3 px wide; a line's edges are soft). */
function paintRows(grid: Uint8Array, width: number, height: number, step: number): Uint8Array {
  const out = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    const g = Math.floor(y / step) * width;
    const o = y * width;
    for (let x = 0; x < width; x++) {
      if (!grid[g + x]) continue;
      out[o + x] = 1;
      if (x > 0) out[o + x - 1] = 1;
      if (x < width - 1) out[o + x + 1] = 1;
    }
  }
  return out;
}

export interface VerticalRun {
  readonly height: number;
  readonly width: number;
  readonly strong: number;
}

/**
 * Follows candidates down the columns: a candidate continues the run whose
 * last pixel lies in its own column or the next one either side, at most
 * `gap` rows above (that column first); otherwise it starts a run. Only set
 * pixels are visited, so grain's many short runs cost little. Runs that `keep`
 * accepts are set in `out` with their bridged gaps. Returns the count kept.
 */
export function traceVerticalRuns(
  candidates: Uint8Array,
  strong: Uint8Array,
  width: number,
  height: number,
  gap: number,
  keep: (run: VerticalRun) => boolean,
  out: Uint8Array,
): number {
  const label = new Int32Array(width * height);
  // Per column: the run (1-based) whose last pixel is there, and that pixel's row.
  const runAt = new Int32Array(width);
  const rowAt = new Int32Array(width);
  const top: number[] = [0];
  const bottom: number[] = [0];
  const left: number[] = [0];
  const right: number[] = [0];
  const strongCount: number[] = [0];
  let y = 0;
  // A run can be continued from column xx if it ended there on an earlier row, within the gap.
  const continues = (xx: number): boolean => runAt[xx] !== 0 && rowAt[xx]! < y && y - rowAt[xx]! <= gap + 1;
  for (; y < height; y++) {
    const o = y * width;
    for (let x = 0; x < width; x++) {
      const i = o + x;
      if (!candidates[i]) continue;
      const from = continues(x) ? x : x > 0 && continues(x - 1) ? x - 1 : x < width - 1 && continues(x + 1) ? x + 1 : -1;
      let run: number;
      if (from >= 0) {
        run = runAt[from]!;
        // Bridge the gap in this column so the painted run is continuous.
        for (let yy = rowAt[from]! + 1; yy < y; yy++) label[yy * width + x] = run;
        bottom[run] = y;
        if (x < left[run]!) left[run] = x;
        if (x > right[run]!) right[run] = x;
      } else {
        run = top.length;
        top.push(y);
        bottom.push(y);
        left.push(x);
        right.push(x);
        strongCount.push(0);
      }
      label[i] = run;
      strongCount[run]! += strong[i]!;
      runAt[x] = run;
      rowAt[x] = y;
    }
  }
  const kept = new Uint8Array(top.length);
  let count = 0;
  for (let r = 1; r < top.length; r++) {
    if (keep({ height: bottom[r]! - top[r]! + 1, width: right[r]! - left[r]! + 1, strong: strongCount[r]! })) {
      kept[r] = 1;
      count++;
    }
  }
  if (!count) return 0;
  for (let i = 0; i < label.length; i++) if (kept[label[i]!]) out[i] = 1;
  return count;
}

/**
 * The line scratches of a photo's working planes, set (255) in its
 * full-resolution damage mask `into` (each working pixel covers a
 * factor x factor block), its lengths at FRAME_SCALE or more. Sensitivity moves
 * both thresholds as it moves the other detectors' (0 doubles them, 1 halves
 * them). Returns the lines found.
 */
export function addLineScratches(working: Planes, factor: number, scale: number, sensitivity: number, into: Uint8Array, fullWidth: number, fullHeight: number): number {
  const found = detectLineScratches(working, Math.max(scale, FRAME_SCALE), 2 ** (1 - 2 * sensitivity));
  if (!found.lines) return 0;
  const { mask, width, height } = found;
  // Sparse: visit the set working pixels and fill their blocks (clipped at the photo's edge).
  for (let wy = 0; wy < height; wy++) {
    for (let wx = 0; wx < width; wx++) {
      if (!mask[wy * width + wx]) continue;
      const x0 = wx * factor;
      const x1 = Math.min(fullWidth, x0 + factor);
      for (let y = wy * factor, y1 = Math.min(fullHeight, y + factor); y < y1; y++) into.fill(255, y * fullWidth + x0, y * fullWidth + x1);
    }
  }
  return found.lines;
}
