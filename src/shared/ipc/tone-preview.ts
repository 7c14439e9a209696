/**
 * `tone:preview`: Auto tone's colour and contrast correction for one image
 * version of an open document, as the affine maps the engine applies
 * (src/main/tone/auto.ts, toneAffine), so the editor can show the correction
 * live over its preview (a colour matrix filter) while sliders move, without
 * a round trip per move. Grain reduction and sharpening are not in the map:
 * the engine applies them at full resolution on Restore and Export.
 */
import { z } from 'zod';
import { documentIdSchema, versionSchema } from './documents';
import type { ToneColourMode, ToneLook } from './tone';

export const tonePreviewArgsSchema = z.strictObject({ id: documentIdSchema, version: versionSchema });
export type TonePreviewArgs = z.input<typeof tonePreviewArgsSchema>;

/** out_c = sum_j matrix[c][j] * in_j + offset[c], on 0..1 RGB samples, clipped to 0..1. */
export interface ToneMap {
  readonly matrix: readonly (readonly number[])[];
  readonly offset: readonly number[];
}

export interface TonePreviewResult {
  /** What Auto saw, and the colour mode it picks when the person leaves colour on Auto. */
  readonly look: ToneLook;
  readonly autoColour: ToneColourMode;
  /** The whole correction (strength 100 %, Auto's contrast) per colour mode; strength s is identity + s x (map - identity). */
  readonly maps: Readonly<Record<ToneColourMode, ToneMap>>;
  readonly estimator: 'learned' | 'classical';
}
