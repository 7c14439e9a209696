import type { QualityMode } from '@shared/ipc/restore';
import type { AppliedTone, ToneOptions } from '@shared/ipc/tone';
import type { AppliedGrain, GrainMode } from '@shared/ipc/grain';
import type { AppliedTexture, TextureMode } from '@shared/ipc/texture';
export { DEFAULT_QUALITY_MODE } from '@shared/ipc/restore';
import type { DetectSettings } from '../defects/detector';
import type { OutputFormat } from '../imaging/encode';
import type { ProtectedInputs } from '../jobs/write-guard';

/**
 * One restore request: the editor, the batch queue and the CLI all send this
 * same shape to the same pipeline function (restorePhoto). Plain data only,
 * since it crosses postMessage to the worker.
 */
export interface RestoreRequest {
  /** Caller-chosen id (so it can cancel before the first event) or generated. */
  readonly jobId?: string;
  /** Absolute path of the photo. */
  readonly imagePath: string;
  readonly mask: MaskInput;
  readonly output: OutputTarget;
  readonly options?: RestoreOptions;
  /**
   * What the caller reads besides this photo and its mask (the rest of a
   * batch, its input folder), so a file output can never land there. The
   * photo and a mask file are always protected.
   */
  readonly protect?: ProtectedInputs;
}

export type MaskInput =
  /** A mask image file, any format sharp reads; white = fill. */
  | { readonly kind: 'file'; readonly path: string }
  /** Encoded mask image bytes (PNG from the editor's canvas); white = fill. */
  | { readonly kind: 'bytes'; readonly bytes: Uint8Array }
  /** Find damage automatically (needs a defect detector), with the detector's defaults where settings are absent. */
  | { readonly kind: 'auto'; readonly detect?: DetectSettings }
  /** No damage to fill: tone only (options.tone must be set). */
  | { readonly kind: 'none' };

export type OutputTarget =
  /** Write a file (in the input's format unless `format` says otherwise), through a temporary file. */
  | {
      readonly kind: 'file';
      readonly path: string;
      readonly ifExists: 'fail' | 'overwrite' | 'skip';
      readonly format?: OutputFormat;
    }
  /** Return the encoded result (PNG, for display) instead of writing a file. */
  | { readonly kind: 'buffer' };

export interface RestoreOptions {
  /** Treat black as fill instead of white. */
  readonly invertMask?: boolean;
  /** Grow the mask by 0-3 px before filling. */
  readonly dilatePx?: number;
  /** JPEG / lossy WebP quality 1-100 (default 95). */
  readonly quality?: number;
  /** One network pass per crop, or the mirror ensemble (default DEFAULT_QUALITY_MODE). */
  readonly qualityMode?: QualityMode;
  /** Noise matching the grain around each hole, added to the fill (default DEFAULT_GRAIN_MODE, 'auto'). */
  readonly grain?: GrainMode;
  /** Detail of known patches around each wide hole, added to the fill (default DEFAULT_TEXTURE_MODE, 'on'). */
  readonly texture?: TextureMode;
  /** Auto tone after the fill (absent: off); absent fields are chosen by Auto. */
  readonly tone?: ToneOptions;
}

export interface RestoreStats {
  readonly width: number;
  readonly height: number;
  readonly maskedPixels: number;
  readonly crops: number;
  /** Pixels of network input over all crops (what the model's time goes into; photo pixels are width x height). */
  readonly networkPixels: number;
  /** The mode the crops ran in; absent when nothing was filled (tone only). */
  readonly qualityMode?: QualityMode;
  readonly strategies: { readonly whole: number; readonly tile: number; readonly downscale: number };
  readonly inpaintMs: number;
  readonly totalMs: number;
  /** The tone settings applied (Auto's choices and the ones given), when tone was on. */
  readonly tone?: AppliedTone;
  /** What grain matching measured and did; absent when nothing was filled. */
  readonly grain?: AppliedGrain;
  /** What detail transfer did; absent when nothing was filled. */
  readonly texture?: AppliedTexture;
}

export type RestoreResult =
  | {
      readonly jobId: string;
      readonly status: 'restored';
      /** Set for file output. */
      readonly outputPath?: string;
      /** Set for buffer output: the encoded PNG. */
      readonly bytes?: Uint8Array;
      readonly mime?: string;
      readonly stats: RestoreStats;
    }
  | { readonly jobId: string; readonly status: 'skipped'; readonly outputPath: string; readonly reason: string };
