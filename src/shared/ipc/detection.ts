/** Settings of automatic damage detection, shared by `defects:detect` and the automatic masks of restores and batches. */
import { z } from 'zod';
import {
  DEFAULT_DETECT_MEDIUM,
  DEFAULT_DETECT_METHOD,
  DEFAULT_DETECT_SENSITIVITY,
  DETECT_MEDIA,
  DETECT_METHODS,
  type DetectMedium,
  type DetectMethodName,
} from './choices';

export { DEFAULT_DETECT_MEDIUM, DEFAULT_DETECT_METHOD, DEFAULT_DETECT_SENSITIVITY, DETECT_MEDIA, DETECT_METHODS, type DetectMedium, type DetectMethodName };

/** How the editor and the batch form name each detector. */
export const DETECT_METHOD_LABELS: Readonly<Record<DetectMethodName, string>> = {
  learned: 'Trained network',
  classical: 'Classical filters',
};

/** How the editor and the batch form name what the photo is. */
export const DETECT_MEDIUM_LABELS: Readonly<Record<DetectMedium, string>> = {
  print: 'Paper print',
  film: 'Movie film (line scratches)',
};

/** 0..1, default DEFAULT_DETECT_SENSITIVITY; higher flags more. */
export const sensitivitySchema = z.number().min(0).max(1);
/** 'learned': the small trained network (models/defects/); 'classical': morphological filters. */
export const detectMethodSchema = z.enum(DETECT_METHODS);
/** 'print' (default) or 'film': film is also searched for line scratches. */
export const detectMediumSchema = z.enum(DETECT_MEDIA);

/** A mask found by detection instead of drawn or loaded: `{ auto: true }` with optional settings. */
export const autoMaskSchema = z.strictObject({
  auto: z.literal(true),
  sensitivity: sensitivitySchema.optional(),
  method: detectMethodSchema.optional(),
  medium: detectMediumSchema.optional(),
});
export type AutoMaskArgs = z.input<typeof autoMaskSchema>;

/**
 * The preview score map `defects:detect` returns with a learned detection:
 * per working-resolution pixel, a byte that says from which sensitivity on
 * the network flags it. A pixel is flagged at sensitivity s when its score is
 * above scoreLevel(s). Main writes the scores (src/main/defects/scores.ts),
 * the editor thresholds them while the slider moves; the exact mask at
 * the final sensitivity still comes from main.
 */
export function scoreLevel(sensitivity: number): number {
  return Math.round(255 * (1 - Math.min(1, Math.max(0, sensitivity))));
}
