import { z } from 'zod';

/** File name extensions (lower case, no dot) the open dialog offers; sharp decodes all of them. */
export const IMAGE_FILE_EXTENSIONS = ['jpg', 'jpeg', 'png', 'tif', 'tiff', 'webp'] as const;

/** Argument of `dialog:open-image`; omit it for a single-file dialog. */
export const openImageArgsSchema = z
  .strictObject({
    /** Allow choosing several files (batch). Default false. */
    multiple: z.boolean().optional(),
    /** Dialog title shown by the operating system. */
    title: z.string().min(1).max(200).optional(),
  })
  .optional();

export type OpenImageArgs = z.input<typeof openImageArgsSchema>;

export interface OpenImageResult {
  /** Absolute paths the person chose, in their order; empty when the dialog was cancelled. */
  readonly paths: readonly string[];
}
