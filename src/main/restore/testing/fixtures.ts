import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp, { type Sharp } from 'sharp';

/**
 * Test photos made on the fly: smooth gradients with texture, so a filled
 * region is plausible and every pixel differs from its neighbours.
 * Returns interleaved samples, row-major, RGB or grey (+ alpha when asked).
 */
export function syntheticPixels(width: number, height: number, channels: 1 | 2 | 3 | 4, bits: 8 | 16): Uint8Array | Uint16Array {
  const max = bits === 16 ? 65535 : 255;
  const out = bits === 16 ? new Uint16Array(width * height * channels) : new Uint8Array(width * height * channels);
  let seed = 12345;
  const rnd = (): number => {
    seed = (seed * 1103515245 + 12345) >>> 0;
    return seed / 2 ** 32;
  };
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const base = [
        0.5 + 0.4 * Math.sin(x / 17) * Math.cos(y / 23),
        0.3 + 0.6 * (x / width),
        0.2 + 0.6 * (y / height),
      ];
      const i = (y * width + x) * channels;
      const colour = channels >= 3 ? 3 : 1;
      for (let c = 0; c < colour; c++) {
        const v = colour === 1 ? (base[0]! + base[1]! + base[2]!) / 3 : base[c]!;
        out[i + c] = Math.round(Math.min(1, Math.max(0, v + (rnd() - 0.5) * 0.06)) * max);
      }
      if (channels === 2 || channels === 4) out[i + channels - 1] = Math.round((0.5 + 0.5 * (x / width)) * max);
    }
  }
  return out;
}

/** A sharp pipeline over synthetic pixels, ready for .png()/.jpeg()/... */
export function syntheticImage(width: number, height: number, channels: 1 | 2 | 3 | 4, bits: 8 | 16): Sharp {
  const px = syntheticPixels(width, height, channels, bits);
  // sharp takes the sample type from the typed array (Uint16Array -> 16-bit).
  const s = sharp(px as unknown as Buffer, { raw: { width, height, channels } });
  if (bits === 16) return s.toColourspace(channels <= 2 ? 'grey16' : 'rgb16');
  return channels <= 2 ? s.toColourspace('b-w') : s;
}

/** A mask PNG (white = fill) with a diagonal scratch of the given thickness and a dust speck. */
export async function scratchMaskPng(width: number, height: number, thickness = 3): Promise<Buffer> {
  const data = new Uint8Array(width * height);
  for (let x = 0; x < width; x++) {
    const yc = Math.round(height * 0.2 + (x / width) * height * 0.6);
    for (let t = 0; t < thickness; t++) {
      const y = yc + t - Math.floor(thickness / 2);
      if (y >= 0 && y < height) data[y * width + x] = 255;
    }
  }
  const sx = Math.floor(width * 0.8);
  const sy = Math.floor(height * 0.25);
  for (let y = sy; y < Math.min(height, sy + 4); y++) for (let x = sx; x < Math.min(width, sx + 4); x++) data[y * width + x] = 255;
  return sharp(data, { raw: { width, height, channels: 1 } }).png().toBuffer();
}

export async function tempDir(prefix = 'patina-test-'): Promise<string> {
  return mkdtemp(path.join(tmpdir(), prefix));
}

/** Raw samples of an image file as sharp decodes it (orientation applied, no ICC conversion). */
export async function rawSamples(file: string | Buffer, depth: 'uchar' | 'ushort' = 'uchar'): Promise<{ data: Uint8Array | Uint16Array; width: number; height: number; channels: number }> {
  const { data, info } = await sharp(file, { autoOrient: true, ignoreIcc: true }).raw({ depth }).toBuffer({ resolveWithObject: true });
  const samples = depth === 'ushort' ? new Uint16Array(data.buffer, data.byteOffset, data.byteLength / 2) : new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  return { data: samples, width: info.width, height: info.height, channels: info.channels };
}
