import type { BatchProgress, BatchState } from '@shared/ipc/batch';
import type { QualityMode } from '@shared/ipc/restore';
import type { EngineErrorData } from '../errors/engine-error';
import type { ProviderAttempt } from '../inference/providers';
import type { ProgressEvent } from '../jobs/progress';
import type { AppliedPasses } from '../restore/applied-passes';
import type { RestoreEngine } from '../restore/engine';
import type { RunCommand } from './args';

// What `patina run` on one photo (run-command.ts) and on a folder (run-folder.ts) share:
// the outcome and reporter shapes, loading the model once, and the OUTPUT_EXISTS hint.

export type ItemOutcome =
  // restored: with the tone, grain and texture records of the passes that ran (AppliedPasses).
  | ({
      readonly image: string;
      readonly status: 'restored';
      readonly output: string;
      readonly crops: number;
      readonly ms: number;
      /** Network input over all crops, in megapixels, and as a share of the photo's pixels. */
      readonly networkMegapixels?: number;
      readonly networkPerPhoto?: number;
      /** The fill quality the crops ran in. */
      readonly qualityMode?: QualityMode;
      /** Restored, but the mask deserves a look (covers everything, another shape). */
      readonly warnings?: readonly string[];
    } & AppliedPasses)
  | { readonly image: string; readonly status: 'skipped'; readonly output: string; readonly reason: string }
  | { readonly image: string; readonly status: 'failed'; readonly error: EngineErrorData };

export interface EngineSummary {
  readonly model: string | null;
  readonly provider: string | null;
  readonly attempts: readonly ProviderAttempt[];
}

/** Where the run reports; human text or JSON lines (see output.ts). */
export interface RunReporter {
  engine(info: EngineSummary): void;
  progress(image: string, index: number, count: number, event: ProgressEvent): void;
  item(outcome: ItemOutcome, index: number, count: number): void;
  summary(outcomes: readonly ItemOutcome[], engine: EngineSummary): void;
  /** Folder runs (the batch queue): what the queue found, before the first item. */
  batchStart?(info: BatchStartInfo): void;
  /** Folder runs: the whole queue's progress (M of N, current files, ETA), about 10 per second at most. */
  batch?(progress: BatchProgress): void;
  /** Folder runs: where the report was saved, before the summary. */
  batchEnd?(info: { readonly state: BatchState; readonly report: string }): void;
}

export interface BatchStartInfo {
  readonly batchId: string;
  readonly total: number;
  /** True when an interrupted run of the same batch is continued. */
  readonly resumed: boolean;
  /** Photos an earlier run already restored (not redone). */
  readonly alreadyDone: number;
  /** Temporary files of a killed run that were removed. */
  readonly removedTemps: number;
  /** Mask files of a mask folder that no photo uses. */
  readonly unusedMasks: readonly string[];
}

/**
 * Loads the model once and reports the provider; a load error is returned for every photo to share.
 * Tone only (no mask, no --auto-mask) needs no model, and a missing one is no error.
 */
export async function loadModel(engine: RestoreEngine, reporter: RunReporter, cmd: RunCommand): Promise<{ engineInfo: EngineSummary; error: EngineErrorData | null }> {
  if (isToneOnly(cmd)) return { engineInfo: { model: null, provider: null, attempts: [] }, error: null };
  const status = await engine.status(true);
  const engineInfo: EngineSummary = {
    model: status.model ? `${status.model.name} ${status.model.version}` : null,
    provider: status.provider,
    attempts: status.attempts,
  };
  reporter.engine(engineInfo);
  return { engineInfo, error: status.error };
}

/** `patina run --tone auto` with neither --mask nor --auto-mask. */
export function isToneOnly(cmd: RunCommand): boolean {
  return cmd.tone !== undefined && !cmd.mask && !cmd.autoMask;
}

/** Hint for OUTPUT_EXISTS: how to get past an existing output. */
export const OUTPUT_EXISTS_HINT = '(use --overwrite or --skip-existing)';
