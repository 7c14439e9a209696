import path from 'node:path';
import { PHOTO_EXTENSIONS } from '@shared/photo-formats';

/*
 * Which files are photos, by name, and what a photo's name is without its
 * extension: one rule for the CLI, the batch queue, damage detection and the
 * editor's documents, so a folder lists the same photos wherever it is read.
 */

/** Extensions (lower case, with the dot) read as photos or masks: JPEG, PNG, WebP and TIFF. */
export const IMAGE_EXTENSIONS: readonly string[] = PHOTO_EXTENSIONS.map((e) => `.${e}`);

/** True for a name with one of IMAGE_EXTENSIONS, in any case. */
export const isImageFileName = (name: string): boolean => IMAGE_EXTENSIONS.includes(path.extname(name).toLowerCase());

/** A photo a folder listing offers: an image by its extension, and not a hidden dot-file (`._scan.jpg` from macOS). */
export const isListedPhoto = (name: string): boolean => isImageFileName(name) && !name.startsWith('.');

/**
 * A file's name without folder and extension: "/scans/scan 1962.tif" -> "scan 1962".
 * A dot-file keeps its whole name (".hidden" -> ".hidden", as path.extname sees no extension there).
 */
export const stemOf = (file: string): string => path.basename(file, path.extname(file));
