import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { isJobId, newJobId } from '../jobs/job-id';
import type { ProgressListener } from '../jobs/progress';
import { EngineError } from '../restore/errors';
import type { DefectsWorkerConfig, DetectRequest, DetectResult, FromDefectsWorker, ToDefectsWorker } from './worker-protocol';

export interface DetectHandle {
  readonly jobId: string;
  readonly result: Promise<DetectResult>;
  cancel(): void;
}

interface Pending {
  readonly resolve: (r: DetectResult) => void;
  readonly reject: (e: EngineError) => void;
  readonly onProgress?: ProgressListener;
}

/**
 * Main-thread side of damage detection: starts the defects worker on first
 * use, relays progress and turns answers into promises. Detection never runs
 * on the caller's event loop.
 */
export class DefectsEngine {
  private worker: Worker | undefined;
  private readonly jobs = new Map<string, Pending>();
  private closed = false;

  constructor(private readonly options: { readonly modelsDir: string; readonly workerPath?: string }) {}

  detect(request: Omit<DetectRequest, 'jobId'> & { readonly jobId?: string }, onProgress?: ProgressListener): DetectHandle {
    if (this.closed) throw new EngineError('INTERNAL', 'The defects engine has been shut down');
    const jobId = request.jobId ?? newJobId();
    if (!isJobId(jobId)) throw new EngineError('INTERNAL', `Invalid job id ${JSON.stringify(jobId)}`);
    if (this.jobs.has(jobId)) throw new EngineError('INTERNAL', `Job ${jobId} is already running`);
    const result = new Promise<DetectResult>((resolve, reject) => this.jobs.set(jobId, { resolve, reject, onProgress }));
    this.post({ type: 'detect', request: { ...request, jobId } });
    this.updateRef();
    return { jobId, result, cancel: () => this.cancel(jobId) };
  }

  /** Stops a job at its next stage boundary; its promise rejects with CANCELLED. */
  cancel(jobId: string): boolean {
    if (!this.jobs.has(jobId)) return false;
    this.post({ type: 'cancel', jobId });
    return true;
  }

  async close(): Promise<void> {
    this.closed = true;
    const worker = this.worker;
    this.worker = undefined;
    if (worker) await worker.terminate();
    this.failAll(new EngineError('CANCELLED', 'The defects engine was shut down'));
  }

  private post(message: ToDefectsWorker): void {
    this.ensureWorker().postMessage(message);
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const config: DefectsWorkerConfig = { modelsDir: this.options.modelsDir };
    const worker = new Worker(this.options.workerPath ?? defaultDefectsWorkerPath(), { workerData: config });
    worker.unref();
    worker.on('message', (m: FromDefectsWorker) => this.onMessage(m));
    worker.on('error', (err) => this.failAll(new EngineError('INTERNAL', `Defects worker crashed: ${err.message}`)));
    worker.on('exit', (code) => {
      if (this.worker === worker) this.worker = undefined;
      if (code !== 0 && !this.closed) this.failAll(new EngineError('INTERNAL', `Defects worker exited with code ${code}`));
    });
    this.worker = worker;
    return worker;
  }

  private onMessage(message: FromDefectsWorker): void {
    if (message.type === 'progress') {
      this.jobs.get(message.event.jobId)?.onProgress?.(message.event);
      return;
    }
    const jobId = message.type === 'done' ? message.result.jobId : message.jobId;
    const job = this.jobs.get(jobId);
    if (!job) return;
    this.jobs.delete(jobId);
    if (message.type === 'done') job.resolve(message.result);
    else job.reject(EngineError.fromData(message.error));
    this.updateRef();
  }

  private failAll(error: EngineError): void {
    for (const job of this.jobs.values()) job.reject(error);
    this.jobs.clear();
  }

  /** Keeps the process alive only while jobs are in flight (matters for scripts and the CLI). */
  private updateRef(): void {
    if (!this.worker) return;
    if (this.jobs.size > 0) this.worker.ref();
    else this.worker.unref();
  }
}

/** Built defects-worker.js sits next to the built main code (or one folder up from a chunk). */
export function defaultDefectsWorkerPath(): string {
  const fromEnv = process.env['PATINA_DEFECTS_WORKER_PATH'];
  if (fromEnv) return fromEnv;
  const here = path.dirname(fileURLToPath(import.meta.url));
  const candidates = [path.join(here, 'defects-worker.js'), path.join(here, '..', 'defects-worker.js')];
  const found = candidates.find((c) => existsSync(c));
  if (!found) {
    throw new EngineError('INTERNAL', `Defects worker not found (looked for ${candidates.join(', ')}); run npm run build`);
  }
  return found;
}
