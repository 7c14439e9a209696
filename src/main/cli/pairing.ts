import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { findMaskByStem } from '../batch/mask-pairing';
import { isListedPhoto, stemOf } from '../imaging/files';
import { UsageError } from './args';

export interface WorkItem {
  readonly image: string;
  /** The paired mask, or null with `problem` saying why none was found (auto-mask and tone only: null, no problem). */
  readonly mask: string | null;
  readonly output: string;
  readonly problem?: string;
}

export interface PairingInput {
  readonly image: string;
  readonly mask: string | null;
  readonly output: string;
  readonly autoMask: boolean;
  /** Tone on: with no mask and no autoMask the photo gets tone only. */
  readonly tone?: object;
}

/**
 * Works out which mask a single photo gets and where its output goes (a
 * folder of photos goes through the batch queue instead, see run-folder.ts).
 * - a mask folder pairs by stem: `<stem>_mask.<ext>` first, then `<stem>.<ext>`
 *   (never the photo itself); a mask file applies as it is;
 * - the output is `<output>/<stem>.<ext>` with the input's extension; writing
 *   beside the photo is allowed, and an existing file is still protected
 *   unless --overwrite.
 */
export async function pairPhoto(input: PairingInput): Promise<WorkItem> {
  if ((await kindOf(input.image, '--image')) !== 'file') {
    throw new UsageError(`--image ${input.image} is not a single photo`); // folders are routed to run-folder.ts first
  }
  const image = path.resolve(input.image);
  const stem = stemOf(image);
  const output = path.join(path.resolve(input.output), `${stem}${path.extname(image)}`);
  if (input.autoMask || (!input.mask && input.tone)) return { image, mask: null, output };
  if (!input.mask) return { image, mask: null, output, problem: `No mask for ${path.basename(image)}` };

  if ((await kindOf(input.mask, '--mask')) === 'file') return { image, mask: path.resolve(input.mask), output };
  const mask = findMaskByStem(stem, image, await listImages(input.mask));
  return mask
    ? { image, mask, output }
    : { image, mask: null, output, problem: `No mask for ${path.basename(image)} in ${input.mask} (looked for ${stem}_mask.* and ${stem}.*)` };
}

async function listImages(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  return entries
    .filter((e) => e.isFile() && isListedPhoto(e.name))
    .map((e) => path.resolve(dir, e.name))
    .sort();
}

async function kindOf(p: string, flag: string): Promise<'file' | 'dir'> {
  try {
    const s = await stat(p);
    if (s.isDirectory()) return 'dir';
    if (s.isFile()) return 'file';
  } catch {
    throw new UsageError(`${flag} ${p} does not exist`);
  }
  throw new UsageError(`${flag} ${p} is neither a file nor a folder`);
}
