import { describe, expect, it } from 'vitest';
import { dropFaintComponents, MIN_VISIBLE_CONTRAST } from './faint';
import type { Planes } from './raster';

/** Grey planes (bright = dark) of a flat 100 background with a bright bar and a 1-level step. */
function scene(width: number, height: number): Planes {
  const data = new Uint8Array(width * height).fill(100);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (x >= 10 && x < 13) data[y * width + x] = 160; // a 3-px scratch, 60 levels over the paper
      if (x >= 40) data[y * width + x] = 101; // banding: one level up, no edge anyone sees
    }
  }
  const img = { width, height, data };
  return { bright: img, dark: img };
}

describe('dropFaintComponents', () => {
  it('keeps a visible scratch and drops a flagged region with no visible contrast', () => {
    const [w, h] = [60, 30];
    const planes = scene(w, h);
    const mask = new Uint8Array(w * h);
    for (let y = 0; y < h; y++) {
      for (const x of [10, 11, 12]) mask[y * w + x] = 1;
      for (const x of [39, 40, 41]) mask[y * w + x] = 1;
    }
    const out = dropFaintComponents(mask, planes);
    expect(out[5 * w + 11]).toBe(1);
    expect(out[5 * w + 40]).toBe(0);
    expect(out.reduce((a, v) => a + v, 0)).toBe(3 * h);
    // Nothing faint survives a limit above the scratch's own contrast either.
    expect(dropFaintComponents(mask, planes, 200).every((v) => v === 0)).toBe(true);
    expect(MIN_VISIBLE_CONTRAST).toBeGreaterThan(1);
  });

  it('counts dark damage through the max-channel plane', () => {
    const [w, h] = [40, 20];
    const bright = new Uint8Array(w * h).fill(120);
    const dark = new Uint8Array(w * h).fill(180);
    const mask = new Uint8Array(w * h);
    for (let y = 0; y < h; y++) {
      dark[y * w + 20] = 90; // a dark line: every channel falls
      bright[y * w + 20] = 60;
      mask[y * w + 20] = 1;
    }
    const out = dropFaintComponents(mask, { bright: { width: w, height: h, data: bright }, dark: { width: w, height: h, data: dark } });
    expect(out[3 * w + 20]).toBe(1);
  });
});
