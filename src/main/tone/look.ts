import type { ToneLook } from '@shared/ipc/tone';
import { LUMA, type PixelArray } from '../imaging/photo';

/**
 * A print is monochrome (neutral or toned) when, after removing its one mean
 * hue, 98 % of its pixels sit within this chroma (8-bit opponent units) of
 * that hue's line. On the real scans in ../shared/data/damaged the sepia and
 * B&W prints reach 0-8.5 and the faded colour prints (autochromes included)
 * 10.8 and up (tone/README.md).
 */
const MONO_SPREAD = 9.5;
/**
 * A monochrome print whose mean chroma passes this is toned (sepia, selenium,
 * cyanotype...) and Auto keeps its look; below it Auto makes it neutral grey.
 * Low on purpose: keeping a look never adds a tint, while neutralising a
 * faded sepia print would take its tone away.
 */
const SEPIA_CHROMA = 3;
/**
 * The hues (degrees in the opponent plane: 0 red, 90 yellow, 180 green-cyan,
 * -90 blue) a toned print is read in: sepia, brown and gold toning are warm.
 * A scene of one hue under a cyan or magenta dye cast spreads as little as a
 * toned print; outside this band it is taken for what it more likely is, a
 * faded colour photo, and neutralised (a blue-toned cyanotype too: `keep`
 * keeps it). On the real scans in ../shared/data/damaged the sepia prints
 * sit at 52-82 degrees; the benchmark's sepia prints at 62-76; on the
 * training split aged by the benchmark's family (every 10th photo, its own
 * seeds) the cast scenes read as toned sat at 35-83 (yellow casts: still
 * kept, they look like sepia) and -154 to -143 (cyan casts); a magenta cast
 * on grey sits near -13.
 */
const TONED_HUE = [15, 105] as const;

/**
 * A toned print's chroma along its hue is a function of lightness (the toning
 * curve); a colour scene under a warm cast keeps its objects' own colour,
 * which varies at the same lightness. When the chroma along the hue departs
 * from its median at that lightness (90th percentile of the departure) by
 * more than `share` of the mean chroma and by more than `floor` (8-bit
 * opponent units, above grain and stains), a warm one-hue print is read as
 * colour. Calibrated on the real scans in ../shared/data/damaged (the sepia
 * prints depart 2.7-7.8 units, at most 0.21 of their chroma; the yellow
 * street autochrome history/old_g 0.22), on sepia prints made from training
 * photos and aged by the benchmark's family (at most 3.6 units, 0.17) and on
 * training photos under the benchmark's casts that read as toned (0.04-0.76;
 * the grey-ish scenes among them, under 0.2, stay indistinguishable).
 */
const TONING_CURVE = { share: 0.3, floor: 6 } as const;
/** Lightness bands (equal counts of pixels) the toning curve is read in. */
const CURVE_BANDS = 16;

export interface LookReading {
  readonly look: ToneLook;
  /** Mean chroma, and the spread of chroma off the mean hue's line (98th percentile), 8-bit opponent units. */
  readonly chroma: number;
  readonly spread: number;
}

/** Colour, monochrome or toned, from an RGB copy of the photo (interleaved, 0..max). */
export function readLook(rgb: PixelArray, max: number): LookReading {
  const { chroma, spread, hue, curveDeparture } = chromaOf(rgb, max);
  if (spread > MONO_SPREAD) return { look: 'colour', chroma, spread };
  if (chroma <= SEPIA_CHROMA) return { look: 'monochrome', chroma, spread };
  const warm = hue >= TONED_HUE[0] && hue <= TONED_HUE[1];
  // Only a warm one-hue print needs its toning curve; the others skip its two passes of sorting.
  const curved = warm && curveDeparture() <= Math.max(TONING_CURVE.floor, TONING_CURVE.share * chroma);
  return { look: curved ? 'sepia' : 'colour', chroma, spread };
}

/**
 * Every pixel's chroma as an opponent pair (a = R - G, b = (R + G) / 2 - B,
 * 8-bit units); a toned print has one hue whose strength varies with
 * lightness, so its chroma lies on one line through grey. The spread away
 * from that line tells colour from monochrome; the line's hue, toned from cast;
 * curveDeparture (curveDepartureOf) is worked out when called.
 */
function chromaOf(rgb: PixelArray, max: number): { chroma: number; spread: number; hue: number; curveDeparture: () => number } {
  const scale = 255 / max;
  const n = rgb.length / 3;
  const a = new Float32Array(n);
  const b = new Float32Array(n);
  const y = new Float32Array(n);
  let ma = 0;
  let mb = 0;
  for (let i = 0, j = 0; j < n; i += 3, j++) {
    const r = rgb[i]! * scale;
    const g = rgb[i + 1]! * scale;
    const bl = rgb[i + 2]! * scale;
    a[j] = r - g;
    b[j] = (r + g) / 2 - bl;
    y[j] = LUMA[0] * r + LUMA[1] * g + LUMA[2] * bl;
    ma += a[j]!;
    mb += b[j]!;
  }
  ma /= n;
  mb /= n;
  const chroma = Math.hypot(ma, mb);
  // Unit vector along the mean hue; a near-neutral print has none, and its spread is measured from grey.
  const ua = chroma > 1 ? ma / chroma : 0;
  const ub = chroma > 1 ? mb / chroma : 0;
  const off = new Float32Array(n);
  const along = new Float32Array(n);
  for (let j = 0; j < n; j++) {
    along[j] = a[j]! * ua + b[j]! * ub;
    off[j] = Math.hypot(a[j]! - along[j]! * ua, b[j]! - along[j]! * ub);
  }
  off.sort();
  return { chroma, spread: off[Math.floor(0.98 * (n - 1))]!, hue: (Math.atan2(mb, ma) * 180) / Math.PI, curveDeparture: () => curveDepartureOf(y, along) };
}

/** How far chroma along the hue departs from its median in the pixel's lightness band (CURVE_BANDS): the 90th percentile of |departure|. */
function curveDepartureOf(y: Float32Array, along: Float32Array): number {
  const n = y.length;
  // Pixels in order of lightness, by a counting sort on whole 8-bit levels (ties in any order: the bands are wide).
  const start = new Uint32Array(257);
  for (let j = 0; j < n; j++) start[Math.round(y[j]!) + 1]!++;
  for (let v = 1; v <= 256; v++) start[v]! += start[v - 1]!;
  const order = new Uint32Array(n);
  for (let j = 0; j < n; j++) order[start[Math.round(y[j]!)]!++] = j;
  const departure = new Float32Array(n);
  for (let k = 0; k < CURVE_BANDS; k++) {
    const band = order.subarray(Math.floor((k * n) / CURVE_BANDS), Math.floor(((k + 1) * n) / CURVE_BANDS));
    if (band.length === 0) continue;
    const values = new Float32Array(band.length);
    for (let i = 0; i < band.length; i++) values[i] = along[band[i]!]!;
    values.sort();
    const median = values[values.length >> 1]!;
    for (const j of band) departure[j] = Math.abs(along[j]! - median);
  }
  departure.sort();
  return departure[Math.floor(0.9 * (n - 1))]!;
}
