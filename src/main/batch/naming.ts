import path from 'node:path';
import { writtenExtension } from '@shared/photo-formats';
import type { OutputFormat } from '../imaging/encode';
import { exists } from '../jobs/atomic-write';
import { stemOf } from '../imaging/files';

/**
 * The output's extension, without the dot: the format's own ('jpg', 'png',
 * 'webp', 'tif'), or for 'same' the input's extension as written (so
 * scan.JPEG stays scan.JPEG, as the CLI always did).
 */
export function outputExtension(source: string, format: OutputFormat): string {
  if (format !== 'same') return writtenExtension(format);
  return path.extname(source).slice(1);
}

/**
 * Expands a naming template (validated by src/shared/ipc/batch.ts:
 * placeholders {stem}, {ext}, {index}; ends in .{ext}). index is 1-based.
 */
export function expandTemplate(template: string, values: { readonly stem: string; readonly ext: string; readonly index: number }): string {
  return template.replace(/\{(stem|ext|index)\}/g, (_, key: 'stem' | 'ext' | 'index') => String(values[key]));
}

/**
 * Where one photo's result goes: the output folder, plus the photo's own
 * sub-folder when the input was walked recursively (relDir), plus the
 * template's name.
 */
export function plannedOutput(
  output: { readonly dir: string; readonly template: string; readonly format: OutputFormat },
  source: string,
  relDir: string,
  index: number,
): string {
  const name = expandTemplate(output.template, { stem: stemOf(source), ext: outputExtension(source, output.format), index: index + 1 });
  return path.join(output.dir, ...relDir.split('/').filter(Boolean), name);
}

/**
 * The 'rename' collision policy: `photo.jpg`, else `photo (1).jpg`,
 * `photo (2).jpg`, ... the first name that exists neither on disk nor in
 * `taken` (outputs other items of the batch will write).
 */
export async function freeOutputName(wanted: string, taken: ReadonlySet<string>): Promise<string> {
  const ext = path.extname(wanted);
  const base = wanted.slice(0, wanted.length - ext.length);
  for (let n = 0; n < 10_000; n++) {
    const candidate = n === 0 ? wanted : `${base} (${n})${ext}`;
    if (!taken.has(candidate) && !(await exists(candidate))) return candidate;
  }
  throw new Error(`No free name near ${wanted}`);
}
