/**
 * Argument schemas and payload types for the `document:*` and `recent:*`
 * channels: an open photo held by main, its image versions (0 = the file on
 * disk, 1.. = restore results), display images by URL, export, recent files.
 *
 * Pixels never travel in these JSON payloads: display images and raw masks are
 * fetched from `url`s (patina://result/<handle> in Electron, an http route of
 * the test bridge), and bytes the renderer sends (an imported file) are
 * Uint8Arrays (structured clone in Electron, binary frames on the bridge).
 */
import { z } from 'zod';
import { PHOTO_FORMATS, type PhotoFormatName } from '../photo-formats';
import { grantIdSchema, PATHS_REFUSED, type GrantedPath } from './grants';
import { batchIdSchema } from './batch';
import { toneOptionsSchema } from './tone';

/** Ids main hands out for open documents. */
export const documentIdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'document id');
/** 0 = the photo as opened; n > 0 = the n-th committed restore result. */
export const versionSchema = z.number().int().min(0).max(100_000);
/** A file dropped from somewhere that has no path on disk (a browser, the test bridge): at most 1 GiB. */
const MAX_IMPORT_BYTES = 1024 * 1024 * 1024;

/** Formats Patina opens and exports (sharp names): the shared list, ../photo-formats.ts. */
export const EXPORT_FORMATS = PHOTO_FORMATS;
export type ExportFormat = PhotoFormatName;

/** A display image: a downscaled preview or the full-resolution view, loaded from `url`. */
export interface DisplayImage {
  readonly url: string;
  /** Pixel size of the image at `url` (the preview is smaller than the photo). */
  readonly width: number;
  readonly height: number;
}

export interface DocumentInfo {
  readonly id: string;
  /** Absolute path of the photo; for an imported file, main's private copy. */
  readonly path: string;
  /** File name shown to the person (the dropped file's own name for imports). */
  readonly name: string;
  /** Folder exports go to by default; null for imports (no folder of their own). */
  readonly folder: string | null;
  readonly format: ExportFormat;
  /** Photo size in pixels after EXIF orientation: the coordinate space of every mask. */
  readonly width: number;
  readonly height: number;
  readonly hasAlpha: boolean;
  readonly fileBytes: number;
  /** Downscaled display image of version 0 (longest side at most PREVIEW_MAX_SIDE). */
  readonly preview: DisplayImage;
  /** A saved project beside the photo (`<stem>.patina`), offered for resuming (`grant` opens it); null when none. */
  readonly sidecar: { readonly path: string; readonly grant: string; readonly savedAt: string } | null;
}

/** Longest side of the preview main makes when a photo opens. */
export const PREVIEW_MAX_SIDE = 2048;

/** The photo: a read handle (dialog, drop, recent list), or a photo of a batch (main knows where it is). */
export const documentOpenArgsSchema = z.union(
  [z.strictObject({ grant: grantIdSchema }), z.strictObject({ batchId: batchIdSchema, itemId: z.number().int().nonnegative() })],
  { error: `the photo is { grant } or { batchId, itemId }; ${PATHS_REFUSED}` },
);
export type DocumentOpenArgs = z.input<typeof documentOpenArgsSchema>;

export const documentImportArgsSchema = z.strictObject({
  /** The file's own name, for display and the export name; never used as a path. */
  name: z.string().min(1).max(255),
  bytes: z.instanceof(Uint8Array).refine((b) => b.byteLength > 0 && b.byteLength <= MAX_IMPORT_BYTES, 'file size'),
});
export type DocumentImportArgs = z.input<typeof documentImportArgsSchema>;

export const documentRefArgsSchema = z.strictObject({ id: documentIdSchema });
export type DocumentRefArgs = z.input<typeof documentRefArgsSchema>;

export const documentViewArgsSchema = z.strictObject({
  id: documentIdSchema,
  version: versionSchema,
  /** 'preview': downscaled; 'full': every pixel (made on first request; large). */
  level: z.enum(['preview', 'full']),
});
export type DocumentViewArgs = z.input<typeof documentViewArgsSchema>;

export const documentCommitArgsSchema = z.strictObject({
  id: documentIdSchema,
  /** Handle of a restore:run preview result (RestoreRunResult.handle) of this document. */
  handle: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/),
});
export type DocumentCommitArgs = z.input<typeof documentCommitArgsSchema>;

export interface DocumentCommitResult {
  readonly version: number;
  readonly preview: DisplayImage;
}

/**
 * The image id `restore:run` accepts for a document version
 * (`image: { id: imageIdOf(doc, version) }`), so re-running works on the
 * latest result without the renderer knowing where main keeps it.
 */
export function imageIdOf(documentId: string, version: number): string {
  return `${documentId}@${version}`;
}

export const documentExportPlanArgsSchema = z.strictObject({
  id: documentIdSchema,
  format: z.enum(EXPORT_FORMATS),
  /** Folder handle (from the folder chooser) to export into; default: the photo's own folder. */
  folder: grantIdSchema.optional(),
});
export type DocumentExportPlanArgs = z.input<typeof documentExportPlanArgsSchema>;

export interface DocumentExportPlan {
  /** `<folder>/<stem>_restored.<ext>`. */
  readonly path: string;
  /** Write handle for exactly that file, for `document:export`. */
  readonly grant: string;
  readonly exists: boolean;
  /** True when `path` is the opened photo itself. */
  readonly isOriginal: boolean;
}

export const documentExportArgsSchema = z.strictObject({
  id: documentIdSchema,
  version: versionSchema,
  /** Write handle of the file: a planned export (`document:export-plan`) or a Save dialog's answer. */
  grant: grantIdSchema,
  format: z.enum(EXPORT_FORMATS),
  /** JPEG / WebP quality 1-100 (default 92); PNG and TIFF are lossless. */
  quality: z.number().int().min(1).max(100).optional(),
  /** Replace an existing file other than the original (the person confirmed). */
  overwrite: z.boolean().optional(),
  /** Replace the opened photo itself (the person confirmed that, explicitly). */
  replaceOriginal: z.boolean().optional(),
  /** Auto tone still to apply (on in the editor, not yet applied by a Restore): the export is that version toned. */
  tone: toneOptionsSchema.optional(),
});
export type DocumentExportArgs = z.input<typeof documentExportArgsSchema>;

export interface DocumentExportResult {
  readonly path: string;
  readonly format: ExportFormat;
  readonly bytes: number;
  readonly width: number;
  readonly height: number;
}

/** Error codes of the document channels (besides the transport's and the engine's IMAGE_*). */
export const DOCUMENT_ERROR_CODES = ['NOT_FOUND', 'OUTPUT_EXISTS', 'OUTPUT_IS_ORIGINAL', 'OUTPUT_FAILED', 'PROJECT_INVALID'] as const;

export interface RecentFile extends GrantedPath {
  readonly name: string;
  readonly kind: 'photo' | 'project';
  /** ISO time it was last opened. */
  readonly openedAt: string;
  /** False when the file has gone since (moved, deleted, drive unplugged). */
  readonly exists: boolean;
}

export interface RecentList {
  readonly files: readonly RecentFile[];
}

/** How many recent files main remembers. */
export const RECENT_LIMIT = 12;
