import sharp from 'sharp';
import { photoInputOptions } from '../imaging/decode';
import type { MaskInput, RestoreStats } from './types';

/** Relative difference of aspect ratios above which a mask is taken to belong to another photo. */
const ASPECT_TOLERANCE = 0.01;

/**
 * What a finished restore should tell the person about its mask, though the
 * photo was restored: a mask that marks every pixel (the whole photo was
 * repainted from nothing), or one of another shape (stretched to fit, so it
 * may belong to another photo or crop).
 */
export async function maskWarnings(mask: MaskInput, stats: Pick<RestoreStats, 'width' | 'height' | 'maskedPixels'>): Promise<string[]> {
  const warnings: string[] = [];
  if (stats.maskedPixels >= stats.width * stats.height) {
    warnings.push('The mask marks the whole photo, so all of it was repainted; check the mask (white marks what to fill) or invert it');
  }
  if (mask.kind === 'file') {
    const size = await maskSize(mask.path);
    if (size) {
      const ratio = size.width / size.height / (stats.width / stats.height);
      if (Math.abs(ratio - 1) > ASPECT_TOLERANCE) {
        warnings.push(
          `The mask is ${size.width}x${size.height} but the photo ${stats.width}x${stats.height}, a different shape, so it was stretched to fit; check that it belongs to this photo`,
        );
      }
    }
  }
  return warnings;
}

async function maskSize(file: string): Promise<{ width: number; height: number } | null> {
  try {
    const meta = await sharp(file, photoInputOptions('apply')).metadata();
    return meta.autoOrient;
  } catch {
    return null; // it was read for the restore; a vanished file now has nothing to warn about
  }
}
