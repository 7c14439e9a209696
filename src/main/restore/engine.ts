import { fileURLToPath } from 'node:url';
import path from 'node:path';
import type { DeviceSetting } from '../inference/providers';
import type { ProgressListener } from '../jobs/progress';
import { findWorkerScript, WorkerClient, type JobHandle } from '../jobs/worker-client';
import type { RestoreRequest, RestoreResult } from './types';
import type { EngineStatus, StatusFromWorker, StatusToWorker, WorkerConfig } from './worker-protocol';

export interface EngineOptions {
  readonly modelsDir: string;
  readonly device?: DeviceSetting;
  /** Built worker script (restore-worker.js); found next to the built engine when omitted. */
  readonly workerPath?: string;
}

export type RunHandle = JobHandle<RestoreResult>;

/**
 * Main-thread side of the restore engine: the job worker client plus the
 * worker's status request. The main event loop does no pixel work.
 */
export class RestoreEngine {
  private readonly client: WorkerClient<RestoreRequest, RestoreResult>;
  private readonly statusWaiters = new Map<number, (s: EngineStatus) => void>();
  private nextStatusId = 1;

  constructor(private readonly options: EngineOptions) {
    const config: WorkerConfig = { modelsDir: options.modelsDir, device: this.device };
    this.client = new WorkerClient({
      name: 'Restore',
      workerPath: () => options.workerPath ?? defaultWorkerPath(),
      workerData: config,
      onOtherMessage: (m) => this.onStatus(m as StatusFromWorker),
      // A dead worker answers no status request; answer with what is known.
      onFailure: (error) => {
        for (const [id, waiter] of this.statusWaiters) {
          this.statusWaiters.delete(id);
          waiter({ modelsDir: options.modelsDir, device: this.device, model: null, provider: null, attempts: [], error: error.toData() });
        }
      },
    });
  }

  get device(): DeviceSetting {
    return this.options.device ?? 'auto';
  }

  /** Starts the worker thread ahead of the first job (see WorkerClient.open). */
  open(): void {
    this.client.open();
  }

  /** Queues a restore. The job id is the request's (validated) or a new one. */
  run(request: RestoreRequest, onProgress?: ProgressListener): RunHandle {
    // The worker stamps the job id onto the request it runs.
    return this.client.start(request.jobId, request, onProgress);
  }

  /** Asks the worker to stop a job between crops; its promise then rejects with CANCELLED. */
  cancel(jobId: string): boolean {
    return this.client.cancel(jobId);
  }

  /** Model and provider facts; with load=true the model is loaded first (provider known after). */
  status(load = false): Promise<EngineStatus> {
    const requestId = this.nextStatusId++;
    return new Promise((resolve) => {
      this.statusWaiters.set(requestId, resolve);
      const message: StatusToWorker = { type: 'status', requestId, load };
      this.client.send(message, true);
    });
  }

  /** Stops the worker; running jobs reject with CANCELLED. */
  close(): Promise<void> {
    return this.client.close();
  }

  private onStatus(message: StatusFromWorker): void {
    if (message.type !== 'status') return;
    const waiter = this.statusWaiters.get(message.requestId);
    if (!waiter) return;
    this.statusWaiters.delete(message.requestId);
    this.client.release();
    waiter(message.status);
  }
}

/** The built restore-worker.js (PATINA_WORKER_PATH overrides). */
export function defaultWorkerPath(): string {
  return findWorkerScript('restore-worker.js', 'PATINA_WORKER_PATH', path.dirname(fileURLToPath(import.meta.url)));
}
