// The choices come from @shared/ipc/choices, not the schema modules: this file is read before
// the CLI starts its worker, and loading zod first would hold that up (see main.ts).
import { DEFAULT_DETECT_MEDIUM, DETECT_MEDIA, GRAIN_MODES, QUALITY_MODES, TEXTURE_MODES, type GrainMode, type QualityMode, type TextureMode } from '@shared/ipc/choices';
import { parseArgs } from 'node:util';
import { DETECT_USAGE, parseMethod, parseSensitivity, type DetectCommand } from '../defects/detect-args';
import { DEVICE_SETTINGS, type DeviceSetting } from '../inference/providers';
import type { DetectSettings } from '../defects/detector';
import type { ToneOptions } from '@shared/ipc/tone';
import { TONE_FLAGS, TONE_USAGE, toneOptionsOf } from './tone-args';

/** `patina run ...`, validated. Paths are as given (resolved later against cwd). */
export interface RunCommand {
  readonly command: 'run';
  readonly image: string;
  readonly mask: string | null;
  readonly output: string;
  readonly autoMask: boolean;
  /** With --auto-mask: --sensitivity, --method and --medium, when given. */
  readonly detect?: DetectSettings;
  readonly device: DeviceSetting;
  readonly ifExists: 'fail' | 'overwrite' | 'skip';
  readonly invertMask: boolean;
  /** Folder input: walk sub-folders too, mirroring their tree in the output. */
  readonly recursive: boolean;
  readonly json: boolean;
  readonly quality?: number;
  readonly dilatePx?: number;
  readonly qualityMode?: QualityMode;
  /** --grain; absent keeps the engine's default ('auto'). */
  readonly grain?: GrainMode;
  /** --texture; absent keeps the engine's default ('on'). */
  readonly texture?: TextureMode;
  /** --tone auto and its settings; absent when tone is off. With neither mask nor autoMask, tone only. */
  readonly tone?: ToneOptions;
}

export type ParsedCommand = RunCommand | DetectCommand | { readonly command: 'help' } | { readonly command: 'version' };

/** A mistake in how the CLI was called: exit code 2, message plus usage. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export const USAGE = `Usage:
  patina run --image <file|dir> --mask <file|dir> --output <dir> [options]
  patina run --image <file|dir> --auto-mask --output <dir> [options]
  patina run --image <file|dir> --tone auto --output <dir> [options]

Restores old photos: fills the pixels a mask marks (white = fill) with the
Patina CSA inpainting model. Pixels outside the mask are kept as they are.

Masks pair with images by file stem: for photo.jpg the mask folder may hold
photo.<ext> or photo_mask.<ext>. A single mask file applies to every image.
Outputs are written to <output>/<stem>.<ext> in the input's format.

A folder runs as a batch: other files are skipped and reported, a bad photo
fails alone, and <output>/patina-report.json lists every result. Running the
same command again resumes an interrupted batch without redoing finished
photos (its journal is <output>/.patina-batch.json).

Options:
  --image <file|dir>   photo, or folder of photos (JPEG, PNG, WebP, TIFF)
  --mask <file|dir>    mask image, or folder of masks
  --output <dir>       folder for the restored photos (created if missing)
  --auto-mask          detect damage automatically instead of --mask
  --sensitivity <0-1>  with --auto-mask: how much counts as damage (default 0.5)
  --method <name>      with --auto-mask: learned | classical (see patina detect)
  --medium <m>         with --auto-mask: print (default) | film: film is also
                       searched for line scratches (see patina detect)
  --device <name>      ${DEVICE_SETTINGS.join(' | ')} (default auto)
  --overwrite          replace existing output files
  --skip-existing      leave existing output files and skip those photos
  --invert-mask        treat black as fill instead of white
  --recursive          with a folder: include sub-folders, mirrored in <output>
  --quality <1-100>    JPEG / lossy WebP quality (default 95)
  --dilate <0-3>       grow the mask by this many pixels (default 0)
  --quality-mode <m>   best (mirror ensemble, twice the network time; default)
                       | fast (one network pass)
  --grain <m>          auto (add grain matching the photo's to the fill, on
                       photos with visible grain; default) | on | off
  --texture <m>        on (copy the fine detail of matching patches around a
                       wide hole into its fill; default) | off (smooth fills)
${TONE_USAGE}
  --json               print JSON lines: progress events and a final summary
  -h, --help           show this help
  --version            print the version

Exit status: 0 all restored or skipped, 1 some failed, 2 usage error.

${DETECT_USAGE}`;

export function parseCommandLine(argv: readonly string[]): ParsedCommand {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        image: { type: 'string' },
        mask: { type: 'string' },
        output: { type: 'string' },
        'auto-mask': { type: 'boolean', default: false },
        device: { type: 'string', default: 'auto' },
        overwrite: { type: 'boolean', default: false },
        'skip-existing': { type: 'boolean', default: false },
        'invert-mask': { type: 'boolean', default: false },
        recursive: { type: 'boolean', default: false },
        quality: { type: 'string' },
        dilate: { type: 'string' },
        'quality-mode': { type: 'string' },
        grain: { type: 'string' },
        texture: { type: 'string' },
        sensitivity: { type: 'string' },
        method: { type: 'string' },
        medium: { type: 'string' },
        ...TONE_FLAGS,
        json: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
        version: { type: 'boolean', default: false },
      },
    });
  } catch (err) {
    throw new UsageError(err instanceof Error ? err.message : String(err));
  }
  const { values, positionals } = parsed;
  if (values.help) return { command: 'help' };
  if (values.version) return { command: 'version' };
  if (positionals.length === 0) throw new UsageError('Missing command; the commands are "run" and "detect"');
  if (positionals[0] !== 'run' && positionals[0] !== 'detect') {
    throw new UsageError(`Unknown command "${positionals[0]}"; the commands are "run" and "detect"`);
  }
  if (positionals.length > 1) throw new UsageError(`Unexpected argument "${positionals[1]}"`);
  if (positionals[0] === 'detect') return detectCommand(values);
  if (!values['auto-mask'] && (values.sensitivity !== undefined || values.method !== undefined || values.medium !== undefined)) {
    throw new UsageError('--sensitivity, --method and --medium set up damage detection: use them with --auto-mask (or "patina detect")');
  }

  if (!values.image) throw new UsageError('--image is required');
  if (!values.output) throw new UsageError('--output is required');
  if (values['auto-mask'] && values.mask) throw new UsageError('Give either --mask or --auto-mask, not both');
  const tone = toneOptionsOf(values, (m) => new UsageError(m));
  if (!values['auto-mask'] && !values.mask && !tone) throw new UsageError('--mask is required (or --auto-mask, or --tone auto for tone only)');
  if (values.overwrite && values['skip-existing']) throw new UsageError('--overwrite and --skip-existing exclude each other');
  const device = choiceOf('--device', DEVICE_SETTINGS, values.device);
  return {
    command: 'run',
    image: values.image,
    mask: values.mask ?? null,
    output: values.output,
    autoMask: values['auto-mask'],
    ...(values['auto-mask'] ? detectSettingsOf(values) : {}),
    device,
    ifExists: values.overwrite ? 'overwrite' : values['skip-existing'] ? 'skip' : 'fail',
    invertMask: values['invert-mask'],
    recursive: values.recursive,
    json: values.json,
    quality: values.quality === undefined ? undefined : intInRange('--quality', values.quality, 1, 100),
    dilatePx: values.dilate === undefined ? undefined : intInRange('--dilate', values.dilate, 0, 3),
    qualityMode: values['quality-mode'] === undefined ? undefined : choiceOf('--quality-mode', QUALITY_MODES, values['quality-mode']),
    ...(values.grain === undefined ? {} : { grain: choiceOf('--grain', GRAIN_MODES, values.grain) }),
    ...(values.texture === undefined ? {} : { texture: choiceOf('--texture', TEXTURE_MODES, values.texture) }),
    ...(tone ? { tone } : {}),
  };
}

/** --sensitivity / --method / --medium of `patina run --auto-mask`, checked as `patina detect` checks them. */
function detectSettingsOf(values: { sensitivity?: string; method?: string; medium?: string }): { detect?: DetectSettings } {
  if (values.sensitivity === undefined && values.method === undefined && values.medium === undefined) return {};
  const usage = (message: string) => new UsageError(message);
  return {
    detect: {
      ...(values.sensitivity === undefined ? {} : { sensitivity: parseSensitivity(values.sensitivity, usage) }),
      ...(values.method === undefined ? {} : { method: parseMethod(values.method, usage) }),
      ...(values.medium === undefined ? {} : { medium: choiceOf('--medium', DETECT_MEDIA, values.medium) }),
    },
  };
}

/** `patina detect`: only its own flags; run's (masks, device, quality, ...) would be silently ignored. */
function detectCommand(values: Record<string, string | boolean | undefined>): DetectCommand {
  const foreign = ['mask', 'auto-mask', 'skip-existing', 'invert-mask', 'recursive', 'quality', 'dilate', 'quality-mode', 'grain', 'texture', ...Object.keys(TONE_FLAGS)].filter(
    (k) => values[k] !== undefined && values[k] !== false,
  );
  if (values['device'] !== 'auto') foreign.push('device');
  if (foreign.length > 0) throw new UsageError(`"patina detect" does not take --${foreign.join(', --')}`);
  if (typeof values['image'] !== 'string') throw new UsageError('--image is required');
  if (typeof values['output'] !== 'string') throw new UsageError('--output is required');
  return {
    command: 'detect',
    image: values['image'],
    output: values['output'],
    sensitivity: parseSensitivity(values['sensitivity'] as string | undefined, (m) => new UsageError(m)),
    method: parseMethod(values['method'] as string | undefined, (m) => new UsageError(m)),
    medium: typeof values['medium'] === 'string' ? choiceOf('--medium', DETECT_MEDIA, values['medium']) : DEFAULT_DETECT_MEDIUM,
    overwrite: values['overwrite'] === true,
    json: values['json'] === true,
  };
}

function intInRange(flag: string, text: string, min: number, max: number): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < min || n > max) throw new UsageError(`${flag} must be an integer from ${min} to ${max}; got "${text}"`);
  return n;
}

/** A flag's text -> one of its choices, or a usage error naming them. */
function choiceOf<T extends string>(flag: string, choices: readonly T[], text: string): T {
  if (!(choices as readonly string[]).includes(text)) throw new UsageError(`${flag} must be one of ${choices.join(', ')}; got "${text}"`);
  return text as T;
}
