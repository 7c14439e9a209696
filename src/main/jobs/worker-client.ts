import { existsSync } from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { EngineError } from '../errors/engine-error';
import { isJobId, newJobId } from './job-id';
import type { ProgressListener } from './progress';
import type { JobFromWorker, JobToWorker } from './worker-protocol';

export interface JobHandle<Result> {
  readonly jobId: string;
  readonly result: Promise<Result>;
  cancel(): void;
}

export interface WorkerClientOptions {
  /** For messages: "Restore", "Defects". */
  readonly name: string;
  /** Resolved on first use, so a missing build fails the first job, not the constructor. */
  readonly workerPath: () => string;
  readonly workerData: unknown;
  /** Messages that are not part of the job protocol (a worker's own extras). */
  readonly onOtherMessage?: (message: { readonly type: string }) => void;
  /** Called when the worker dies or the client closes, after every job was rejected. */
  readonly onFailure?: (error: EngineError) => void;
}

interface Pending<Result> {
  readonly resolve: (r: Result) => void;
  readonly reject: (e: EngineError) => void;
  readonly onProgress?: ProgressListener;
}

/**
 * Main-thread side of a job worker: starts the worker on first use, sends it
 * jobs, relays progress and turns answers into promises. Only small messages
 * cross; the caller's event loop does no pixel work.
 */
export class WorkerClient<Request, Result> {
  private worker: Worker | undefined;
  private readonly jobs = new Map<string, Pending<Result>>();
  /** Requests other than jobs that are waiting for an answer (they keep the process alive too). */
  private held = 0;
  private closed = false;
  /** Settles once the worker has said it is ready, or has exited: until then it may be loading a native addon. */
  private started: Promise<void> = Promise.resolve();
  private markStarted: () => void = () => {};

  constructor(private readonly options: WorkerClientOptions) {}

  /** Queues a job under the given (validated) id or a new one. */
  start(jobId: string | undefined, request: Request, onProgress?: ProgressListener): JobHandle<Result> {
    if (this.closed) throw new EngineError('INTERNAL', `The ${this.options.name.toLowerCase()} engine has been shut down`);
    const id = jobId ?? newJobId();
    if (!isJobId(id)) throw new EngineError('INTERNAL', `Invalid job id ${JSON.stringify(id)}`);
    if (this.jobs.has(id)) throw new EngineError('INTERNAL', `Job ${id} is already running`);
    this.ensureWorker(); // fails here, before any job is registered, when the worker cannot start
    const result = new Promise<Result>((resolve, reject) => this.jobs.set(id, { resolve, reject, onProgress }));
    this.post({ type: 'run', jobId: id, request } satisfies JobToWorker<Request>);
    this.updateRef();
    return { jobId: id, result, cancel: () => this.cancel(id) };
  }

  /**
   * Starts the worker now instead of on first use, so its start-up (its imports) runs beside the
   * caller's. A worker that cannot start is left to fail the first job or request, as before.
   */
  open(): void {
    if (this.closed) return;
    try {
      this.ensureWorker();
    } catch {
      // ensureWorker throws again, to whoever uses the worker first
    }
  }

  /** Asks the worker to stop a job at its next check; its promise then rejects with CANCELLED. */
  cancel(jobId: string): boolean {
    if (!this.jobs.has(jobId)) return false;
    this.post({ type: 'cancel', jobId } satisfies JobToWorker<Request>);
    return true;
  }

  /** Sends a message outside the job protocol; `awaitsAnswer` keeps the process alive until release(). */
  send(message: { readonly type: string }, awaitsAnswer = false): void {
    this.post(message);
    if (awaitsAnswer) this.held++;
    this.updateRef();
  }

  /** An answer to a send(..., true) arrived. */
  release(): void {
    this.held = Math.max(0, this.held - 1);
    this.updateRef();
  }

  /** Stops the worker; running jobs reject with CANCELLED. */
  async close(): Promise<void> {
    this.closed = true;
    const worker = this.worker;
    this.worker = undefined;
    if (worker) {
      // Terminating a worker while sharp or onnxruntime is still loading aborts the whole process
      // (a Napi::Error thrown during teardown): a CLI usage error found right after the worker
      // started would exit with SIGABRT instead of its message's code. Wait for its start-up first,
      // the worker holding the process open meanwhile (an idle one does not).
      worker.ref();
      await Promise.race([this.started, delay(STARTUP_WAIT_MS)]);
      await worker.terminate();
    }
    this.failAll(new EngineError('CANCELLED', `The ${this.options.name.toLowerCase()} engine was shut down`));
  }

  private post(message: unknown): void {
    this.ensureWorker().postMessage(message);
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const { name } = this.options;
    const worker = new Worker(this.options.workerPath(), { workerData: this.options.workerData });
    this.started = new Promise<void>((resolve) => (this.markStarted = resolve));
    worker.once('exit', () => this.markStarted());
    worker.on('message', (m: JobFromWorker<Result> | { readonly type: string }) => this.onMessage(m));
    worker.on('error', (err) => this.failAll(new EngineError('INTERNAL', `${name} worker crashed: ${err.message}`)));
    worker.on('exit', (code) => {
      if (this.worker === worker) this.worker = undefined;
      if (code !== 0 && !this.closed) this.failAll(new EngineError('INTERNAL', `${name} worker exited with code ${code}`));
    });
    // An idle worker must not keep a CLI process alive; jobs in flight ref it (updateRef). After the
    // 'message' listener: adding that listener refs the worker's port again.
    worker.unref();
    this.worker = worker;
    return worker;
  }

  private onMessage(message: JobFromWorker<Result> | { readonly type: string }): void {
    if (message.type === 'ready') {
      this.markStarted();
      return;
    }
    if (!isJobMessage<Result>(message)) {
      this.options.onOtherMessage?.(message);
      return;
    }
    if (message.type === 'progress') {
      this.jobs.get(message.event.jobId)?.onProgress?.(message.event);
      return;
    }
    const job = this.jobs.get(message.jobId);
    if (!job) return;
    this.jobs.delete(message.jobId);
    if (message.type === 'done') job.resolve(message.result);
    else job.reject(EngineError.fromData(message.error));
    this.updateRef();
  }

  private failAll(error: EngineError): void {
    for (const job of this.jobs.values()) job.reject(error);
    this.jobs.clear();
    this.held = 0;
    this.options.onFailure?.(error);
  }

  /** Keeps the process alive only while something is in flight (matters for scripts and the CLI). */
  private updateRef(): void {
    if (!this.worker) return;
    if (this.jobs.size + this.held > 0) this.worker.ref();
    else this.worker.unref();
  }
}

/** The longest close() waits for a starting worker (its imports take well under a second on a loaded machine). */
const STARTUP_WAIT_MS = 15_000;

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

function isJobMessage<Result>(m: { readonly type: string }): m is JobFromWorker<Result> {
  return m.type === 'progress' || m.type === 'done' || m.type === 'failed';
}

/**
 * A built worker script sits next to the built main code (out/main/), or one
 * folder up when the bundler moved the caller into a chunk folder. An
 * environment variable overrides both (tests, packaged layouts).
 */
export function findWorkerScript(file: string, envVar: string, here: string): string {
  const fromEnv = process.env[envVar];
  if (fromEnv) return fromEnv;
  const candidates = [path.join(here, file), path.join(here, '..', file)];
  const found = candidates.find((c) => existsSync(c));
  if (!found) {
    throw new EngineError('INTERNAL', `${file} not found (looked for ${candidates.join(', ')}); run npm run build`);
  }
  return found;
}
