import { TONE_COLOUR_MODES, type ToneColourMode } from '@shared/ipc/choices';
import type { AppliedTone, ToneOptions } from '@shared/ipc/tone';

/** The tone flags of `patina run`, for parseArgs. */
export const TONE_FLAGS = {
  tone: { type: 'string' },
  'tone-strength': { type: 'string' },
  'tone-colour': { type: 'string' },
  'tone-contrast': { type: 'string' },
  'tone-grain': { type: 'string' },
  'tone-sharpen': { type: 'string' },
} as const;

export const TONE_USAGE = `  --tone <auto|off>    restore tone, fade and colour after the fill (default off);
                       with neither --mask nor --auto-mask, tone is all that is done
  --tone-strength <0-100>   how much of the correction to apply (default 100)
  --tone-colour <mode>      ${TONE_COLOUR_MODES.join(' | ')} (Auto: keep for sepia prints,
                            else neutralise; a B&W print neutralised stays grey)
  --tone-contrast <0-100>   contrast and black point recovery (Auto: 100)
  --tone-grain <0-100>      grain reduction (Auto: from the grain it measures)
  --tone-sharpen <0-100>    sharpening (Auto: 0)
  Settings left out are chosen by Auto from each photo.`;

type ToneValues = { readonly [K in keyof typeof TONE_FLAGS]?: string };

/**
 * --tone and its settings as tone options (undefined: tone off). The
 * settings need --tone auto, as --sensitivity needs --auto-mask.
 */
export function toneOptionsOf(values: ToneValues, usage: (message: string) => Error): ToneOptions | undefined {
  const mode = values.tone ?? 'off';
  if (mode !== 'auto' && mode !== 'off') throw usage(`--tone must be auto or off; got "${mode}"`);
  const given = (Object.keys(TONE_FLAGS) as (keyof ToneValues)[]).filter((k) => k !== 'tone' && values[k] !== undefined);
  if (mode === 'off') {
    if (given.length > 0) throw usage(`--${given.join(', --')} set up tone: use with --tone auto`);
    return undefined;
  }
  const percent = (flag: keyof ToneValues): number | undefined => {
    const text = values[flag];
    if (text === undefined) return undefined;
    const n = Number(text);
    if (text.trim() === '' || !Number.isInteger(n) || n < 0 || n > 100) throw usage(`--${flag} must be an integer from 0 to 100; got "${text}"`);
    return n;
  };
  const colour = values['tone-colour'];
  if (colour !== undefined && !(TONE_COLOUR_MODES as readonly string[]).includes(colour)) {
    throw usage(`--tone-colour must be one of ${TONE_COLOUR_MODES.join(', ')}; got "${colour}"`);
  }
  const options: ToneOptions = {
    strength: percent('tone-strength'),
    colour: colour as ToneColourMode | undefined,
    contrast: percent('tone-contrast'),
    grain: percent('tone-grain'),
    sharpen: percent('tone-sharpen'),
  };
  // Only what was given: absent keys are Auto's, and the report lists the given ones as overridden.
  return Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) as ToneOptions;
}

/** One line for the text output: what tone did to a photo ("(auto)" marks Auto's choices). */
export function describeTone(t: AppliedTone): string {
  const mark = (k: keyof ToneOptions) => (t.overridden.includes(k) ? '' : ' (auto)');
  return [
    `${t.look} print`,
    `colour ${t.colour}${mark('colour')}`,
    `contrast ${t.contrast} %${mark('contrast')}`,
    `grain ${t.grain} %${mark('grain')}`,
    `sharpen ${t.sharpen} %${mark('sharpen')}`,
    `strength ${t.strength} %${mark('strength')}`,
    ...(t.estimator === 'classical' ? ['classical fit (no tone model installed)'] : []),
  ].join(', ');
}
