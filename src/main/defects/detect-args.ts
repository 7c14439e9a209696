/**
 * What `patina detect` and `patina run --auto-mask` take on the command line:
 * the command's shape, its usage text and the checks of --method and
 * --sensitivity. Kept apart from detect-command.ts, which runs the detector,
 * so the CLI can read its arguments without loading the detector, sharp or
 * onnxruntime first.
 */
import { DEFAULT_DETECT_MEDIUM, DEFAULT_DETECT_METHOD, DETECT_MEDIA, DETECT_METHODS, type DetectMedium, type DetectMethodName } from '@shared/ipc/choices';
import { DEFAULT_SENSITIVITY } from './params';

export interface DetectCommand {
  readonly command: 'detect';
  readonly image: string;
  readonly output: string;
  readonly sensitivity: number;
  readonly method: DetectMethodName;
  readonly medium: DetectMedium;
  readonly overwrite: boolean;
  readonly json: boolean;
}

export const DETECT_USAGE = `  patina detect --image <file|dir> --output <dir> [--sensitivity S]

Finds scratches, cracks, dust and torn corners and writes one mask per photo,
<output>/<stem>.png (white = damage), ready for patina run --mask or the editor.
  --sensitivity <0-1>  higher flags more (default ${DEFAULT_SENSITIVITY})
  --method <name>      ${DETECT_METHODS.join(' | ')} (default ${DEFAULT_DETECT_METHOD}): the trained
                       network (models/defects/), or morphological filters
  --medium <m>         ${DETECT_MEDIA.join(' | ')} (default ${DEFAULT_DETECT_MEDIUM}): what the photos are;
                       film is also searched for film's line scratches (long,
                       faint, exactly vertical lines), which on a print would
                       take poles and stripes for damage
  --overwrite          replace existing mask files
  --json               print JSON lines: one item per photo and a summary`;

/** `--method` text -> a detector name, or a usage error. */
export function parseMethod(text: string | undefined, usage: (message: string) => Error): DetectMethodName {
  if (text === undefined) return DEFAULT_DETECT_METHOD;
  if (!(DETECT_METHODS as readonly string[]).includes(text)) throw usage(`--method must be one of ${DETECT_METHODS.join(', ')}; got "${text}"`);
  return text as DetectMethodName;
}

/** `--sensitivity` text -> 0..1, or a usage error. */
export function parseSensitivity(text: string | undefined, usage: (message: string) => Error): number {
  if (text === undefined) return DEFAULT_SENSITIVITY;
  const n = Number(text);
  if (text.trim() === '' || !Number.isFinite(n) || n < 0 || n > 1) throw usage(`--sensitivity must be a number from 0 to 1; got "${text}"`);
  return n;
}
