import type { DeviceSetting, ProviderAttempt, ProviderName } from '../inference/providers';
import type { EngineErrorData } from '../errors/engine-error';

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

/** Load the model now (if not yet) and answer with the status. */
export interface StatusToWorker {
  readonly type: 'status';
  readonly requestId: number;
  readonly load: boolean;
}

export interface StatusFromWorker {
  readonly type: 'status';
  readonly requestId: number;
  readonly status: EngineStatus;
}
