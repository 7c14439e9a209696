import { existsSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { DEFAULT_OVERLAY_OPACITY, LAYER_COLORS } from '../../src/renderer/src/editor/document/layer-ops';

/*
 * The mask overlay must show on whatever photo it covers (issue 28): each
 * layer colour, blended at the default opacity as the editor draws it, must
 * change almost every pixel of a sepia, a grey and a colour photo visibly.
 * "Visibly": a CIELAB (CIE76) distance of 18 or more, about the gap between
 * two clearly different tints; checked on every 53rd pixel of real scans.
 */

const PHOTOS = {
  'sepia print': path.resolve('../shared/data/damaged/bopb_old_photos/old/a.png'),
  'grey print': path.resolve('../shared/data/damaged/bopb_old_photos/old/b.png'),
  'pale print with white collars': path.resolve('../shared/data/damaged/bopb_old_photos/old/c.png'),
  'colour photo (landscape)': path.resolve('../shared/data/train/bsds500/test_100007.jpg'),
  'colour photo (sky)': path.resolve('../shared/data/train/bsds500/test_100039.jpg'),
};
const MIN_DISTANCE = 18;
/** Share of pixels allowed below MIN_DISTANCE (a colour matching a few pixels of the photo is expected). */
const ALLOWED_BELOW = 0.02;

const linear = (v: number) => (v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);

/** sRGB 0..255 -> CIELAB (D65). */
function lab(r: number, g: number, b: number): [number, number, number] {
  const [R, G, B] = [linear(r / 255), linear(g / 255), linear(b / 255)];
  const f = (t: number) => (t > 216 / 24389 ? Math.cbrt(t) : (841 / 108) * t + 4 / 29);
  const x = f((0.4124 * R + 0.3576 * G + 0.1805 * B) / 0.95047);
  const y = f(0.2126 * R + 0.7152 * G + 0.0722 * B);
  const z = f((0.0193 * R + 0.1192 * G + 0.9505 * B) / 1.08883);
  return [116 * y - 16, 500 * (x - y), 200 * (y - z)];
}

const rgbOf = (hex: string) => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)) as [number, number, number];

describe('mask overlay colours', () => {
  for (const [name, file] of Object.entries(PHOTOS)) {
    it.skipIf(!existsSync(file))(`every layer colour shows on a ${name}`, async () => {
      const { data, info } = await sharp(file).removeAlpha().toColourspace('srgb').raw().toBuffer({ resolveWithObject: true });
      const a = DEFAULT_OVERLAY_OPACITY;
      const below: Record<string, number> = {};
      for (const hex of LAYER_COLORS) {
        const c = rgbOf(hex);
        let n = 0;
        let low = 0;
        for (let i = 0; i + 2 < data.length; i += info.channels * 53) {
          const p = [data[i]!, data[i + 1]!, data[i + 2]!] as const;
          const before = lab(p[0], p[1], p[2]);
          const after = lab(p[0] * (1 - a) + c[0] * a, p[1] * (1 - a) + c[1] * a, p[2] * (1 - a) + c[2] * a);
          if (Math.hypot(before[0] - after[0], before[1] - after[1], before[2] - after[2]) < MIN_DISTANCE) low++;
          n++;
        }
        below[hex] = low / n;
      }
      const hidden = Object.entries(below).filter(([, share]) => share > ALLOWED_BELOW);
      expect(hidden, `colours that vanish on the ${name} (share of pixels below ${MIN_DISTANCE})`).toEqual([]);
    });
  }
});
