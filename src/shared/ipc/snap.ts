/**
 * `defects:snap`: the snapping brush. A rough stroke along a scratch or crack
 * (or a click on a dust spot) comes back as the damaged pixels under it, as a
 * mask window of the photo; the renderer adds that window to a layer.
 */
import { z } from 'zod';
import { sensitivitySchema } from './detection';
import { photoRefSchema } from './grants';

/** Most points one stroke may send; the editor thins a stroke's points to fit. */
export const MAX_SNAP_POINTS = 4096;
/** Widest brush, in photo pixels, a snap stroke may be (wider is no longer "under the stroke"). */
export const MAX_SNAP_WIDTH = 512;
export const SNAP_KINDS = ['stroke', 'spot'] as const;
export type SnapKind = (typeof SNAP_KINDS)[number];

/** A coordinate in photo pixels; off-photo parts of a stroke are clipped by main. */
const coordinate = z.number().finite().min(-1e6).max(1e6);

export const defectsSnapArgsSchema = z
  .strictObject({
    /** The photo: a read handle (src/shared/ipc/grants.ts), or the id of an open document version. */
    image: photoRefSchema,
    /** 'stroke': the damage along the line through `points`; 'spot': the one damaged spot nearest points[0]. */
    kind: z.enum(SNAP_KINDS),
    /** [x, y] in photo pixels (EXIF orientation applied), in drawing order. */
    points: z.array(z.tuple([coordinate, coordinate])).min(1).max(MAX_SNAP_POINTS),
    /** Brush diameter in photo pixels; for a spot, twice the search radius. */
    width: z.number().finite().min(1).max(MAX_SNAP_WIDTH),
    /** 0..1: higher takes fainter damage. Main's default when absent. */
    sensitivity: sensitivitySchema.optional(),
  })
  .refine((a) => a.kind !== 'spot' || a.points.length === 1, { message: 'a spot is one point', path: ['points'] });
export type DefectsSnapArgs = z.input<typeof defectsSnapArgsSchema>;

export interface DefectsSnapResult {
  /**
   * The window of the photo the mask covers, in photo pixels: the damage
   * found lies inside it. 0 x 0 when nothing was found.
   */
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
  /** Damage pixels found (0: nothing under the stroke). */
  readonly pixels: number;
  /**
   * Where the window's mask loads from (an 8-bit grey PNG of width x height,
   * white = damage), like defects:detect's; null when nothing was found.
   */
  readonly url: string | null;
  readonly handle: string | null;
  /** Time main spent, decoding the photo included when it was not cached yet. */
  readonly ms: number;
}
