import sharp from 'sharp';
import { photoInputOptions } from '../imaging/decode';
import { TONE_COLOUR_MODES, type ToneColourMode } from '@shared/ipc/tone';
import type { ToneMap, TonePreviewResult } from '@shared/ipc/tone-preview';
import { analyseTone } from './analyse';
import { resolveTone, toneAffine } from './auto';
import type { ToneEstimator } from './estimator';

/**
 * Long side of the copy the preview's analysis reads. Auto's statistics come
 * from a 512 px copy and the estimator from a 128 px one (analyse.ts), so a
 * 1024 px decode gives the same points as the full photo at a fraction of the
 * cost (the grain estimate differs, and grain is not part of the map).
 */
const ANALYSIS_SIDE = 1024;

/**
 * Auto tone's colour and contrast map for an image file, per colour mode, at
 * strength 100 % (the editor scales it by the strength slider itself): the
 * same analysis and the same map (toneAffine) Restore and Export apply.
 */
export async function tonePreview(file: string, estimator: ToneEstimator | null): Promise<TonePreviewResult> {
  const { data, info } = await sharp(file, photoInputOptions('apply'))
    .removeAlpha()
    .toColourspace('srgb')
    .resize(ANALYSIS_SIDE, ANALYSIS_SIDE, { fit: 'inside', withoutEnlargement: true })
    .raw()
    .toBuffer({ resolveWithObject: true });
  const analysis = await analyseTone({ width: info.width, height: info.height, channels: 3, data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength) }, estimator);
  const maps = {} as Record<ToneColourMode, ToneMap>;
  for (const colour of TONE_COLOUR_MODES) maps[colour] = toneAffine(resolveTone({ colour }, analysis), analysis);
  const auto = resolveTone({}, analysis);
  return { look: analysis.look, autoColour: auto.colour, maps, estimator: auto.estimator ?? 'classical' };
}
