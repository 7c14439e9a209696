/**
 * Argument schemas and payload types for the `batch:*` channels: restoring
 * whole folders unattended. The queue itself lives in src/main/batch; these
 * are the shapes that cross the process boundary (and the CLI's --json lines).
 */
import { z } from 'zod';
import { autoMaskSchema } from './detection';
import { templateProblem } from './batch-template';
import { grantIdSchema, PATHS_REFUSED } from './grants';
import { qualityModeSchema, type RestoreStage } from './restore';
import { grainModeSchema } from './grain';
import { textureModeSchema } from './texture';
import { toneOptionsSchema } from './tone';

export const batchIdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'batch id: 1-64 letters, digits, _ or -');

export const OUTPUT_FORMATS = ['same', 'jpeg', 'png', 'webp', 'tiff'] as const;
export type OutputFormatName = (typeof OUTPUT_FORMATS)[number];

/** What to do when an output file already exists. */
export const COLLISION_POLICIES = ['skip', 'overwrite', 'rename'] as const;
export type CollisionPolicy = (typeof COLLISION_POLICIES)[number];

/** A file name template; see batch-template.ts. */
export const nameTemplateSchema = z.string().superRefine((t, ctx) => {
  const problem = templateProblem(t);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});

export const batchStartArgsSchema = z.strictObject({
  /**
   * A folder (optionally with its sub-folders, whose tree the output mirrors) or a list of photo files,
   * by handle (src/shared/ipc/grants.ts): a folder handle, or read handles.
   */
  input: z.union([
    z.strictObject({ folder: grantIdSchema, recursive: z.boolean().optional() }),
    z.strictObject({ files: z.array(grantIdSchema).min(1).max(100_000) }),
  ], { error: `the input is { folder, recursive } or { files }; ${PATHS_REFUSED}` }),
  /** Where each photo's mask comes from. */
  masks: z.union([
    /** Automatic damage detection, at an optional sensitivity and method. */
    autoMaskSchema,
    /** A folder of masks paired by file stem (photo.jpg <- photo_mask.png or photo.png): a folder handle. */
    z.strictObject({ folder: grantIdSchema }),
    /** One mask for every photo: a read handle. */
    z.strictObject({ file: grantIdSchema }),
    /** The masks saved from the editor beside each photo. */
    z.strictObject({ sidecar: z.literal(true) }),
    /** No damage fill: tone only (options.tone must be set). */
    z.strictObject({ none: z.literal(true) }),
  ]),
  output: z.strictObject({
    /** A folder handle. */
    folder: grantIdSchema,
    template: nameTemplateSchema.optional(),
    /** 'same' (default) keeps each photo's format. */
    format: z.enum(OUTPUT_FORMATS).optional(),
    /** JPEG / lossy WebP quality (default 95). */
    quality: z.number().int().min(1).max(100).optional(),
    /** Default 'skip', which also makes a re-run resume. */
    collision: z.enum(COLLISION_POLICIES).optional(),
  }),
  options: z
    .strictObject({
      invertMask: z.boolean().optional(),
      dilatePx: z.number().int().min(0).max(3).optional(),
      qualityMode: qualityModeSchema.optional(),
      /** Grain matching on the fill (default 'auto': on for photos with visible grain). */
      grain: grainModeSchema.optional(),
      /** Detail transfer into wide holes (default 'on'). */
      texture: textureModeSchema.optional(),
      /** Auto tone after the fill, each photo's settings chosen by Auto where absent (absent: tone off). */
      tone: toneOptionsSchema.optional(),
    })
    .optional(),
}).refine((a) => !('none' in a.masks) || a.options?.tone !== undefined, { message: 'masks.none restores tone only: set options.tone', path: ['masks'] });
export type BatchStartArgs = z.input<typeof batchStartArgsSchema>;

export const batchRefArgsSchema = z.strictObject({ batchId: batchIdSchema });
export type BatchRefArgs = z.input<typeof batchRefArgsSchema>;

export const batchThumbnailArgsSchema = z.strictObject({
  batchId: batchIdSchema,
  itemId: z.number().int().nonnegative(),
  /** The photo as found, or its restored output. */
  variant: z.enum(['source', 'output']),
});
export type BatchThumbnailArgs = z.input<typeof batchThumbnailArgsSchema>;

export const BATCH_ITEM_STATES = ['queued', 'running', 'done', 'skipped', 'failed'] as const;
export type BatchItemState = (typeof BATCH_ITEM_STATES)[number];

/**
 * running: working; pausing: no new items start, the ones in flight finish;
 * paused: idle until resumed; cancelling/cancelled: stopped, unfinished items
 * stay queued in the journal (starting the same batch again resumes them);
 * finished: every item is done, skipped or failed.
 */
export const BATCH_STATES = ['running', 'pausing', 'paused', 'cancelling', 'cancelled', 'finished'] as const;
export type BatchState = (typeof BATCH_STATES)[number];

export interface BatchItemError {
  /** An engine code (IMAGE_UNREADABLE, MASK_UNREADABLE, OUTPUT_EXISTS, ...). */
  readonly code: string;
  readonly message: string;
  /** The library's own words, when they add something (e.g. the decoder's error). */
  readonly detail?: string;
}

export interface BatchItemView {
  /** Position in the batch, 0-based; stable for the batch's life. */
  readonly id: number;
  /** Absolute path of the photo (or of the non-image file that was skipped). */
  readonly source: string;
  /** Path relative to the input folder, '/'-separated (the file name for a list of files). */
  readonly rel: string;
  /** Where the restored photo goes (or went); null when the item has none (non-image, clash). */
  readonly output: string | null;
  readonly state: BatchItemState;
  /** Why it was skipped. */
  readonly reason: string | null;
  /** Why it failed. */
  readonly error: BatchItemError | null;
  /** Time spent on this item, excluding paused time; null until it ends. */
  readonly ms: number | null;
  /** True when an earlier run of this batch restored it (resume). */
  readonly earlier: boolean;
}

export interface BatchCounts {
  readonly total: number;
  readonly queued: number;
  readonly running: number;
  readonly done: number;
  readonly skipped: number;
  readonly failed: number;
}

export interface BatchCurrentItem {
  readonly id: number;
  readonly rel: string;
  /** The engine stage of that item; null while it waits to start. */
  readonly stage: RestoreStage | null;
  readonly stageDone: number;
  readonly stageTotal: number;
}

/** `batch:progress` event (about 10 per second at most) and the heart of every answer. */
export interface BatchProgress {
  readonly batchId: string;
  readonly state: BatchState;
  readonly counts: BatchCounts;
  /** Items in flight (at most two: one in inference, one decoding or encoding). */
  readonly current: readonly BatchCurrentItem[];
  /** Estimated ms until the queue is empty, from recent items; null until one item finished. */
  readonly etaMs: number | null;
  /** Working time of the batch so far, all runs together, paused time excluded. */
  readonly elapsedMs: number;
  /** Weighted average time per restored item that the ETA uses; null before the first. */
  readonly perItemMs: number | null;
}

export interface BatchSnapshot extends BatchProgress {
  readonly outputFolder: string;
  /** The JSON report, written when a run ends (finished or cancelled). */
  readonly reportPath: string;
  /** True when this start picked up an unfinished journal in the output folder. */
  readonly resumed: boolean;
  readonly items: readonly BatchItemView[];
  /** Mask files no photo used (mask folder source). */
  readonly unusedMasks: readonly string[];
}

/** `batch:item` event: one item changed state. */
export interface BatchItemEvent {
  readonly batchId: string;
  readonly item: BatchItemView;
}

export interface BatchThumbnailResult {
  /** URL of a small image (longest side 160 px); null when the file cannot be read. */
  readonly url: string | null;
}

export interface BatchOpenOutputResult {
  readonly opened: boolean;
}

export interface BatchListResult {
  readonly batches: readonly BatchProgress[];
}
