import path from 'node:path';

import { stemOf } from '../imaging/files';

/**
 * Which mask belongs to which photo. One rule for the CLI
 * (src/main/cli/pairing.ts) and the batch queue, so a mask folder pairs the
 * same way wherever it is used; which files are photos is imaging/files.ts.
 */

/** `photo_mask.png` is the mask of `photo.jpg` kept beside it, not a photo to restore. */
export const isMaskBesidePhoto = (name: string): boolean => stemOf(name).endsWith('_mask');

/**
 * The mask for a photo among candidate mask files: `<stem>_mask.<ext>` first,
 * then `<stem>.<ext>`, never the photo itself. Null when none matches.
 */
export function findMaskByStem(stem: string, image: string, maskFiles: readonly string[]): string | null {
  const candidates = maskFiles.filter((m) => path.resolve(m) !== path.resolve(image));
  const byStem = (wanted: string) => candidates.find((m) => stemOf(m) === wanted);
  return byStem(`${stem}_mask`) ?? byStem(stem) ?? null;
}

/**
 * Mask files of a folder (walked like the photos: sub-folders when recursive),
 * grouped by their folder relative to the mask root ('' for the root itself).
 */
export class MaskFolder {
  private readonly byDir = new Map<string, string[]>();
  private readonly used = new Set<string>();

  constructor(
    readonly root: string,
    files: readonly { readonly path: string; readonly relDir: string }[],
  ) {
    for (const f of files) {
      const list = this.byDir.get(f.relDir) ?? [];
      list.push(f.path);
      this.byDir.set(f.relDir, list);
    }
  }

  /**
   * Pairs a photo found at `relDir` under the input folder: the mask folder's
   * matching sub-folder first (masks mirror the photos' tree), then its root.
   * Marks the mask used.
   */
  pair(image: string, relDir: string): string | null {
    const stem = stemOf(image);
    const dirs = relDir === '' ? [''] : [relDir, ''];
    for (const dir of dirs) {
      const found = findMaskByStem(stem, image, this.byDir.get(dir) ?? []);
      if (found) {
        this.used.add(found);
        return found;
      }
    }
    return null;
  }

  /** Mask files no photo paired with, leaving out files that are photos of the batch themselves. */
  unused(photos: ReadonlySet<string>): string[] {
    return [...this.byDir.values()].flat().filter((m) => !this.used.has(m) && !photos.has(m)).sort();
  }
}
