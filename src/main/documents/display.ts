import path from 'node:path';
import sharp, { type Metadata } from 'sharp';
import type { ExportFormat } from '@shared/ipc/documents';
import { EngineError } from '../errors/engine-error';
import { libraryWords, unreadablePhotoMessage } from '../imaging/unreadable';
import { normaliseFormat, photoInputOptions } from '../imaging/decode';

/*
 * What the editor displays. The photo itself may be 100 MP and in any of four
 * formats; the renderer gets web-decodable images made here: a small preview
 * at once, the full-resolution view only when someone zooms in far enough.
 * Display images are converted to sRGB (their embedded profile applied);
 * masks and the engine work on the file's own pixel grid, which is the same
 * grid (EXIF orientation applied), so overlays line up exactly.
 */

/** Display images are the photo as a viewer shows it: its ICC profile applied. */
const INPUT = photoInputOptions('apply');

export interface PhotoFacts {
  readonly format: ExportFormat;
  /** After EXIF orientation. */
  readonly width: number;
  readonly height: number;
  readonly hasAlpha: boolean;
}

export interface EncodedImage {
  readonly bytes: Uint8Array;
  readonly mime: string;
  readonly width: number;
  readonly height: number;
}

/** Reads a photo's header; refuses what Patina cannot restore, with the reason. */
export async function probePhoto(file: string, label = file): Promise<PhotoFacts> {
  let meta: Metadata;
  try {
    meta = await sharp(file, INPUT).metadata();
  } catch (err) {
    throw new EngineError('IMAGE_UNREADABLE', unreadablePhotoMessage(label), libraryWords(err));
  }
  const format = normaliseFormat(meta.format);
  if (!format) {
    throw new EngineError('IMAGE_UNSUPPORTED', `${label} is ${meta.format ?? 'not an image'}; Patina opens JPEG, PNG, WebP and TIFF`);
  }
  if ((meta.pages ?? 1) > 1 && format === 'webp') {
    throw new EngineError('IMAGE_UNSUPPORTED', `${label} is an animated WebP; open a still photo`);
  }
  return { format, width: meta.autoOrient.width, height: meta.autoOrient.height, hasAlpha: meta.hasAlpha };
}

/**
 * A display image of `file`, upright and sRGB: longest side at most
 * `maxSide` (never enlarged), or full size when maxSide is null. WebP keeps
 * previews small (and their alpha); the full view is JPEG (q92, 4:4:4) or,
 * with alpha, PNG, since WebP stops at 16383 px.
 */
export async function makeDisplayImage(file: string, maxSide: number | null, hasAlpha: boolean, label = path.basename(file)): Promise<EncodedImage> {
  try {
    let pipeline = sharp(file, INPUT);
    if (maxSide !== null) pipeline = pipeline.resize({ width: maxSide, height: maxSide, fit: 'inside', withoutEnlargement: true });
    pipeline =
      maxSide !== null
        ? pipeline.webp({ quality: 90, alphaQuality: 95 })
        : hasAlpha
          ? pipeline.png({ compressionLevel: 3 })
          : pipeline.jpeg({ quality: 92, chromaSubsampling: '4:4:4' });
    const { data, info } = await pipeline.toBuffer({ resolveWithObject: true });
    const mime = maxSide !== null ? 'image/webp' : hasAlpha ? 'image/png' : 'image/jpeg';
    return { bytes: new Uint8Array(data.buffer, data.byteOffset, data.byteLength), mime, width: info.width, height: info.height };
  } catch (err) {
    // A header can be whole while the pixels are cut short: a broken scan usually shows here, not in probePhoto.
    throw new EngineError('IMAGE_UNREADABLE', unreadablePhotoMessage(label), libraryWords(err));
  }
}

export function reason(err: unknown): string {
  return err instanceof Error ? err.message.trim() : String(err);
}
