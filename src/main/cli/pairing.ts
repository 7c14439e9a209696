import { readdir, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { findMaskByStem, isImageFileName, stemOf } from '../batch/mask-pairing';
import { UsageError } from './args';

export interface WorkItem {
  readonly image: string;
  /** The paired mask, or null with `problem` saying why none was found (auto-mask: null, no problem). */
  readonly mask: string | null;
  readonly output: string;
  readonly problem?: string;
}

export interface PairingInput {
  readonly image: string;
  readonly mask: string | null;
  readonly output: string;
  readonly autoMask: boolean;
}

/**
 * Works out which photo gets which mask and where its output goes.
 * - an image folder contributes its photos (not subfolders), minus files whose
 *   stem ends in `_mask` (those are masks kept beside their photos);
 * - a mask folder pairs by stem: `<stem>_mask.<ext>` first, then `<stem>.<ext>`
 *   (never the photo itself); a mask file applies to every photo;
 * - outputs are `<output>/<stem>.<ext>` with the input's extension.
 * Writing into a folder given as --image is refused (it would mix results with
 * originals); naming files explicitly allows it, and then existing files are
 * still protected unless --overwrite.
 */
export async function pairWork(input: PairingInput): Promise<WorkItem[]> {
  const imageKind = await kindOf(input.image, '--image');
  const images = imageKind === 'dir' ? await listImages(input.image) : [path.resolve(input.image)];
  if (images.length === 0) throw new UsageError(`No JPEG, PNG, WebP or TIFF files in ${input.image}`);

  const outputDir = path.resolve(input.output);
  if (imageKind === 'dir' && (await sameDir(input.image, outputDir))) {
    throw new UsageError(
      `Refusing to write into the input folder ${input.image}; choose another --output, or name the files with --image to write beside them`,
    );
  }

  let maskKind: 'file' | 'dir' | null = null;
  if (!input.autoMask && input.mask) maskKind = await kindOf(input.mask, '--mask');
  const maskFiles = maskKind === 'dir' ? await listImages(input.mask!, false) : [];

  const outputs = new Map<string, string>();
  return images.map((image) => {
    const stem = stemOf(image);
    const output = path.join(outputDir, `${stem}${path.extname(image)}`);
    const clash = outputs.get(output);
    outputs.set(output, image);
    if (clash) return { image, mask: null, output, problem: `Output ${output} would also be written for ${clash}` };
    if (input.autoMask) return { image, mask: null, output };
    if (maskKind === 'file') return { image, mask: path.resolve(input.mask!), output };
    const mask = findMaskByStem(stem, image, maskFiles);
    return mask
      ? { image, mask, output }
      : { image, mask: null, output, problem: `No mask for ${path.basename(image)} in ${input.mask} (looked for ${stem}_mask.* and ${stem}.*)` };
  });
}

async function listImages(dir: string, skipMasks = true): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  return entries
    .filter((e) => e.isFile() && isImageFileName(e.name) && !e.name.startsWith('.'))
    .filter((e) => !skipMasks || !stemOf(e.name).endsWith('_mask'))
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

async function sameDir(a: string, b: string): Promise<boolean> {
  const real = async (p: string) => realpath(p).catch(() => path.resolve(p));
  return (await real(a)) === (await real(b));
}
