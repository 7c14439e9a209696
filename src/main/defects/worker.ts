/**
 * Worker-thread entry for `defects:detect`: decode, detect and PNG-encode off
 * the main event loop, which only ever sees small messages and the
 * transferred PNG. Built to out/main/defects-worker.js.
 */
import { setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import { ProgressReporter } from '../jobs/progress';
import { toErrorData } from '../restore/errors';
import { detectDefectsInFile, encodeMaskPng } from './mask-file';
import type { DefectsWorkerConfig, DetectRequest, FromDefectsWorker, ToDefectsWorker } from './worker-protocol';

if (!parentPort) throw new Error('defects-worker must run as a worker thread');
const port = parentPort;
const config = workerData as DefectsWorkerConfig;
const jobs = new Map<string, AbortController>();
lowerThreadPriority();

const post = (message: FromDefectsWorker, transfer: ArrayBuffer[] = []): void => port.postMessage(message, transfer);

// One detection at a time: each already uses the whole working set of a core.
let queue: Promise<void> = Promise.resolve();

port.on('message', (message: ToDefectsWorker) => {
  if (message.type === 'cancel') {
    jobs.get(message.jobId)?.abort();
    return;
  }
  const controller = new AbortController();
  jobs.set(message.request.jobId, controller);
  queue = queue.then(() => run(message.request, controller.signal));
});

async function run(request: DetectRequest, signal: AbortSignal): Promise<void> {
  const { jobId } = request;
  try {
    const progress = new ProgressReporter(jobId, (event) => post({ type: 'progress', event }));
    progress.begin('detect', 1);
    const mask = await detectDefectsInFile(request.imagePath, {
      sensitivity: request.sensitivity,
      method: request.method,
      modelsDir: config.modelsDir,
      signal,
      onProgress: (done, total) => (done === 0 ? progress.begin('detect', total) : progress.step(done)),
    });
    const encoded = await encodeMaskPng(mask);
    // sharp's buffer is external memory, which cannot be transferred; one copy can.
    const png = new Uint8Array(encoded);
    post({ type: 'done', result: { jobId, width: mask.width, height: mask.height, png, stats: mask.stats } }, [png.buffer]);
  } catch (err) {
    post({ type: 'failed', jobId, error: toErrorData(err) });
  } finally {
    jobs.delete(jobId);
  }
}

/** Below the main thread's priority, as the restore worker does (see there for why). */
function lowerThreadPriority(): void {
  if (process.platform !== 'linux') return;
  try {
    setPriority(0, 10);
  } catch {
    // Not permitted: run at normal priority.
  }
}
