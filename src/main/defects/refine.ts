/**
 * From working resolution back to the photo's: the detections are found on a
 * box-down-sampled luma (factor f), but a 1-px scratch in a 12 MP scan must
 * come back 1 px wide, not f px. Around each detected stroke pixel, every
 * full-resolution pixel is tested against the working-resolution background
 * (opening for bright details, closing for dark ones, bilinearly
 * interpolated): it is damage when it stands out by at least `minResidual`
 * and by at least `halo` of the strongest neighbour (which drops the soft
 * shoulders). Torn regions keep their interior and have their boundary
 * re-drawn at full resolution by the paper/backing luma level.
 */
import { forEachNonZeroQuad } from '../imaging/mask-scan';
import { bilinear, type Planes } from './raster';
import type { ThinResult } from './thin';

export interface RefineParams {
  /** Smallest luma step (levels) a full-resolution stroke pixel must show. */
  readonly minResidual: number;
  /** Fraction of the 3x3 neighbourhood's strongest step a pixel must reach. */
  readonly halo: number;
  /** Luma levels torn-region pixels must reach: bright backing >= brightLevel, dark <= darkLevel. */
  readonly brightLevel: number;
  readonly darkLevel: number;
}

/**
 * full: full-resolution planes. thin, corners: working-resolution results
 * (corners: 0 / 1 bright / 2 dark). Returns Uint8Array of full width*height,
 * 255 = damage.
 */
export function refineToFullResolution(
  full: Planes,
  factor: number,
  thin: ThinResult,
  corners: Uint8Array,
  p: RefineParams,
): Uint8Array {
  const { width, height } = full.bright;
  const out = new Uint8Array(width * height);
  if (factor === 1) {
    for (let i = 0; i < out.length; i++) if (thin.mask[i] || corners[i]) out[i] = 255;
    return out;
  }
  refineStrokes(full, factor, thin, p, out);
  refineCorners(full, factor, corners, thin.response.width, thin.response.height, p, out);
  return out;
}

function refineStrokes(full: Planes, f: number, thin: ThinResult, p: RefineParams, out: Uint8Array): void {
  const { width, height } = full.bright;
  const lo = full.bright.data;
  const hi = full.dark.data;
  const ww = thin.response.width;
  const wh = thin.response.height;
  // Working pixels next to a stroke pixel: the band where full-resolution pixels are tested.
  const band = new Uint8Array(ww * wh);
  // Strokes cover a small share of the photo: each pass visits only the set working pixels,
  // in the same order as a full scan would.
  forEachSet(thin.mask, ww, (x, y, i) => {
    const pol = thin.polarity[i]!;
    for (let dy = -1; dy <= 1; dy++) {
      const yy = y + dy;
      if (yy < 0 || yy >= wh) continue;
      for (let dx = -1; dx <= 1; dx++) {
        const xx = x + dx;
        if (xx < 0 || xx >= ww) continue;
        const j = yy * ww + xx;
        // A stroke pixel's own polarity wins over a neighbour's.
        if (!band[j] || thin.mask[j]) band[j] = thin.mask[j] ? thin.polarity[j]! : pol;
      }
    }
  });

  // Residual of each full-resolution band pixel against the interpolated background (0 outside the band).
  const residual = new Uint8Array(width * height);
  const half = (f - 1) / 2;
  forEachSet(band, ww, (bx, by, k) => {
    const pol = band[k]!;
    const bg = pol === 1 ? thin.opened.data : thin.closed.data;
    const y1 = Math.min(height, (by + 1) * f);
    const x1 = Math.min(width, (bx + 1) * f);
    for (let y = by * f; y < y1; y++) {
      for (let x = bx * f; x < x1; x++) {
        const b = bilinear(bg, ww, wh, (x - half) / f, (y - half) / f);
        const i = y * width + x;
        const v = pol === 1 ? lo[i]! - b : b - hi[i]!;
        residual[i] = v <= 0 ? 0 : v >= 255 ? 255 : Math.round(v);
      }
    }
  });

  forEachSet(band, ww, (bx, by) => {
    const y1 = Math.min(height, (by + 1) * f);
    const x1 = Math.min(width, (bx + 1) * f);
    for (let y = by * f; y < y1; y++) {
      for (let x = bx * f; x < x1; x++) {
        const i = y * width + x;
        const r = residual[i]!;
        if (r < p.minResidual) continue;
        let peak = r;
        for (let dy = -1; dy <= 1; dy++) {
          const yy = y + dy;
          if (yy < 0 || yy >= height) continue;
          for (let dx = -1; dx <= 1; dx++) {
            const xx = x + dx;
            if (xx < 0 || xx >= width) continue;
            const v = residual[yy * width + xx]!;
            if (v > peak) peak = v;
          }
        }
        if (r >= p.halo * peak) out[i] = 255;
      }
    }
  });
}

/** Calls visit(x, y, index) for each non-zero sample of a width-wide raster, in raster order. */
function forEachSet(mask: Uint8Array, width: number, visit: (x: number, y: number, i: number) => void): void {
  forEachNonZeroQuad(mask, (start, end) => {
    for (let i = start; i < end; i++) {
      if (!mask[i]) continue;
      const y = Math.floor(i / width);
      visit(i - y * width, y, i);
    }
  });
}

function refineCorners(
  full: Planes,
  f: number,
  corners: Uint8Array,
  ww: number,
  wh: number,
  p: RefineParams,
  out: Uint8Array,
): void {
  const { width, height } = full.bright;
  // Torn regions are rare: a block row with no torn block in it or beside it has nothing to draw.
  const torn = new Uint8Array(wh);
  forEachNonZeroQuad(corners, (start, end) => {
    for (let row = Math.floor(start / ww); row <= Math.floor((end - 1) / ww); row++) torn[row] = 1;
  });
  for (let by = 0; by < wh; by++) {
    if (!torn[by] && !torn[by - 1] && !torn[by + 1]) continue;
    for (let bx = 0; bx < ww; bx++) {
      const v = corners[by * ww + bx]!;
      // Which level decides boundary pixels: this block's, or a torn neighbour's.
      let level = v;
      let edge = false;
      for (let dy = -1; dy <= 1 && !edge; dy++) {
        for (let dx = -1; dx <= 1; dx++) {
          const xx = bx + dx;
          const yy = by + dy;
          if (xx < 0 || yy < 0 || xx >= ww || yy >= wh) continue;
          const n = corners[yy * ww + xx]!;
          if (n !== v) {
            edge = true;
            if (!level) level = n;
            break;
          }
        }
      }
      if (!level) continue;
      const y1 = Math.min(height, (by + 1) * f);
      const x1 = Math.min(width, (bx + 1) * f);
      for (let y = by * f; y < y1; y++) {
        for (let x = bx * f; x < x1; x++) {
          const i = y * width + x;
          if (!edge) {
            out[i] = 255;
            continue;
          }
          if (level === 1 ? full.bright.data[i]! >= p.brightLevel : full.dark.data[i]! <= p.darkLevel) out[i] = 255;
        }
      }
    }
  }
}
