/**
 * Thin damage: scratches, cracks and dust specks, found on the working-
 * resolution planes (see Planes: bright details in the min-channel plane,
 * dark ones in the max-channel plane; 0..255).
 *
 * 1. Top-hats at one radius: bright details (white top-hat) and dark details
 *    (black top-hat) narrower than the structuring element. Step edges and
 *    smooth shading give no response, only peaks and valleys do.
 * 2. Texture level: a local percentile of the top-hats (see texture.ts), so
 *    a lone scratch does not raise it while foliage, hair or fabric does.
 *    Responses are judged against it, so busy regions need a much stronger
 *    peak than flat sky or skin.
 * 3. Hysteresis: strong seeds grow through weaker connected pixels.
 * 4. Shape: a component is kept when it is a long thin stroke (scratch,
 *    crack, hair) or a small compact speck (dust); blotchy texture is neither.
 * 5. Halo trim: pixels weaker than a fraction of their neighbourhood's peak
 *    (the soft shoulders of a blurred line) are dropped, so strokes keep their
 *    true width.
 */
import { forEachNonZeroQuad } from '../imaging/mask-scan';
import { boundaryCounts, extentOf, labelComponents } from './components';
import { close, dilate, open, type GreyImage } from './morphology';
import type { Planes } from './raster';
import { localPercentile } from './texture';

export interface ThinParams {
  /** Top-hat structuring element radius, px: detects features up to about 2r px wide. */
  readonly radius: number;
  /** Texture blocks are (2 * textureRadius + 1) px square. */
  readonly textureRadius: number;
  /** Which percentile of the block's responses is its texture level (0..1). */
  readonly texturePercentile: number;
  /**
   * Score = response / (texture + noiseFloor): how many times a detail stands
   * out from its surroundings' own detail. The floor stands for grain and JPEG
   * noise, so flat sky does not make every speck of grain infinitely strong.
   */
  readonly noiseFloor: number;
  /** Pixels responding less than this (luma levels) are never damage, however flat the area. */
  readonly minContrast: number;
  /** Hysteresis thresholds on the score (a ratio, see noiseFloor). */
  readonly high: number;
  readonly low: number;
  /** A stroke must be at least this long, px. */
  readonly minLength: number;
  /** ... and at most this wide on average (area / length), px. */
  readonly maxWidth: number;
  /** A speck may cover at most this many px ... */
  readonly dustMaxArea: number;
  /** ... and must peak at least this high (score). */
  readonly dustHigh: number;
  /** Keep a pixel only when its response is at least this fraction of its 3x3 neighbourhood's peak. */
  readonly halo: number;
}

export interface ThinResult {
  /** Uint8Array of width*height at working resolution: 1 = damage. */
  readonly mask: Uint8Array;
  /** Top-hat response (max of bright and dark), 0..255. */
  readonly response: GreyImage;
  /** Per pixel: 1 when the bright response wins, 2 when the dark one does. */
  readonly polarity: Uint8Array;
  /** Opening of the bright plane and closing of the dark plane: the backgrounds details stand out from. */
  readonly opened: GreyImage;
  readonly closed: GreyImage;
  readonly strokes: number;
  readonly specks: number;
}

/**
 * Two channels: a fine one (small element, for hairline scratches and small
 * specks, where a small element keeps texture out) and a coarse one (large
 * element, for wide cracks and big specks, with its own, stricter settings).
 * Their masks are merged; the coarse channel's response and backgrounds are
 * kept where it found something, the fine one's elsewhere.
 */
export function detectThinMultiScale(planes: Planes, fine: ThinParams, coarse: ThinParams): ThinResult {
  const a = detectThin(planes, fine);
  const b = detectThin(planes, coarse);
  const n = planes.bright.width * planes.bright.height;
  for (let i = 0; i < n; i++) {
    if (!b.mask[i]) continue;
    a.mask[i] = 1;
    a.response.data[i] = b.response.data[i]!;
    a.polarity[i] = b.polarity[i]!;
    a.opened.data[i] = b.opened.data[i]!;
    a.closed.data[i] = b.closed.data[i]!;
  }
  return { ...a, strokes: a.strokes + b.strokes, specks: a.specks + b.specks };
}

export function detectThin(planes: Planes, p: ThinParams): ThinResult {
  const { width, height } = planes.bright;
  const n = width * height;
  const opened = open(planes.bright, p.radius);
  const closed = close(planes.dark, p.radius);
  const lo = planes.bright.data;
  const hi = planes.dark.data;

  const response = new Uint8Array(n);
  const polarity = new Uint8Array(n);
  const both = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const a = lo[i]! - opened.data[i]!;
    const b = closed.data[i]! - hi[i]!;
    response[i] = a > b ? a : b;
    polarity[i] = a > b ? 1 : 2;
    both[i] = a + b > 255 ? 255 : a + b;
  }
  const texture = localPercentile(both, width, height, 2 * p.textureRadius + 1, p.texturePercentile);

  const score = new Float32Array(n);
  const low = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const r = response[i]!;
    const s = r / (texture[i]! + p.noiseFloor);
    score[i] = s;
    low[i] = s >= p.low && r >= p.minContrast ? 1 : 0;
  }

  const { labels, components } = labelComponents(low, width, height, score);
  const boundary = boundaryCounts(labels, width, height, components.length);
  const keep = new Uint8Array(components.length + 1);
  let strokes = 0;
  let specks = 0;
  for (const c of components) {
    if (c.maxScore < p.high) continue;
    const length = extentOf(c);
    // Mean stroke width from area and outline; right for branching cracks too,
    // where area / extent would count every branch against one length.
    const strokeWidth = (2 * c.area) / Math.max(1, boundary[c.label]!);
    if (length >= p.minLength && strokeWidth <= p.maxWidth && length >= 3 * strokeWidth) {
      keep[c.label] = 1;
      strokes++;
    } else if (c.area <= p.dustMaxArea && c.maxScore >= p.dustHigh && length <= 2.5 * Math.sqrt(c.area) + 2) {
      keep[c.label] = 1;
      specks++;
    }
  }

  const peak = dilate({ width, height, data: response }, 1).data;
  const mask = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    if (keep[labels[i]!] && response[i]! >= p.halo * peak[i]!) mask[i] = 1;
  }
  return { mask, response: { width, height, data: response }, polarity, opened, closed, strokes, specks };
}

/**
 * Wraps a working-resolution mask found some other way (the learned
 * detector) as a ThinResult, so it goes through the same full-resolution
 * refinement: backgrounds and polarity from top-hats of the given radius;
 * compact components up to dustMaxArea px count as specks, the rest as strokes.
 * Response and polarity are worked out on the mask's pixels only (0 elsewhere):
 * the refinement reads them nowhere else, and most of a photo is unmasked.
 */
export function thinResultFromMask(planes: Planes, mask: Uint8Array, radius: number, dustMaxArea: number, backgrounds?: TopHatBackgrounds): ThinResult {
  const { width, height } = planes.bright;
  const n = width * height;
  const { opened, closed } = backgrounds?.radius === radius ? backgrounds : topHatBackgrounds(planes, radius);
  const response = new Uint8Array(n);
  const polarity = new Uint8Array(n);
  const lo = planes.bright.data;
  const hi = planes.dark.data;
  forEachNonZeroQuad(mask, (start, end) => {
    for (let i = start; i < end; i++) {
      if (!mask[i]) continue;
      const a = lo[i]! - opened.data[i]!;
      const b = closed.data[i]! - hi[i]!;
      response[i] = a > b ? a : b;
      polarity[i] = a > b ? 1 : 2;
    }
  });
  const { components } = labelComponents(mask, width, height);
  let specks = 0;
  for (const c of components) if (c.area <= dustMaxArea && extentOf(c) <= 2.5 * Math.sqrt(c.area) + 2) specks++;
  return { mask, response: { width, height, data: response }, polarity, opened, closed, strokes: components.length - specks, specks };
}

/** The opening of the bright plane and closing of the dark one at a radius: independent of any mask. */
export interface TopHatBackgrounds {
  readonly radius: number;
  readonly opened: GreyImage;
  readonly closed: GreyImage;
}

export function topHatBackgrounds(planes: Planes, radius: number): TopHatBackgrounds {
  return { radius, opened: open(planes.bright, radius), closed: close(planes.dark, radius) };
}
