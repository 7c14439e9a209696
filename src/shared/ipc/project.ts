/**
 * The editor's saved state (`project:*` channels and the `.patina` sidecar
 * file): the mask layers as records plus one mask image per layer, and the
 * history head's image (the latest restore result, when there is one).
 * The same records are what the editor keeps in memory (src/renderer/src/editor).
 */
import { z } from 'zod';
import { documentIdSchema, versionSchema, type DisplayImage, type DocumentInfo } from './documents';
import { grantIdSchema } from './grants';
import { toneChoiceSchema } from './tone';
/** Masks are 1-bit PNGs of the whole photo; even a 100 MP noise pattern stays far below this. */
const MAX_MASK_PNG_BYTES = 256 * 1024 * 1024;

export const LAYER_ID_PATTERN = /^[A-Za-z0-9_-]{1,40}$/;
export const MAX_LAYERS = 64;

export const layerRecordSchema = z.strictObject({
  id: z.string().regex(LAYER_ID_PATTERN),
  name: z.string().trim().min(1).max(80),
  /** Overlay colour, #rrggbb. */
  color: z.string().regex(/^#[0-9a-fA-F]{6}$/),
  /** Hidden layers are not part of the mask sent for restoring. */
  visible: z.boolean(),
  /** Locked layers refuse edits. */
  locked: z.boolean(),
  /**
   * What made the layer, when not a person: 'detected' (Find damage; a new
   * run replaces it) or 'restored' (the record of every pixel restores have
   * filled, kept hidden so later restores fill only what is new).
   */
  role: z.enum(['detected', 'restored']).optional(),
});
export type LayerRecord = z.infer<typeof layerRecordSchema>;

export const projectStateSchema = z
  .strictObject({
    /** Bottom to top. */
    layers: z.array(layerRecordSchema).max(MAX_LAYERS),
    activeLayerId: z.string().regex(LAYER_ID_PATTERN).nullable(),
    /** Opacity of the mask overlay on screen, 0-1 (display only). */
    overlayOpacity: z.number().min(0).max(1),
    /** How many restore runs produced the head image (0: the photo as opened). */
    restoreRuns: z.number().int().min(0).max(100_000),
    /** The Tone & colour panel (absent in projects saved before it was kept: tone off, Auto's defaults). */
    tone: toneChoiceSchema.optional(),
  })
  .refine((s) => new Set(s.layers.map((l) => l.id)).size === s.layers.length, 'layer ids must be unique')
  .refine((s) => s.activeLayerId === null || s.layers.some((l) => l.id === s.activeLayerId), 'active layer must exist');
export type ProjectState = z.infer<typeof projectStateSchema>;

export const projectSaveArgsSchema = z.strictObject({
  id: documentIdSchema,
  /** Image version at the history head; its pixels are saved when it is a restore result. */
  version: versionSchema,
  /** Write handle of where to save (a Save dialog's answer, or the project's own from open or an earlier save); default `<photo folder>/<stem>.patina`. */
  grant: grantIdSchema.optional(),
  state: projectStateSchema,
  /**
   * One mask per layer, in `state.layers` order: PNG bytes at the photo's
   * size, white = masked (1-bit or 8-bit grey).
   */
  masks: z.array(z.instanceof(Uint8Array).refine((b) => b.byteLength > 0 && b.byteLength <= MAX_MASK_PNG_BYTES, 'mask PNG size')).max(MAX_LAYERS),
});
export type ProjectSaveArgs = z.input<typeof projectSaveArgsSchema>;

export interface ProjectSaveResult {
  readonly path: string;
  /** Write handle of the project file, for saving it again. */
  readonly grant: string;
  readonly savedAt: string;
}

/** Read handle of the `.patina` file (dialog, recent list, the sidecar a photo offers). */
export const projectOpenArgsSchema = z.strictObject({ grant: grantIdSchema });
export type ProjectOpenArgs = z.input<typeof projectOpenArgsSchema>;

export interface ProjectOpenResult {
  readonly document: DocumentInfo;
  /** The project file with a write handle, so saving writes back to it. */
  readonly project: { readonly path: string; readonly grant: string };
  readonly state: ProjectState;
  /**
   * Per layer, where its mask can be fetched: raw bytes, photo width x
   * height, row-major, 0 = not masked, 255 = masked (no image header).
   */
  readonly masks: readonly { readonly layerId: string; readonly url: string }[];
  /** The head image: version 0 (the photo) or the restore result saved with the project. */
  readonly head: { readonly version: number; readonly preview: DisplayImage };
  readonly savedAt: string;
  /** The photo's size or date differs from when the project was saved (masks still fit its pixels). */
  readonly photoChanged: boolean;
}

/** File name extension of project sidecars. */
export const PROJECT_EXTENSION = 'patina';
