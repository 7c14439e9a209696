/**
 * Worker-thread entry for `defects:detect`: decode, detect and PNG-encode off
 * the main event loop, which only ever sees small messages and the
 * transferred PNG. Built to out/main/defects-worker.js.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { ProgressReporter } from '../jobs/progress';
import { hostJobs, lowerThreadPriority } from '../jobs/worker-host';
import { detectDefectsInFile, encodeMaskPng } from './mask-file';
import type { DefectsWorkerConfig, DetectRequest, DetectResult } from './worker-protocol';

if (!parentPort) throw new Error('defects-worker must run as a worker thread');
lowerThreadPriority();
const config = workerData as DefectsWorkerConfig;

hostJobs<DetectRequest, DetectResult>(parentPort, {
  // One detection at a time: each already uses the whole working set of a core.
  concurrency: 1,
  run: async (request, { jobId, signal, progress: post }) => {
    const progress = new ProgressReporter(jobId, post);
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
    return { result: { jobId, width: mask.width, height: mask.height, png, stats: mask.stats }, transfer: [png.buffer] };
  },
});
