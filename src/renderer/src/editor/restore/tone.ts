import { TONE_COLOUR_LABELS, type AppliedTone, type ToneColourMode, type ToneOptions } from '@shared/ipc/tone';

/** The Tone & colour panel's choices; 'auto' leaves the colour mode to the engine (keep for sepia, else neutralise). */
export interface ToneChoice {
  readonly on: boolean;
  /** 0-100 %. */
  readonly strength: number;
  readonly colour: ToneColourMode | 'auto';
}

/** Auto's own strength: at this value the request leaves strength to Auto, so the result records no override. */
export const AUTO_STRENGTH = 100;

/**
 * What `restore:run` gets as `options.tone`: undefined when tone is off; `{}`
 * (Auto chooses everything) unless the person moved the strength or picked a
 * colour mode, which are then sent as overrides.
 */
export function toneRequest(choice: ToneChoice): ToneOptions | undefined {
  if (!choice.on) return undefined;
  const strength = Math.max(0, Math.min(100, Math.round(choice.strength)));
  return {
    ...(strength !== AUTO_STRENGTH ? { strength } : {}),
    ...(choice.colour !== 'auto' ? { colour: choice.colour } : {}),
  };
}

/** One line for the notice after a restore: what tone was applied. */
export function describeTone(tone: AppliedTone): string {
  const colour = TONE_COLOUR_LABELS[tone.colour].toLowerCase();
  const parts = [`strength ${tone.strength} %`, colour, `contrast ${tone.contrast} %`];
  if (tone.grain > 0) parts.push(`grain ${tone.grain} %`);
  if (tone.sharpen > 0) parts.push(`sharpen ${tone.sharpen} %`);
  return `tone applied (${parts.join(', ')})`;
}
