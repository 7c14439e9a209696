import sharp from 'sharp';
import { decodePhoto } from '../imaging/decode';
import { detectDefects, type DefectMask, type DetectOptions } from './detect';

/**
 * Decodes a photo with the engine's reader (EXIF orientation applied, so the
 * mask lines up with what every Patina tool shows) and detects its damage.
 * Unreadable or unsupported files reject with the decoder's EngineError
 * (IMAGE_UNREADABLE / IMAGE_UNSUPPORTED).
 */
export async function detectDefectsInFile(imagePath: string, options: DetectOptions = {}): Promise<DefectMask> {
  const photo = await decodePhoto(imagePath);
  return detectDefects(photo, options);
}

/**
 * The mask as an 8-bit greyscale PNG, white (255) = damage, black = intact:
 * the mask format every Patina reader takes (loadMask, --mask, the editor).
 */
export async function encodeMaskPng(mask: Pick<DefectMask, 'width' | 'height' | 'data'>): Promise<Buffer> {
  return sharp(mask.data, { raw: { width: mask.width, height: mask.height, channels: 1 } })
    // Without this sharp widens one raw channel to sRGB: three times the bytes for the same mask.
    .toColourspace('b-w')
    .png({ compressionLevel: 6 })
    .toBuffer();
}
