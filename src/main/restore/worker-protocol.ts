import type { DeviceSetting, ProviderAttempt, ProviderName } from '../inference/providers';
import type { ProgressEvent } from '../jobs/progress';
import type { EngineErrorData } from './errors';
import type { RestoreRequest, RestoreResult } from './types';

/** Settings the worker is started with (workerData). */
export interface WorkerConfig {
  readonly modelsDir: string;
  readonly device: DeviceSetting;
}

/** What the engine knows about its model and provider; null fields until loaded. */
export interface EngineStatus {
  readonly modelsDir: string;
  readonly device: DeviceSetting;
  readonly model: { readonly name: string; readonly version: string; readonly file: string } | null;
  /** The execution provider the session runs on; null before the model loads. */
  readonly provider: ProviderName | null;
  readonly attempts: readonly ProviderAttempt[];
  /** Why the model could not load, when it could not. */
  readonly error: EngineErrorData | null;
}

export type ToWorker =
  | { readonly type: 'run'; readonly jobId: string; readonly request: RestoreRequest }
  | { readonly type: 'cancel'; readonly jobId: string }
  /** Load the model now (if not yet) and answer with the status. */
  | { readonly type: 'status'; readonly requestId: number; readonly load: boolean };

export type FromWorker =
  | { readonly type: 'progress'; readonly event: ProgressEvent }
  | { readonly type: 'done'; readonly jobId: string; readonly result: RestoreResult }
  | { readonly type: 'failed'; readonly jobId: string; readonly error: EngineErrorData }
  | { readonly type: 'status'; readonly requestId: number; readonly status: EngineStatus };
