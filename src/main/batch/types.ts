import type { BatchItemError, BatchItemState } from '@shared/ipc/batch';
import type { QualityMode } from '@shared/ipc/restore';
import type { ToneOptions } from '@shared/ipc/tone';
import type { GrainMode } from '@shared/ipc/grain';
import type { TextureMode } from '@shared/ipc/texture';
import type { OutputFormat } from '../imaging/encode';
import type { DetectSettings } from '../defects/detector';
import type { AppliedPasses } from '../restore/applied-passes';

/**
 * A batch, fully resolved (absolute paths, defaults applied). The app's
 * `batch:start` and the CLI's `patina run --image <dir>` both build one; it
 * is stored in the journal, and its fingerprint decides whether a later start
 * resumes that journal.
 */
export interface BatchSpec {
  readonly input: { readonly kind: 'folder'; readonly dir: string; readonly recursive: boolean } | { readonly kind: 'files'; readonly paths: readonly string[] };
  readonly masks: MaskSource;
  readonly output: OutputSpec;
  readonly options: { readonly invertMask?: boolean; readonly dilatePx?: number; readonly qualityMode?: QualityMode; readonly grain?: GrainMode; readonly texture?: TextureMode; readonly tone?: ToneOptions };
}

export type MaskSource =
  | { readonly kind: 'auto'; readonly detect?: DetectSettings }
  /** Paired by stem: <stem>_mask.* first, then <stem>.*; same sub-folder first, then the folder itself. */
  | { readonly kind: 'folder'; readonly dir: string }
  | { readonly kind: 'file'; readonly path: string }
  /** Masks the editor saved beside each photo (see sidecar.ts). */
  | { readonly kind: 'sidecar' }
  /** No damage fill: tone only (options.tone is set). */
  | { readonly kind: 'none' };

/**
 * 'fail' is the CLI's default (existing outputs are an error unless
 * --overwrite or --skip-existing); the app offers the other three.
 */
export type Collision = 'fail' | 'skip' | 'overwrite' | 'rename';

export interface OutputSpec {
  readonly dir: string;
  /** File name template, e.g. '{stem}.{ext}' (see src/shared/ipc/batch.ts). */
  readonly template: string;
  readonly format: OutputFormat;
  /** JPEG / lossy WebP quality; the engine's default (95) when absent. */
  readonly quality?: number;
  readonly collision: Collision;
}

/** Where one item's mask comes from, as stored in the journal (plain data). */
export type MaskPlan =
  | { readonly kind: 'file'; readonly path: string }
  | { readonly kind: 'auto'; readonly detect?: DetectSettings }
  | { readonly kind: 'sidecar' }
  | { readonly kind: 'none' }
  /** No mask could be paired: the item fails with this message. */
  | { readonly kind: 'missing'; readonly message: string };

/** Identity of an output file at a moment (to tell a file we wrote from one that was there). */
export interface FileStamp {
  readonly ino: number;
  readonly size: number;
  readonly mtimeMs: number;
}

/**
 * One item of the queue, exactly as the journal stores it. Items never leave
 * the list; only their state changes. Its tone, grain and texture records
 * (AppliedPasses) are absent until it is done.
 */
export interface BatchItem extends AppliedPasses {
  readonly id: number;
  readonly source: string;
  readonly rel: string;
  /** null for items that are not photos (skipped on sight). */
  readonly mask: MaskPlan | null;
  /** Planned output path; for 'rename' the chosen free name once the item started. */
  output: string | null;
  state: BatchItemState;
  reason: string | null;
  error: BatchItemError | null;
  ms: number | null;
  /** How many crops the model ran for it; null until done. */
  crops: number | null;
  /**
   * The output file as it was just before this item started (null: there was
   * none). A journal that says "running" after a crash is settled by
   * comparing: a different file at the output means the rename happened.
   */
  before: FileStamp | null;
  /** Which run of the batch (1, 2, ...) restored it; null until done. */
  doneInRun: number | null;
  /** Network input for it, in megapixels and as a share of the photo (see restore/network-use.ts); absent until done. */
  networkMegapixels?: number;
  networkPerPhoto?: number;
  qualityMode?: QualityMode;
  /** Restored, but something about its mask deserves a look (see restore/mask-warnings.ts). */
  warnings?: readonly string[];
}

/** Error codes the queue itself gives items (besides the engine's). */
export const BATCH_ITEM_CODES = {
  /** Two photos would be written to the same output file. */
  clash: 'OUTPUT_CLASH',
  /** The output path is one of the batch's own photos. */
  isInput: 'OUTPUT_IS_INPUT',
} as const;
