import { describe, expect, it } from 'vitest';
import type { GreyImage } from './morphology';
import { columnSums, detectLineScratches, FRAME_SCALE } from './line-scratches';
import type { Planes } from './raster';

const W = 480;
const H = 640;
/** The lengths as they apply to the 1920x1080 film frames (and, in the engine, to any smaller photo). */
const SCALE = FRAME_SCALE;

/** Film-like background: mid grey, a slow horizontal ramp and seeded grain of +-6 levels. */
function grainy(seed = 7): GreyImage {
  const data = new Uint8Array(W * H);
  let s = seed;
  for (let i = 0; i < data.length; i++) {
    s = (s * 1103515245 + 12345) >>> 0;
    const grain = ((s >>> 16) % 13) - 6;
    data[i] = Math.round(90 + (40 * (i % W)) / W + grain);
  }
  return { width: W, height: H, data };
}

const planes = (img: GreyImage): Planes => ({ bright: img, dark: img });

/** Adds `delta` to columns x0..x0+width-1 over rows y0..y1 (clamped to 0..255). */
function paintColumns(img: GreyImage, x0: number, width: number, y0: number, y1: number, delta: number): void {
  for (let y = y0; y < y1; y++) {
    for (let x = x0; x < x0 + width; x++) img.data[y * W + x] = Math.max(0, Math.min(255, img.data[y * W + x]! + delta));
  }
}

function flaggedIn(mask: Uint8Array, x0: number, x1: number, y0 = 0, y1 = H): number {
  let n = 0;
  for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) n += mask[y * W + x]!;
  return n;
}

const total = (mask: Uint8Array): number => mask.reduce((a, v) => a + v, 0);

describe('detectLineScratches', () => {
  it('finds faint bright and dark line scratches, 1-3 px wide, and marks nothing away from them', () => {
    const img = grainy();
    paintColumns(img, 100, 1, 50, 550, 7); // 1 px, 7 levels brighter
    paintColumns(img, 240, 2, 100, 600, -6); // 2 px, 6 levels darker
    paintColumns(img, 380, 3, 0, 400, 8); // 3 px, to the top edge
    const found = detectLineScratches(planes(img), SCALE);
    expect(found.lines).toBeGreaterThanOrEqual(3);
    // Most of each line's length is marked...
    expect(flaggedIn(found.mask, 99, 102, 50, 550)).toBeGreaterThan(0.8 * 500);
    expect(flaggedIn(found.mask, 239, 243, 100, 600)).toBeGreaterThan(0.8 * 500);
    expect(flaggedIn(found.mask, 379, 384, 0, 400)).toBeGreaterThan(0.8 * 400);
    // ...within a pixel or two of it, and nothing else.
    const near = flaggedIn(found.mask, 97, 104) + flaggedIn(found.mask, 237, 245) + flaggedIn(found.mask, 377, 386);
    expect(total(found.mask) - near).toBe(0);
  });

  it('leaves grain alone', () => {
    expect(detectLineScratches(planes(grainy(3)), SCALE).lines).toBe(0);
  });

  it('does not take vertical content for scratches: a pole, a door frame, a wide dark line', () => {
    const img = grainy();
    paintColumns(img, 60, 14, 0, H, -60); // a dark pole, 14 px wide
    paintColumns(img, 200, W - 200, 0, H, 70); // a door frame: a bright step edge down the whole photo
    paintColumns(img, 140, 8, 40, 600, -40); // a wide dark line, 8 px
    const found = detectLineScratches(planes(img), SCALE);
    expect(found.lines).toBe(0);
    expect(total(found.mask)).toBe(0);
  });

  it('does not take a slanted or a short line for a scratch', () => {
    const img = grainy();
    // 2 px wide, 8 levels brighter, leaning 1 px in 6 rows (about 10 degrees).
    for (let y = 40; y < 600; y++) paintColumns(img, 100 + Math.floor((y - 40) / 6), 2, y, y + 1, 8);
    paintColumns(img, 300, 2, 200, 240, 12); // 40 rows: a vertical detail, not a scratch
    expect(detectLineScratches(planes(img), SCALE).lines).toBe(0);
  });

  it('finds fainter lines at a lower contrast factor (higher sensitivity)', () => {
    const img = grainy();
    paintColumns(img, 200, 2, 50, 600, 4);
    expect(detectLineScratches(planes(img), SCALE).lines).toBe(0);
    expect(detectLineScratches(planes(img), SCALE, 0.5).lines).toBeGreaterThan(0);
  });
});

describe('columnSums', () => {
  it('sums each column over the window, repeating the edge rows, at every step-th row', () => {
    const img: GreyImage = { width: 2, height: 5, data: Uint8Array.from([1, 10, 2, 20, 3, 30, 4, 40, 5, 50]) };
    expect([...columnSums(img, 1)]).toEqual([4, 40, 6, 60, 9, 90, 12, 120, 14, 140]);
    expect([...columnSums(img, 1, 2)]).toEqual([4, 40, 9, 90, 14, 140]);
  });
});
