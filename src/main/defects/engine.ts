import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ProgressListener } from '../jobs/progress';
import { findWorkerScript, WorkerClient, type JobHandle } from '../jobs/worker-client';
import type { DefectsWorkerConfig, DefectsWorkerRequest, DefectsWorkerResult, DetectRequest, DetectResult, FacesResult, RethresholdRequest } from './worker-protocol';

export type DetectHandle = JobHandle<DetectResult>;

/**
 * Main-thread side of damage detection: the defects worker, started on first
 * use. Detection never runs on the caller's event loop. The worker keeps the
 * last detections, so `rethreshold` answers a sensitivity change without the
 * network; `faces` runs there too.
 */
export class DefectsEngine {
  private readonly client: WorkerClient<DefectsWorkerRequest, DefectsWorkerResult>;

  constructor(options: { readonly modelsDir: string; readonly workerPath?: string }) {
    const config: DefectsWorkerConfig = { modelsDir: options.modelsDir };
    this.client = new WorkerClient({
      name: 'Defects',
      workerPath: () => options.workerPath ?? defaultDefectsWorkerPath(),
      workerData: config,
    });
  }

  detect(request: DetectRequest & { readonly jobId?: string }, onProgress?: ProgressListener): DetectHandle {
    const { jobId, ...rest } = request;
    return this.client.start(jobId, { ...rest, op: 'detect' }, onProgress) as DetectHandle;
  }

  /** The photo's last detection at another sensitivity; detected again when the worker no longer keeps it. */
  rethreshold(request: Omit<RethresholdRequest, 'op'> & { readonly jobId?: string }, onProgress?: ProgressListener): DetectHandle {
    const { jobId, ...rest } = request;
    return this.client.start(jobId, { ...rest, op: 'rethreshold' }, onProgress) as DetectHandle;
  }

  faces(imagePath: string): Promise<FacesResult> {
    return this.client.start(undefined, { op: 'faces', imagePath }).result as Promise<FacesResult>;
  }

  /** Stops a job at its next stage boundary; its promise rejects with CANCELLED. */
  cancel(jobId: string): boolean {
    return this.client.cancel(jobId);
  }

  close(): Promise<void> {
    return this.client.close();
  }
}

/** The built defects-worker.js (PATINA_DEFECTS_WORKER_PATH overrides). */
export function defaultDefectsWorkerPath(): string {
  return findWorkerScript('defects-worker.js', 'PATINA_DEFECTS_WORKER_PATH', path.dirname(fileURLToPath(import.meta.url)));
}
