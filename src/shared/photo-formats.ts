/**
 * The photo formats Patina reads and writes (sharp's names) and their file name extensions
 * (lower case, without the dot): the one list the open dialog's filter, the engine's folder
 * listings, format checks and the names of exports and batch outputs read. Free of zod, so the
 * CLI can use it before it loads the schema library.
 */
export const PHOTO_FORMATS = ['jpeg', 'png', 'webp', 'tiff'] as const;
export type PhotoFormatName = (typeof PHOTO_FORMATS)[number];

/** How the export dialog, the settings and the batch form name each format. */
export const PHOTO_FORMAT_LABELS: Readonly<Record<PhotoFormatName, string>> = { jpeg: 'JPEG', png: 'PNG', webp: 'WebP', tiff: 'TIFF' };

/** Each format's extensions; Patina writes the first. */
export const PHOTO_FORMAT_EXTENSIONS: Readonly<Record<PhotoFormatName, readonly [string, ...string[]]>> = {
  jpeg: ['jpg', 'jpeg'],
  png: ['png'],
  webp: ['webp'],
  tiff: ['tif', 'tiff'],
};

/** Every extension read as a photo (or a mask). */
export const PHOTO_EXTENSIONS: readonly string[] = PHOTO_FORMATS.flatMap((f) => PHOTO_FORMAT_EXTENSIONS[f]);

/** The extension Patina writes for a format ('jpg' for jpeg). */
export const writtenExtension = (format: PhotoFormatName): string => PHOTO_FORMAT_EXTENSIONS[format][0];

/** The format an extension (with or without its dot, any case) promises: 'JPEG' -> jpeg; undefined for others. */
export function formatOfExtension(ext: string): PhotoFormatName | undefined {
  const e = ext.replace(/^\./, '').toLowerCase();
  return PHOTO_FORMATS.find((f) => PHOTO_FORMAT_EXTENSIONS[f].includes(e));
}
