import path from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { analyseTone } from './analyse';
import type { ColourPixels } from './raw';
import { resolveTone } from './auto';
import { renderTone } from './apply';

const here = path.dirname(fileURLToPath(import.meta.url));
const PHOTO = path.resolve(here, '../../../../shared/data/train/sun_hays80/abbey_sun_asztnlqhlrvirneh.jpg');
const SEPIA_SCAN = path.resolve(here, '../../../../shared/data/damaged/bopb_old_photos/history/17.png');

async function readRgb(file: string, side = 256): Promise<ColourPixels & { data: Uint8Array }> {
  const { data, info } = await sharp(file).removeAlpha().resize(side, side, { fit: 'inside' }).raw().toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height, channels: 3, data: new Uint8Array(data) };
}

/** A faded print: contrast to 60 %, blacks lifted by 0.15, the blue dye 20 % weaker (a yellow cast). */
function fade(p: ColourPixels & { data: Uint8Array }): ColourPixels & { data: Uint8Array } {
  const gain = [1, 0.97, 0.8];
  const data = p.data.map((v, i) => Math.round(255 * gain[i % 3]! * (0.15 + 0.6 * (v / 255))));
  return { ...p, data };
}

function psnr(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let se = 0;
  for (let i = 0; i < a.length; i++) se += (a[i]! - b[i]!) ** 2;
  return 10 * Math.log10((255 * 255) / (se / a.length));
}

/** Mean of (B - (R + G) / 2): negative is yellow. */
function yellowness(p: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < p.length; i += 3) s += p[i + 2]! - (p[i]! + p[i + 1]!) / 2;
  return s / (p.length / 3);
}

async function auto(p: ColourPixels, options = {}) {
  const analysis = await analyseTone(p);
  const applied = resolveTone(options, analysis);
  return { analysis, applied, out: await renderTone(p, applied, analysis) };
}

describe('Auto tone', () => {
  it('brings a faded, yellowed photo closer to the original and takes about half the cast away or more', async () => {
    const clean = await readRgb(PHOTO);
    const faded = fade(clean);
    const { analysis, applied, out } = await auto(faded);
    expect(analysis.look).toBe('colour');
    expect(applied.colour).toBe('neutralise');
    expect(applied.overridden).toEqual([]);
    expect(psnr(out, clean.data)).toBeGreaterThan(psnr(faded.data, clean.data) + 3);
    const castBefore = Math.abs(yellowness(faded.data) - yellowness(clean.data));
    // Auto applies 75 % of each dye's correction (CAST_SHARE): a scene may be warm, and this one is.
    expect(Math.abs(yellowness(out) - yellowness(clean.data))).toBeLessThan(castBefore * 0.6);
  });

  it('strength 0 changes nothing, and a setting given is kept and reported as overridden', async () => {
    const faded = fade(await readRgb(PHOTO, 96));
    const { applied, out } = await auto(faded, { strength: 0, grain: 0, contrast: 55 });
    expect(Array.from(out)).toEqual(Array.from(faded.data));
    expect(applied).toMatchObject({ strength: 0, grain: 0, contrast: 55 });
    expect([...applied.overridden].sort()).toEqual(['contrast', 'grain', 'strength']);
  });

  it('a neutral B&W print stays exactly grey; a sepia scan keeps its hue', async () => {
    const clean = await readRgb(PHOTO, 128);
    const grey = fade({ ...clean, data: clean.data.map((_, i, d) => d[i - (i % 3) + 1]!) });
    // fade() yellowed it; a B&W print with a faint warm cast is still B&W.
    const bw = await auto({ ...grey, data: grey.data.map((_, i, d) => Math.round((d[i - (i % 3)]! + d[i - (i % 3) + 1]! + d[i - (i % 3) + 2]!) / 3) + [1, 0, -1][i % 3]!) });
    expect(bw.analysis.look).toBe('monochrome');
    for (let i = 0; i < bw.out.length; i += 3) expect(bw.out[i]).toBe(bw.out[i + 2]);

    const sepia = await readRgb(SEPIA_SCAN, 128);
    const s = await auto(sepia);
    expect(s.analysis.look).toBe('sepia');
    expect(s.applied.colour).toBe('keep');
    const hue = (p: ArrayLike<number>) => {
      let a = 0;
      let b = 0;
      for (let i = 0; i < p.length; i += 3) {
        a += p[i]! - p[i + 1]!;
        b += (p[i]! + p[i + 1]!) / 2 - p[i + 2]!;
      }
      return (Math.atan2(b, a) * 180) / Math.PI;
    };
    expect(Math.abs(hue(s.out) - hue(sepia.data))).toBeLessThan(3);
  });

  it('works in 16 bits without losing them, on grey and RGB', async () => {
    const width = 64;
    const height = 48;
    const rgb = new Uint16Array(width * height * 3).map((_, i) => 9000 + ((i * 7919) % 30011));
    const r = await auto({ width, height, channels: 3, data: rgb }, { colour: 'keep', grain: 0, sharpen: 0 });
    expect(r.out).toBeInstanceOf(Uint16Array);
    // An 8-bit round trip would leave only multiples of 257.
    expect(Array.from(r.out).filter((v) => v % 257 !== 0).length).toBeGreaterThan(r.out.length / 2);
    const grey = new Uint16Array(width * height).map((_, i) => 20000 + ((i * 104729) % 20000));
    const g = await auto({ width, height, channels: 1, data: grey }, { grain: 40, sharpen: 30 });
    expect(g.analysis.look).toBe('monochrome');
    expect(g.out).toBeInstanceOf(Uint16Array);
    expect(g.out.length).toBe(grey.length);
    // The range 20000..40000 is stretched (Auto's contrast), not clipped to nothing.
    expect(Math.max(...g.out) - Math.min(...g.out)).toBeGreaterThan(30000);
  });
});
