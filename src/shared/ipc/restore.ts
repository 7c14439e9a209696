/** Argument schemas and payload types for the `restore:*` channels. */
import { z } from 'zod';
import { autoMaskSchema } from './detection';
import { grantIdSchema, PATHS_REFUSED, photoRefSchema } from './grants';
import { toneOptionsSchema, type AppliedTone } from './tone';
import { grainModeSchema } from './grain';
import { textureModeSchema } from './texture';
import { QUALITY_MODES, type QualityMode } from './choices';

/** Job ids are chosen by the caller (so it can cancel before the first event) or by main. */
export const jobIdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'job id: 1-64 letters, digits, _ or -');

export { QUALITY_MODES, type QualityMode };
export const qualityModeSchema = z.enum(QUALITY_MODES);
/**
 * The engine's mode when a request names none, for one photo and for batches: 'best' fills
 * scratches 0.12 dB closer to the truth than 'fast' (brush 0.03, box 0.04; models/README.md)
 * and still meets the speed targets (a 12 MP scratch scan in about 5x a sharp decode and
 * encode, batches well over 30 scans a minute; npm run bench).
 */
export const DEFAULT_QUALITY_MODE: QualityMode = 'best';
export const QUALITY_MODE_LABELS: Readonly<Record<QualityMode, string>> = {
  best: 'Best (two passes)',
  fast: 'Fast (one pass)',
};
/** Mask images from the editor are PNG-encoded canvases; 256 MiB is far above any real one. */
const MAX_MASK_BYTES = 256 * 1024 * 1024;

export const restoreRunArgsSchema = z.strictObject({
  jobId: jobIdSchema.optional(),
  /** The photo: a read handle (src/shared/ipc/grants.ts), or an id the main process knows (e.g. an open document). */
  image: photoRefSchema,
  /** The mask (white = fill): PNG bytes (transferred, not base64), a file's read handle, or automatic detection. */
  mask: z.union([
    z.strictObject({ png: z.instanceof(Uint8Array).refine((b) => b.byteLength > 0 && b.byteLength <= MAX_MASK_BYTES, 'mask PNG size') }),
    z.strictObject({ grant: grantIdSchema }),
    autoMaskSchema,
    /** No damage fill: tone only (options.tone must be set). */
    z.strictObject({ none: z.literal(true) }),
  ], { error: `the mask is { png }, { grant }, { auto: true } or { none: true }; ${PATHS_REFUSED}` }),
  /** Where the result goes: a preview held by main (default), or the file of a write handle. */
  output: z
    .union([z.strictObject({ preview: z.literal(true) }), z.strictObject({ grant: grantIdSchema, overwrite: z.boolean().optional() })], {
      error: `the output is { preview: true } or { grant, overwrite }; ${PATHS_REFUSED}`,
    })
    .optional(),
  options: z
    .strictObject({
      invertMask: z.boolean().optional(),
      /** Grow the mask before filling, 0-3 px. */
      dilatePx: z.number().int().min(0).max(3).optional(),
      /** JPEG / lossy WebP quality (default 95). */
      quality: z.number().int().min(1).max(100).optional(),
      qualityMode: qualityModeSchema.optional(),
      /** Grain matching on the fill (default 'auto': on for photos with visible grain). */
      grain: grainModeSchema.optional(),
      /** Detail transfer into wide holes (default 'on'). */
      texture: textureModeSchema.optional(),
      /** Auto tone after the fill (absent: off); absent fields are Auto's. */
      tone: toneOptionsSchema.optional(),
    })
    .optional(),
}).refine((a) => !('none' in a.mask) || a.options?.tone !== undefined, { message: 'mask.none restores tone only: set options.tone', path: ['mask'] });

export type RestoreRunArgs = z.input<typeof restoreRunArgsSchema>;

export interface RestoreRunResult {
  readonly jobId: string;
  /** 'skipped' only for file output that already exists and may not be overwritten. */
  readonly status: 'restored' | 'skipped';
  /**
   * Preview output: where the restored image (PNG) can be loaded from, e.g.
   * `patina://result/<handle>` in Electron or an http route of the test
   * bridge. Pixels never travel inside this JSON. null for file output.
   */
  readonly url: string | null;
  readonly handle: string | null;
  /** File output: the path written. */
  readonly outputPath: string | null;
  readonly width: number | null;
  readonly height: number | null;
  readonly crops: number | null;
  readonly totalMs: number | null;
  /** The fill quality the engine ran (the request's, or its default); null when nothing was filled. */
  readonly qualityMode: QualityMode | null;
  /** The tone settings applied; null when tone was off. */
  readonly tone: AppliedTone | null;
}

export const restoreCancelArgsSchema = z.strictObject({ jobId: jobIdSchema });
export type RestoreCancelArgs = z.input<typeof restoreCancelArgsSchema>;

export interface RestoreCancelResult {
  /** false when no job with that id is running for this caller. */
  readonly cancelled: boolean;
}

export const RESTORE_STAGES = ['decode', 'detect', 'inpaint', 'encode'] as const;
export type RestoreStage = (typeof RESTORE_STAGES)[number];

/** `restore:progress` event, about 10 per second per job at most. */
export interface RestoreProgress {
  readonly jobId: string;
  readonly stage: RestoreStage;
  readonly done: number;
  readonly total: number;
  /** Estimated ms to the end of the stage; null when there is nothing to estimate from yet. */
  readonly etaMs: number | null;
}

/** Error codes `restore:run` can answer with (besides the transport's). */
export const RESTORE_ERROR_CODES = [
  'MODEL_MISSING',
  'MODEL_INVALID',
  'MODEL_HASH_MISMATCH',
  'PROVIDER_FAILED',
  'IMAGE_UNREADABLE',
  'IMAGE_UNSUPPORTED',
  'MASK_UNREADABLE',
  'MASK_EMPTY',
  'AUTO_MASK_UNAVAILABLE',
  'OUTPUT_EXISTS',
  'OUTPUT_IS_INPUT',
  'OUTPUT_FAILED',
  'CANCELLED',
  'NOT_FOUND',
  'NOT_GRANTED',
] as const;
