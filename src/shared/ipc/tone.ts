/**
 * Auto tone: what time did to the whole print (faded contrast, lifted blacks,
 * a colour cast, grain). Shared by `restore:run`, `batch:start`, the CLI and
 * the batch report. Tone runs after the damage fill, on the filled photo.
 */
import { z } from 'zod';
import { TONE_COLOUR_MODES, type ToneColourMode } from './choices';

export { TONE_COLOUR_MODES, type ToneColourMode };

export const TONE_COLOUR_LABELS: Readonly<Record<ToneColourMode, string>> = {
  neutralise: 'Neutralise the cast',
  keep: 'Keep the sepia or monochrome look',
  leave: 'Leave colour alone',
};

const percent = z.number().int().min(0).max(100);

/**
 * Tone settings a person (or a script) asks for. The object being present
 * turns tone on; every absent field is chosen by Auto from the photo.
 * All amounts are percentages, 0-100.
 */
export const toneOptionsSchema = z.strictObject({
  /** How much of the whole correction to apply (default 100). */
  strength: percent.optional(),
  colour: z.enum(TONE_COLOUR_MODES).optional(),
  /** Contrast and black point recovery: how far the faded range is stretched back. */
  contrast: percent.optional(),
  /** Grain reduction (a 3x3 median, blended in by this share). */
  grain: percent.optional(),
  /** Sharpening (unsharp mask on lightness). */
  sharpen: percent.optional(),
});
export type ToneOptions = z.input<typeof toneOptionsSchema>;

/** What the photo looked like to Auto. */
export const TONE_LOOKS = ['colour', 'monochrome', 'sepia'] as const;
export type ToneLook = (typeof TONE_LOOKS)[number];

/** The settings actually applied to one photo: recorded in the batch report and the CLI's JSON. */
export interface AppliedTone {
  readonly strength: number;
  readonly colour: ToneColourMode;
  readonly contrast: number;
  readonly grain: number;
  readonly sharpen: number;
  /** What Auto saw, which decided the colour mode when none was given. */
  readonly look: ToneLook;
  /** The settings a person gave; the others were Auto's. */
  readonly overridden: readonly (keyof ToneOptions)[];
  /** Robust black and white points found, per colour channel, 0..1 of the full scale. */
  readonly black: readonly number[];
  readonly white: readonly number[];
  /** Who chose the black and white points: the learned estimator (models/tone), or the classical fit when that model is not installed. */
  readonly estimator?: 'learned' | 'classical';
}

/**
 * The editor's Tone & colour panel as a project file keeps it (`ProjectState.tone`):
 * whether Auto tone is on for the photo (previewed live, applied by Restore and
 * by Export), its strength, and the colour mode ('auto': Auto's choice).
 */
export const toneChoiceSchema = z.strictObject({
  on: z.boolean(),
  strength: percent,
  colour: z.enum([...TONE_COLOUR_MODES, 'auto']),
});
export type ToneChoice = z.infer<typeof toneChoiceSchema>;
