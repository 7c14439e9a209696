/** Argument schemas and payload types for the `defects:*` channels (automatic damage detection). */
import { z } from 'zod';
import { detectMediumSchema, detectMethodSchema, sensitivitySchema } from './detection';
import { photoRefSchema } from './grants';
import { jobIdSchema } from './restore';

import type { DetectMethodName } from './detection';

export { DEFAULT_DETECT_SENSITIVITY, DETECT_METHODS, type DetectMethodName } from './detection';

/** The photo: a read handle (src/shared/ipc/grants.ts), or the id of an open document. */
export const defectsDetectArgsSchema = z.strictObject({
  jobId: jobIdSchema.optional(),
  image: photoRefSchema,
  /** 0..1, default DEFAULT_DETECT_SENSITIVITY; higher flags more. */
  sensitivity: sensitivitySchema.optional(),
  /** 'learned' (default): the trained segmentation network (models/defects/); 'classical': morphological filters. */
  method: detectMethodSchema.optional(),
  /** What the photo is: 'print' (default) or 'film', also searched for film's line scratches. */
  medium: detectMediumSchema.optional(),
});
export type DefectsDetectArgs = z.input<typeof defectsDetectArgsSchema>;

export interface DefectsDetectResult {
  readonly jobId: string;
  /**
   * Where the mask can be loaded from (`patina://result/<handle>` in
   * Electron, an http route in the test bridge): an 8-bit grey PNG of the
   * photo's size (EXIF orientation applied), white = damage. Pixels never
   * travel inside this JSON.
   */
  readonly url: string;
  readonly handle: string;
  readonly width: number;
  readonly height: number;
  /** Pixels flagged as damage. */
  readonly flaggedPixels: number;
  /** What was found: thin strokes (scratches, cracks, hairs), specks (dust), torn corners. */
  readonly strokes: number;
  readonly specks: number;
  readonly corners: number;
  readonly sensitivity: number;
  /** The detector that ran: the classical one stands in when the learned model cannot load. */
  readonly method: DetectMethodName;
  /** Why `method` differs from the one asked for, when it does. */
  readonly note: string | null;
  readonly ms: number;
  /**
   * The learned detector's preview scores (see scoreLevel in ./detection.ts):
   * an 8-bit grey PNG of width x height, the photo box-reduced by `factor`
   * (pixel (x, y) of the photo reads score (floor(x / factor), floor(y /
   * factor))). null for the classical detector, which has no scores.
   */
  readonly scores: { readonly url: string; readonly handle: string; readonly width: number; readonly height: number; readonly factor: number } | null;
}

/**
 * `defects:rethreshold`: the mask of the last detection of this photo at
 * another sensitivity, from what main kept of that detection (no network
 * run). When main no longer holds it, the photo is detected again.
 */
export const defectsRethresholdArgsSchema = z.strictObject({
  jobId: jobIdSchema.optional(),
  image: photoRefSchema,
  sensitivity: sensitivitySchema,
  method: detectMethodSchema.optional(),
  medium: detectMediumSchema.optional(),
});
export type DefectsRethresholdArgs = z.input<typeof defectsRethresholdArgsSchema>;

export interface DefectsRethresholdResult extends DefectsDetectResult {
  /** true: re-thresholded from the kept detection; false: detected again (main had let it go). */
  readonly reused: boolean;
}

/** `defects:faces`: the faces in a photo, so the editor can warn about marks on them. */
export const defectsFacesArgsSchema = z.strictObject({ image: photoRefSchema });
export type DefectsFacesArgs = z.input<typeof defectsFacesArgsSchema>;

/** A face in photo pixels (EXIF orientation applied), top-left origin; score 0..1. */
export interface FaceBox {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
  readonly score: number;
}

export interface DefectsFacesResult {
  readonly width: number;
  readonly height: number;
  /** Best first; empty when none was found or no face model is installed (see note). */
  readonly faces: readonly FaceBox[];
  /** Why no face could be looked for, when that is so. */
  readonly note: string | null;
  readonly ms: number;
}

export const defectsCancelArgsSchema = z.strictObject({ jobId: jobIdSchema });
export type DefectsCancelArgs = z.input<typeof defectsCancelArgsSchema>;

export interface DefectsCancelResult {
  /** false when no detection with that id is running for this caller. */
  readonly cancelled: boolean;
}

/** `defects:progress` event, about 10 per second per job at most. */
export interface DefectsProgress {
  readonly jobId: string;
  readonly stage: 'detect';
  readonly done: number;
  readonly total: number;
  /** Estimated ms to the end; null when there is nothing to estimate from yet. */
  readonly etaMs: number | null;
}

/** Error codes `defects:detect` can answer with (besides the transport's). */
export const DEFECTS_ERROR_CODES = ['IMAGE_UNREADABLE', 'IMAGE_UNSUPPORTED', 'CANCELLED', 'NOT_FOUND', 'NOT_GRANTED'] as const;
