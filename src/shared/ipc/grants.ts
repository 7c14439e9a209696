/**
 * File access by grant: the renderer never names a file or folder by path.
 * Main hands out an opaque handle (a random id) for each file or folder the
 * person chose in an Open, Save or folder dialog, dropped on the window, or
 * that main itself found for them (recent files, a project beside its photo,
 * the planned export file); requests name files by these handles, and main
 * refuses any handle it never issued or one used for something it does not
 * allow (a photo chosen to open is no place to write). The path rides along
 * for display only. Main keeps the table (src/main/access/grants.ts).
 */
import { z } from 'zod';

/** Said when a request names a file by path (or in no known way): the person's words for the validation error. */
export const PATHS_REFUSED = 'paths are not accepted: Patina names files by the handles its Open, Save and folder dialogs return';

/** An opaque handle main issued; random, so one cannot be guessed from a path. */
export const grantIdSchema = z.string().regex(/^[A-Za-z0-9_-]{16,64}$/, 'a file handle from a Patina dialog (paths are not accepted)');

/**
 * What a handle lets the renderer do:
 *  - read: open or read the file (a photo, a mask, a project);
 *  - write: write that one file (a "save as" answer, the planned export file);
 *  - folder: read and write files inside the folder (a batch's input, masks or output, an export folder).
 * The write rule (src/main/jobs/write-guard.ts) still applies on top: no grant lets a write replace an input photo.
 */
export const GRANT_KINDS = ['read', 'write', 'folder'] as const;
export type GrantKind = (typeof GRANT_KINDS)[number];

/**
 * The photo a request works on: a read handle, or an id main handed out for
 * an image it holds (an open document's version, a batch item).
 */
export const photoRefSchema = z.union([z.strictObject({ grant: grantIdSchema }), z.strictObject({ id: z.string().min(1).max(128) })], {
  error: `the photo is { grant } or { id }; ${PATHS_REFUSED}`,
});
export type PhotoRef = z.infer<typeof photoRefSchema>;

/** A granted file or folder as the renderer sees it. */
export interface GrantedPath {
  /** The handle to pass back in requests. */
  readonly grant: string;
  /** Absolute path, to show the person; never accepted back. */
  readonly path: string;
}

/** The error code of a request naming a handle main never issued (or for another use). */
export const ACCESS_ERROR_CODES = ['NOT_GRANTED'] as const;
