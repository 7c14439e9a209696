import { setPriority } from 'node:os';
import type { MessagePort } from 'node:worker_threads';
import { toErrorData } from '../errors/engine-error';
import type { ProgressEvent } from './progress';
import { Slots } from './slots';
import type { JobFromWorker, JobToWorker, WorkerReady } from './worker-protocol';

export interface JobRunContext {
  readonly jobId: string;
  readonly signal: AbortSignal;
  readonly progress: (event: ProgressEvent) => void;
}

/** A job's answer, and the buffers to transfer (not copy) with it. */
export interface JobOutcome<Result> {
  readonly result: Result;
  readonly transfer?: readonly ArrayBuffer[];
}

export interface WorkerHostOptions<Request, Result> {
  readonly run: (request: Request, context: JobRunContext) => Promise<JobOutcome<Result>>;
  /** Jobs in flight at once; more wait their turn, first come first served. */
  readonly concurrency: number;
  /** Messages that are not part of the job protocol (a worker's own extras). */
  readonly onOtherMessage?: (message: { readonly type: string }) => void;
}

/**
 * Worker-thread side of the job protocol: runs jobs with a cancel signal each,
 * posts progress, results and errors, and never lets one job's failure reach
 * another. Returns the function that posts any message to the main thread.
 */
export function hostJobs<Request, Result>(
  port: MessagePort,
  options: WorkerHostOptions<Request, Result>,
): (message: unknown, transfer?: readonly ArrayBuffer[]) => void {
  const post = (message: unknown, transfer: readonly ArrayBuffer[] = []): void => port.postMessage(message, [...transfer]);
  const answer = (message: JobFromWorker<Result>, transfer?: readonly ArrayBuffer[]): void => post(message, transfer);
  const jobs = new Map<string, AbortController>();
  const slots = new Slots(options.concurrency);

  const runJob = async (jobId: string, request: Request, signal: AbortSignal): Promise<void> => {
    try {
      const outcome = await options.run(request, { jobId, signal, progress: (event) => answer({ type: 'progress', event }) });
      answer({ type: 'done', jobId, result: outcome.result }, outcome.transfer);
    } catch (err) {
      answer({ type: 'failed', jobId, error: toErrorData(err) });
    } finally {
      jobs.delete(jobId);
    }
  };

  port.on('message', (message: JobToWorker<Request> | { readonly type: string }) => {
    if (isRun<Request>(message)) {
      const controller = new AbortController();
      jobs.set(message.jobId, controller);
      void slots.run(() => runJob(message.jobId, message.request, controller.signal));
    } else if (isCancel(message)) {
      jobs.get(message.jobId)?.abort();
    } else {
      options.onOtherMessage?.(message);
    }
  });
  // hostJobs runs after the worker's imports (native addons included) have loaded: from here on it can be terminated safely.
  post({ type: 'ready' } satisfies WorkerReady);
  return post;
}

function isRun<Request>(m: { readonly type: string }): m is Extract<JobToWorker<Request>, { type: 'run' }> {
  return m.type === 'run';
}

function isCancel(m: { readonly type: string }): m is { readonly type: 'cancel'; readonly jobId: string } {
  return m.type === 'cancel';
}

/**
 * Runs this thread, and the ONNX Runtime and sharp pools it creates, below
 * the main thread's priority. With intra-op threads on every core, an
 * equal-priority main thread can wait tens of ms for a core, which a person
 * sees as a frozen window. Linux nice values are per thread and new threads
 * inherit them, so setpriority(0) here affects only this thread and its
 * descendants. Elsewhere it would re-prioritise the whole process, so it is
 * left alone.
 */
export function lowerThreadPriority(): void {
  if (process.platform !== 'linux') return;
  try {
    setPriority(0, 10);
  } catch {
    // Not permitted (e.g. a restricted container): run at normal priority.
  }
}
