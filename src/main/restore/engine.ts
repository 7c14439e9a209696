import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { DeviceSetting } from '../inference/providers';
import { isJobId, newJobId } from '../jobs/job-id';
import type { ProgressListener } from '../jobs/progress';
import { EngineError } from './errors';
import type { RestoreRequest, RestoreResult } from './types';
import type { EngineStatus, FromWorker, ToWorker, WorkerConfig } from './worker-protocol';

export interface EngineOptions {
  readonly modelsDir: string;
  readonly device?: DeviceSetting;
  /** Built worker script (restore-worker.js); found next to the built engine when omitted. */
  readonly workerPath?: string;
}

export interface RunHandle {
  readonly jobId: string;
  readonly result: Promise<RestoreResult>;
  cancel(): void;
}

interface PendingJob {
  readonly resolve: (r: RestoreResult) => void;
  readonly reject: (e: EngineError) => void;
  readonly onProgress?: ProgressListener;
}

/**
 * Main-thread side of the engine: starts the worker on first use, sends it
 * requests, relays progress, and turns its answers back into promises. Only
 * small messages cross; the main event loop does no pixel work.
 */
export class RestoreEngine {
  private worker: Worker | undefined;
  private readonly jobs = new Map<string, PendingJob>();
  private readonly statusWaiters = new Map<number, (s: EngineStatus) => void>();
  private nextStatusId = 1;
  private closed = false;

  constructor(private readonly options: EngineOptions) {}

  get device(): DeviceSetting {
    return this.options.device ?? 'auto';
  }

  /** Queues a restore. The job id is the request's (validated) or a new one. */
  run(request: RestoreRequest, onProgress?: ProgressListener): RunHandle {
    if (this.closed) throw new EngineError('INTERNAL', 'The restore engine has been shut down');
    const jobId = request.jobId ?? newJobId();
    if (!isJobId(jobId)) throw new EngineError('INTERNAL', `Invalid job id ${JSON.stringify(jobId)}`);
    if (this.jobs.has(jobId)) throw new EngineError('INTERNAL', `Job ${jobId} is already running`);
    this.ensureWorker(); // fails here, before any job is registered, when the worker cannot start
    const result = new Promise<RestoreResult>((resolve, reject) => {
      this.jobs.set(jobId, { resolve, reject, onProgress });
    });
    this.post({ type: 'run', jobId, request: { ...request, jobId } });
    this.updateRef();
    return { jobId, result, cancel: () => this.cancel(jobId) };
  }

  /** Asks the worker to stop a job between crops; its promise then rejects with CANCELLED. */
  cancel(jobId: string): boolean {
    if (!this.jobs.has(jobId)) return false;
    this.post({ type: 'cancel', jobId });
    return true;
  }

  /** Model and provider facts; with load=true the model is loaded first (provider known after). */
  status(load = false): Promise<EngineStatus> {
    const requestId = this.nextStatusId++;
    return new Promise((resolve) => {
      this.statusWaiters.set(requestId, resolve);
      this.post({ type: 'status', requestId, load });
      this.updateRef();
    });
  }

  /** Stops the worker; running jobs reject with CANCELLED. */
  async close(): Promise<void> {
    this.closed = true;
    const worker = this.worker;
    this.worker = undefined;
    if (worker) await worker.terminate();
    this.failAll(new EngineError('CANCELLED', 'The restore engine was shut down'));
  }

  private post(message: ToWorker): void {
    this.ensureWorker().postMessage(message);
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const workerPath = this.options.workerPath ?? defaultWorkerPath();
    const config: WorkerConfig = { modelsDir: this.options.modelsDir, device: this.device };
    const worker = new Worker(workerPath, { workerData: config });
    // An idle worker must not keep a CLI process alive; busy jobs hold a ref via their promise's caller.
    worker.unref();
    worker.on('message', (m: FromWorker) => this.onMessage(m));
    worker.on('error', (err) => this.failAll(new EngineError('INTERNAL', `Restore worker crashed: ${err.message}`)));
    worker.on('exit', (code) => {
      if (this.worker === worker) this.worker = undefined;
      if (code !== 0 && !this.closed) this.failAll(new EngineError('INTERNAL', `Restore worker exited with code ${code}`));
    });
    this.worker = worker;
    return worker;
  }

  private onMessage(message: FromWorker): void {
    switch (message.type) {
      case 'progress':
        this.jobs.get(message.event.jobId)?.onProgress?.(message.event);
        break;
      case 'done':
        this.settle(message.jobId, (job) => job.resolve(message.result));
        break;
      case 'failed':
        this.settle(message.jobId, (job) => job.reject(EngineError.fromData(message.error)));
        break;
      case 'status': {
        const waiter = this.statusWaiters.get(message.requestId);
        this.statusWaiters.delete(message.requestId);
        waiter?.(message.status);
        this.updateRef();
        break;
      }
    }
  }

  private settle(jobId: string, fn: (job: PendingJob) => void): void {
    const job = this.jobs.get(jobId);
    if (!job) return;
    this.jobs.delete(jobId);
    fn(job);
    this.updateRef();
  }

  private failAll(error: EngineError): void {
    for (const job of this.jobs.values()) job.reject(error);
    this.jobs.clear();
    // A dead worker answers no status request; answer with what is known.
    for (const [id, waiter] of this.statusWaiters) {
      this.statusWaiters.delete(id);
      waiter({ modelsDir: this.options.modelsDir, device: this.device, model: null, provider: null, attempts: [], error: error.toData() });
    }
  }

  /** Keeps the process alive only while jobs are in flight (matters for the CLI). */
  private updateRef(): void {
    if (!this.worker) return;
    if (this.jobs.size + this.statusWaiters.size > 0) this.worker.ref();
    else this.worker.unref();
  }
}

/**
 * The built worker sits next to the built engine code (out/main/). When the
 * bundler moved this module into a chunk folder, it is one level up.
 */
export function defaultWorkerPath(): string {
  const fromEnv = process.env['PATINA_WORKER_PATH'];
  if (fromEnv) return fromEnv;
  const here = path.dirname(fileURLToPath(import.meta.url));
  const candidates = [path.join(here, 'restore-worker.js'), path.join(here, '..', 'restore-worker.js')];
  const found = candidates.find((c) => existsSync(c));
  if (!found) {
    throw new EngineError('INTERNAL', `Restore worker not found (looked for ${candidates.join(', ')}); run npm run build`);
  }
  return found;
}
