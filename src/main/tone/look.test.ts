import path from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { readLook } from './look';

const here = path.dirname(fileURLToPath(import.meta.url));
const PHOTO = path.resolve(here, '../../../../shared/data/train/sun_hays80/abbey_sun_asztnlqhlrvirneh.jpg');
const REAL = path.resolve(here, '../../../../shared/data/damaged/bopb_old_photos');

async function readRgb(file: string): Promise<Uint8Array> {
  const { data } = await sharp(file).removeAlpha().resize(128, 128, { fit: 'inside' }).raw().toBuffer({ resolveWithObject: true });
  return new Uint8Array(data);
}

/** The photo made grey, then each channel through gain and offset (0..1 of full scale): a tint or a dye cast. */
function tinted(rgb: Uint8Array, gain: readonly number[], offset: readonly number[]): Uint8Array {
  const out = new Uint8Array(rgb.length);
  for (let k = 0; k < rgb.length; k += 3) {
    const y = (0.299 * rgb[k]! + 0.587 * rgb[k + 1]! + 0.114 * rgb[k + 2]!) / 255;
    const faded = 0.1 + 0.7 * y;
    for (let c = 0; c < 3; c++) out[k + c] = Math.round(255 * Math.min(1, gain[c]! * faded + offset[c]!));
  }
  return out;
}

describe('the look Auto reads', () => {
  it('takes a one-hue scene under a cyan or magenta cast for a colour photo, and the same scene sepia-toned or yellowed for a toned print', async () => {
    const photo = await readRgb(PHOTO);
    // The tone benchmark's cyan and magenta dye casts (bench/tone/ageing.ts) on a grey scene.
    expect(readLook(tinted(photo, [0.82, 1, 1], [0, 0.03, 0.04]), 255).look).toBe('colour');
    expect(readLook(tinted(photo, [1, 0.82, 0.95], [0.04, 0, 0.03]), 255).look).toBe('colour');
    // Sepia toning (the benchmark's look set) and a yellow cast are warm: both read as toned, whose look Auto keeps.
    expect(readLook(tinted(photo, [1.08, 0.96, 0.78], [0, 0, 0]), 255).look).toBe('sepia');
    expect(readLook(tinted(photo, [1, 0.97, 0.8], [0.04, 0.03, 0]), 255).look).toBe('sepia');
    expect(readLook(tinted(photo, [1, 1, 1], [0, 0, 0]), 255).look).toBe('monochrome');
  });

  it('takes a scene whose objects differ in yellowness at the same lightness for a colour photo under a cast, not a toned print', async () => {
    const photo = await readRgb(PHOTO);
    // The benchmark's yellow cast on the left half, a stronger one on the right: the same hue, but chroma no longer a function of lightness.
    const light = tinted(photo, [1, 0.97, 0.8], [0.04, 0.03, 0]);
    const strong = tinted(photo, [1, 0.93, 0.62], [0.04, 0.03, 0]);
    const width = 128;
    const mixed = light.map((v, k) => (Math.floor(k / 3) % width >= width / 2 ? strong[k]! : v));
    expect(readLook(light, 255).look).toBe('sepia');
    expect(readLook(mixed, 255).look).toBe('colour');
  });

  it('reads the real sepia scans as toned and the real B&W scans as monochrome, in 8 and 16 bits', async () => {
    const cases = [
      ['history/13.png', 'sepia'],
      ['history/17.png', 'sepia'],
      ['history/18.png', 'sepia'],
      ['old_w_scratch/a.png', 'sepia'],
      ['old_w_scratch/b.png', 'sepia'],
      ['old_w_scratch/c.png', 'sepia'],
      ['old_w_scratch/d.png', 'sepia'],
      ['history/14.png', 'monochrome'],
      ['old/c.png', 'colour'],
    ] as const;
    for (const [file, look] of cases) {
      const rgb = await readRgb(path.join(REAL, file));
      expect(readLook(rgb, 255).look, file).toBe(look);
      expect(readLook(Uint16Array.from(rgb, (v) => v * 257), 65535).look, `${file} 16-bit`).toBe(look);
    }
  });
});
