import sharp, { type Sharp } from 'sharp';
import type { PixelArray } from '../imaging/photo';
import type { ColourPixels } from './analyse';

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
