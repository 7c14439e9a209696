import sharp, { type Sharp } from 'sharp';
import type { PixelArray } from '../imaging/photo';

/**
 * Colour samples of a photo without its alpha: interleaved, row-major,
 * `channels` = 1 (grey) or 3 (RGB), the file's own code values
 * (0..255 in a Uint8Array or 0..65535 in a Uint16Array).
 */
export interface ColourPixels {
  readonly width: number;
  readonly height: number;
  readonly channels: 1 | 3;
  readonly data: PixelArray;
}

/** A sharp pipeline over colour samples (no alpha). */
export function rawSharp(p: ColourPixels): Sharp {
  // sharp reads a typed array's sample type from its constructor (Uint16Array -> ushort); its typings only admit Buffer.
  return sharp(p.data as unknown as Buffer, { raw: { width: p.width, height: p.height, channels: p.channels } });
}

/**
 * A sharp pipeline's raw result with the channels and sample type of `like`
 * (sharp would otherwise turn grey into sRGB), `samples` long (default: like's).
 */
export async function readRaw(s: Sharp, like: ColourPixels, samples = like.data.length): Promise<PixelArray> {
  const sixteen = like.data instanceof Uint16Array;
  const space = like.channels === 1 ? (sixteen ? 'grey16' : 'b-w') : sixteen ? 'rgb16' : 'srgb';
  const { data } = await s.toColourspace(space).raw({ depth: sixteen ? 'ushort' : 'uchar' }).toBuffer({ resolveWithObject: true });
  const out = sixteen ? new Uint16Array(data.buffer, data.byteOffset, data.byteLength / 2) : new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  if (out.length !== samples) throw new Error(`Tone: sharp returned ${out.length} samples for ${samples}`);
  return out;
}
