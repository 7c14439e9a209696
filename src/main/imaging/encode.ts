import sharp, { type Sharp } from 'sharp';
import { photoInputOptions } from './decode';
import { formatOfExtension, writtenExtension } from '@shared/photo-formats';
import type { Photo, PhotoFormat, PixelArray } from './photo';

export interface EncodeOptions {
  /** JPEG (and lossy WebP) quality, 1-100. */
  readonly quality?: number;
}

export const DEFAULT_QUALITY = 95;

/** 'same' keeps the input's own format; the others convert (the batch queue's format option). */
export type OutputFormat = 'same' | PhotoFormat;

/**
 * Builds the sharp pipeline that writes a restored photo.
 *
 * The original file is decoded again with the same settings as at load and
 * the changes are applied as an XOR delta (`boolean(delta, 'eor')`): samples
 * with a zero delta come out bit-identical, and because the pipeline's input
 * is the original file, keepMetadata() carries its EXIF, ICC profile, XMP and
 * IPTC over untouched. The EXIF orientation tag is reset to 1 because the
 * pixels were made upright at load. DPI is restated since TIFF drops it.
 *
 * delta: same layout and type as photo.data (see Photo).
 */
export function restoredPipeline(photo: Photo, delta: PixelArray, format: OutputFormat, options: EncodeOptions = {}): Sharp {
  const { source } = photo;
  let s = sharp(source.path, photoInputOptions())
    .toColourspace(source.plan.space)
    // sharp reads a typed array's sample type from its constructor (Uint16Array
    // -> ushort); its typings only admit Buffer, which would mean uchar.
    .boolean(delta as unknown as Buffer, 'eor', { raw: { width: photo.width, height: photo.height, channels: photo.channels } });
  // A converted photo (e.g. CMYK -> sRGB) keeps EXIF and XMP but not the old profile.
  s = source.plan.converted ? s.keepExif().keepXmp() : s.keepMetadata();
  if (source.density) s = s.withDensity(source.density);
  return writeAs(s, format === 'same' ? source.format : format, {
    quality: clampQuality(options.quality ?? DEFAULT_QUALITY),
    // Keep 4:4:4 inputs at 4:4:4; subsampling them would blur colour edges everywhere.
    chromaSubsampling: source.chromaSubsampling === '4:4:4' ? '4:4:4' : '4:2:0',
    // A lossless WebP stays lossless; converting from another format follows the chosen quality.
    webpLossless: source.format === 'webp' && source.webpLossless === true,
  });
}

/**
 * A photo file written again as `format` (the editor's Export): read like
 * decodePhoto reads it (EXIF orientation applied, the ICC profile not applied
 * but carried over with the other metadata), so the written code values are
 * the file's own and a colour-managed viewer sees the same colours.
 * JPEG has no alpha: transparent areas become white, as on paper. Quality
 * 90 and up keeps JPEG colour at full resolution; WebP at 100 is lossless.
 */
export function reencodedPipeline(file: string, format: PhotoFormat, quality: number): Sharp {
  const s = sharp(file, photoInputOptions()).keepMetadata();
  return writeAs(format === 'jpeg' ? s.flatten({ background: '#ffffff' }) : s, format, {
    quality,
    chromaSubsampling: quality >= 90 ? '4:4:4' : '4:2:0',
    webpLossless: quality >= 100,
  });
}

interface WriteSettings {
  /** JPEG and lossy WebP quality, 1-100. */
  readonly quality: number;
  readonly chromaSubsampling: '4:4:4' | '4:2:0';
  readonly webpLossless: boolean;
}

/** The one place each output format's encoder settings are chosen. */
function writeAs(s: Sharp, format: PhotoFormat, settings: WriteSettings): Sharp {
  switch (format) {
    case 'jpeg':
      return s.jpeg({ quality: settings.quality, chromaSubsampling: settings.chromaSubsampling });
    case 'webp':
      return settings.webpLossless ? s.webp({ lossless: true }) : s.webp({ quality: settings.quality });
    case 'tiff':
      // sharp's TIFF default is JPEG compression: lossy, and not what a scan archive holds.
      return s.tiff({ compression: 'lzw', predictor: 'horizontal' });
    case 'png':
    default:
      return s.png({ compressionLevel: 6 });
  }
}

function clampQuality(q: number): number {
  return Math.max(1, Math.min(100, Math.round(q)));
}

/** The format a file name promises (photo.JPG -> jpeg), or undefined for other extensions. */
export function formatForExtension(file: string): PhotoFormat | undefined {
  const dot = file.lastIndexOf('.');
  return dot < 0 ? undefined : formatOfExtension(file.slice(dot + 1));
}

/** File extension (with the dot) for a photo's output, matching its format. */
export function extensionFor(photo: Photo): string {
  return `.${writtenExtension(photo.source.format)}`;
}
