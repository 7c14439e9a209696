import type { Dirent } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { resolveLinks } from '../jobs/write-guard';
import { isImageFileName } from '../imaging/files';
import { isMaskBesidePhoto } from './mask-pairing';

/** A file found under a batch's input. */
export interface FoundFile {
  readonly path: string;
  /** Path relative to the input folder, '/'-separated (the bare name for listed files). */
  readonly rel: string;
  /** Folder part of rel ('' at the top), '/'-separated. */
  readonly relDir: string;
}

export interface Discovery {
  /** Files with a photo extension, in a stable (sorted, depth-first) order. */
  readonly images: FoundFile[];
  /** Everything else (Thumbs.db, .DS_Store, notes): skipped and reported, never opened. */
  readonly others: FoundFile[];
}

export interface WalkOptions {
  readonly recursive: boolean;
  /** Folders never entered (the output or mask folder when they sit inside the input). */
  readonly exclude?: readonly string[];
  /**
   * Keep `<stem>_mask.<ext>` files in `images`. Walking photos, they are masks
   * kept beside their photos and belong to neither list; walking a mask
   * folder, they are what it is for.
   */
  readonly keepMaskFiles?: boolean;
}

/**
 * Walks a folder: its files, and with `recursive` its sub-folders too.
 * Symbolic links to folders are not followed (no cycles); links to files are.
 */
export async function discoverFolder(root: string, options: WalkOptions): Promise<Discovery> {
  const images: FoundFile[] = [];
  const others: FoundFile[] = [];
  // Compared with links resolved: an output folder reached through a link must not be walked as input.
  const skip = new Set(await Promise.all((options.exclude ?? []).map(resolveLinks)));

  async function walk(dir: string, relDir: string): Promise<void> {
    const entries = (await readdir(dir, { withFileTypes: true })).sort((a, b) => compareNames(a.name, b.name));
    const subdirs: Dirent[] = [];
    for (const entry of entries) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        subdirs.push(entry);
        continue;
      }
      if (!(await isFile(entry, full))) continue;
      const found = { path: full, rel: relDir ? `${relDir}/${entry.name}` : entry.name, relDir };
      if (!isImageFileName(entry.name)) others.push(found);
      else if (options.keepMaskFiles || !isMaskBesidePhoto(entry.name)) images.push(found);
    }
    if (!options.recursive) return;
    for (const sub of subdirs) {
      const full = path.join(dir, sub.name);
      if (skip.has(await resolveLinks(full))) continue;
      await walk(full, relDir ? `${relDir}/${sub.name}` : sub.name);
    }
  }

  await walk(path.resolve(root), '');
  return { images, others };
}

/** A list of files: photos by extension, the rest reported; duplicates counted once. */
export function discoverFiles(paths: readonly string[]): Discovery {
  const images: FoundFile[] = [];
  const others: FoundFile[] = [];
  const seen = new Set<string>();
  for (const p of paths) {
    const full = path.resolve(p);
    if (seen.has(full)) continue;
    seen.add(full);
    const found = { path: full, rel: path.basename(full), relDir: '' };
    (isImageFileName(full) ? images : others).push(found);
  }
  return { images, others };
}

async function isFile(entry: Dirent, full: string): Promise<boolean> {
  if (entry.isFile()) return true;
  if (!entry.isSymbolicLink()) return false;
  try {
    return (await stat(full)).isFile();
  } catch {
    return false; // dangling link
  }
}

/** Natural order, so scan_2 comes before scan_10 (how a person numbers scans). */
function compareNames(a: string, b: string): number {
  return a.localeCompare(b, 'en', { numeric: true, sensitivity: 'variant' });
}
