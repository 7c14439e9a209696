import type { LayerRecord } from '@shared/ipc/project';

/**
 * The document as plain records (no pixels): what a doc change swaps and
 * what the project file saves, minus the masks.
 */
export interface DocSnapshot {
  /** Bottom to top. */
  readonly layers: readonly LayerRecord[];
  readonly activeLayerId: string | null;
  /** Image version shown and restored next: 0 = the photo, n = the n-th committed restore result. */
  readonly imageVersion: number;
  /** Restore runs behind imageVersion. */
  readonly restoreRuns: number;
}

/** One tile of a layer mask before and after an edit (blob ids into the BlobStore). */
export interface TilePatch {
  readonly tile: number;
  readonly before: string;
  readonly after: string;
}

/**
 * Reversible changes, as data. A history entry is a list of them, undone in
 * reverse order by applying `before`, redone in order by applying `after`.
 */
export type Change =
  | { readonly kind: 'mask'; readonly layerId: string; readonly tiles: readonly TilePatch[] }
  | { readonly kind: 'doc'; readonly before: DocSnapshot; readonly after: DocSnapshot };

export function blobIdsOf(change: Change): string[] {
  return change.kind === 'mask' ? change.tiles.flatMap((t) => [t.before, t.after]) : [];
}
