import type { EngineErrorData } from '../errors/engine-error';
import type { ProgressEvent } from './progress';

/**
 * The messages every job worker (restore, defects) understands: run a job,
 * cancel it, and answer with progress, a result or an error. A worker may add
 * messages of its own (the restore worker's `status`) beside these.
 */
export type JobToWorker<Request> =
  | { readonly type: 'run'; readonly jobId: string; readonly request: Request }
  | { readonly type: 'cancel'; readonly jobId: string };

export type JobFromWorker<Result> =
  | { readonly type: 'progress'; readonly event: ProgressEvent }
  | { readonly type: 'done'; readonly jobId: string; readonly result: Result }
  | { readonly type: 'failed'; readonly jobId: string; readonly error: EngineErrorData };

/** Sent once, when the worker's imports (sharp, onnxruntime...) have loaded and it listens for jobs. */
export interface WorkerReady {
  readonly type: 'ready';
}
