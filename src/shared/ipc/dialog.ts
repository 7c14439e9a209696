import { z } from 'zod';
import type { GrantedPath } from './grants';

/** Argument of `dialog:open-image`; omit it for a single-file dialog. */
export const openImageArgsSchema = z
  .strictObject({
    /** Allow choosing several files (batch). Default false. */
    multiple: z.boolean().optional(),
    /** Dialog title shown by the operating system. */
    title: z.string().min(1).max(200).optional(),
    /** Also offer saved editor projects (`.patina`). Default false. */
    projects: z.boolean().optional(),
  })
  .optional();

export type OpenImageArgs = z.input<typeof openImageArgsSchema>;

export interface OpenImageResult {
  /** The files the person chose, in their order, each with its read handle; empty when the dialog was cancelled. */
  readonly files: readonly GrantedPath[];
}

const dialogPath = z.string().min(1).max(4096);

/** A file type choice in a save dialog: extensions lower case, no dot. */
const fileFilterSchema = z.strictObject({
  name: z.string().min(1).max(80),
  extensions: z.array(z.string().regex(/^[a-z0-9]{1,10}$/)).min(1).max(10),
});

/** Argument of `dialog:save-file`: where to save something (export, project). */
export const saveFileArgsSchema = z.strictObject({
  title: z.string().min(1).max(200).optional(),
  /** Suggested absolute path (folder + name) or just a name. */
  defaultPath: dialogPath.optional(),
  filters: z.array(fileFilterSchema).max(10).optional(),
});
export type SaveFileArgs = z.input<typeof saveFileArgsSchema>;

export interface SaveFileResult {
  /** The chosen file with its write handle; null when cancelled. */
  readonly file: GrantedPath | null;
}

/** Argument of `dialog:choose-folder`. */
export const chooseFolderArgsSchema = z
  .strictObject({
    title: z.string().min(1).max(200).optional(),
    defaultPath: dialogPath.optional(),
  })
  .optional();
export type ChooseFolderArgs = z.input<typeof chooseFolderArgsSchema>;

export interface ChooseFolderResult {
  /** The chosen folder with its folder handle; null when cancelled. */
  readonly folder: GrantedPath | null;
}
