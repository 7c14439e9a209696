import { open } from 'node:fs/promises';
import path from 'node:path';
import sharp, { type Metadata, type OutputInfo, type SharpOptions } from 'sharp';
import { PHOTO_FORMATS } from '@shared/photo-formats';
import { EngineError } from '../errors/engine-error';
import { libraryWords, unreadablePhotoMessage } from './unreadable';
import type { DecodePlan, Photo, PhotoFormat, PixelArray } from './photo';

/**
 * Options every read of a photo (or a mask) uses: EXIF orientation applied, a
 * damaged file is an error rather than grey rows, and at most 2^28 pixels.
 *
 * icc 'ignore' (decode, the re-decode at encode time, export) keeps the file's
 * own code values, which is what makes pixels outside the mask come back
 * unchanged; 'apply' (what the editor displays, masks) lets sharp convert
 * through the embedded profile.
 */
export function photoInputOptions(icc: 'ignore' | 'apply' = 'ignore'): SharpOptions {
  const options: SharpOptions = { autoOrient: true, failOn: 'error', limitInputPixels: 1 << 28 };
  return icc === 'ignore' ? { ...options, ignoreIcc: true } : options;
}

/** Reads a photo, applies EXIF orientation, and returns its raw samples. */
export async function decodePhoto(filePath: string): Promise<Photo> {
  let meta: Metadata;
  try {
    meta = await sharp(filePath, photoInputOptions()).metadata();
  } catch (err) {
    throw unreadable(filePath, err);
  }
  const format = normaliseFormat(meta.format);
  if (!format) {
    throw new EngineError(
      'IMAGE_UNSUPPORTED',
      `Unsupported image format "${meta.format}" in ${filePath}; Patina reads JPEG, PNG, WebP and TIFF`,
    );
  }
  if ((meta.pages ?? 1) > 1) {
    // Restoring the first page alone would silently drop the others from the output.
    const what = format === 'tiff' ? `a ${meta.pages}-page TIFF` : `an animation of ${meta.pages} frames`;
    throw new EngineError(
      'IMAGE_UNSUPPORTED',
      `${path.basename(filePath)} is ${what}; Patina restores single images and would lose the rest. Save each page as its own file and restore those`,
    );
  }
  const plan = planDecode(meta);
  let raw: { data: Buffer; info: OutputInfo };
  try {
    raw = await sharp(filePath, photoInputOptions())
      .toColourspace(plan.space)
      .raw({ depth: plan.depth })
      .toBuffer({ resolveWithObject: true });
    if (plan.space === 'b-w' && meta.hasAlpha && raw.info.channels === 1) raw = await withGreyAlpha(filePath, raw);
  } catch (err) {
    throw unreadable(filePath, err);
  }
  const { info } = raw;
  const colourChannels: 1 | 3 = plan.space === 'b-w' || plan.space === 'grey16' ? 1 : 3;
  const hasAlpha = info.channels === colourChannels + 1;
  if (info.channels !== colourChannels && !hasAlpha) {
    throw new EngineError('IMAGE_UNSUPPORTED', `Unexpected ${info.channels}-channel layout in ${filePath}`);
  }
  const data: PixelArray =
    plan.depth === 'ushort'
      ? new Uint16Array(raw.data.buffer, raw.data.byteOffset, raw.data.byteLength / 2)
      : new Uint8Array(raw.data.buffer, raw.data.byteOffset, raw.data.byteLength);
  return {
    width: info.width,
    height: info.height,
    channels: info.channels as Photo['channels'],
    colourChannels,
    hasAlpha,
    bitDepth: plan.depth === 'ushort' ? 16 : 8,
    data,
    source: {
      path: filePath,
      format,
      plan,
      density: meta.density,
      chromaSubsampling: meta.chromaSubsampling,
      webpLossless: format === 'webp' ? await isLosslessWebp(filePath) : undefined,
      orientation: meta.orientation ?? 1,
    },
  };
}

/**
 * sharp's 8-bit grey raw output drops the alpha band, while the encoder's
 * pipeline keeps it: the photo must carry both bands, or a one-band change
 * would be applied to the alpha as well. The alpha is read on its own and
 * interleaved with the grey.
 */
async function withGreyAlpha(filePath: string, grey: { data: Buffer; info: OutputInfo }): Promise<{ data: Buffer; info: OutputInfo }> {
  const alpha = await sharp(filePath, photoInputOptions()).extractChannel('alpha').raw({ depth: 'uchar' }).toBuffer();
  const n = grey.info.width * grey.info.height;
  const data = Buffer.allocUnsafe(n * 2);
  for (let i = 0; i < n; i++) {
    data[2 * i] = grey.data[i]!;
    data[2 * i + 1] = alpha[i]!;
  }
  return { data, info: { ...grey.info, channels: 2 } };
}

/** A photo sharp cannot read or decode, in the person's words; sharp's own text goes in the detail. */
function unreadable(filePath: string, err: unknown): EngineError {
  return new EngineError('IMAGE_UNREADABLE', unreadablePhotoMessage(filePath), libraryWords(err));
}

/** The Patina format of sharp's metadata format name, or undefined for one Patina does not read. */
export function normaliseFormat(format: string | undefined): PhotoFormat | undefined {
  const f = format === 'jpg' ? 'jpeg' : format;
  return (PHOTO_FORMATS as readonly string[]).includes(f ?? '') ? (f as PhotoFormat) : undefined;
}

/**
 * Grey stays grey and 16-bit stays 16-bit. Other spaces (CMYK, Lab) are
 * converted to sRGB: the network works in RGB, and those files are rare scans.
 */
export function planDecode(meta: Pick<Metadata, 'space' | 'depth'>): DecodePlan {
  const sixteen = meta.depth !== 'uchar' && meta.depth !== 'char';
  const grey = meta.space === 'b-w' || meta.space === 'grey16';
  const converted = !['srgb', 'rgb', 'rgb16', 'b-w', 'grey16'].includes(meta.space);
  if (grey) return sixteen ? { space: 'grey16', depth: 'ushort', converted } : { space: 'b-w', depth: 'uchar', converted };
  return sixteen ? { space: 'rgb16', depth: 'ushort', converted } : { space: 'srgb', depth: 'uchar', converted };
}

/**
 * A WebP's first image chunk says lossless ('VP8L') or lossy ('VP8 '); sharp's
 * metadata does not tell, so walk the RIFF chunk headers.
 */
export async function isLosslessWebp(filePath: string): Promise<boolean> {
  const fh = await open(filePath, 'r');
  try {
    const header = Buffer.alloc(12);
    await fh.read(header, 0, 12, 0);
    if (header.toString('latin1', 0, 4) !== 'RIFF' || header.toString('latin1', 8, 12) !== 'WEBP') return false;
    const chunk = Buffer.alloc(8);
    let offset = 12;
    for (let i = 0; i < 64; i++) {
      const { bytesRead } = await fh.read(chunk, 0, 8, offset);
      if (bytesRead < 8) return false;
      const fourcc = chunk.toString('latin1', 0, 4);
      if (fourcc === 'VP8L') return true;
      if (fourcc === 'VP8 ') return false;
      if (fourcc === 'ANMF') return false;
      const size = chunk.readUInt32LE(4);
      offset += 8 + size + (size & 1);
    }
    return false;
  } finally {
    await fh.close();
  }
}
