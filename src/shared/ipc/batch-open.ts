/** `batch:open-item`: a restored batch item, opened in the editor as its result. */
import { z } from 'zod';
import { batchIdSchema } from './batch';
import type { DisplayImage, DocumentInfo } from './documents';
import type { ProjectState } from './project';

export const batchItemRefArgsSchema = z.strictObject({ batchId: batchIdSchema, itemId: z.number().int().nonnegative() });
export type BatchItemRefArgs = z.input<typeof batchItemRefArgsSchema>;

/** Where the mask a batch item was restored with came from. */
export type BatchMaskSource = 'auto' | 'file' | 'sidecar' | 'none';

/**
 * `batch:open-item`: a restored item as an editor document. Shaped like a
 * reopened project: the photo is version 0 (the "before"), the batch's
 * output is the head version, and the mask the batch used is one ordinary,
 * editable layer, so a bad mask can be fixed and the photo restored again.
 */
export interface BatchOpenItemResult {
  readonly document: DocumentInfo;
  readonly state: ProjectState;
  /** Per layer (none when the item was restored without a mask): raw bytes, width x height, 0 or 255. */
  readonly masks: readonly { readonly layerId: string; readonly url: string }[];
  readonly head: { readonly version: number; readonly preview: DisplayImage };
  readonly maskSource: BatchMaskSource;
  /** Pixels in that mask. */
  readonly maskPixels: number;
}
