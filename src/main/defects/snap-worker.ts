/**
 * Worker-thread entry for `defects:snap`: keeps the last photos' planes
 * (SnapPhotoCache) and runs each stroke off the main event loop, which only
 * sees small messages and the transferred PNG window. Built to
 * out/main/snap-worker.js. A worker of its own, so a stroke never waits
 * behind a whole-photo detection in the defects worker.
 */
import { parentPort } from 'node:worker_threads';
import { hostJobs } from '../jobs/worker-host';
import { SnapPhotoCache } from './snap-cache';
import { runSnap, type SnapRequest, type SnapResult } from './snap-run';

if (!parentPort) throw new Error('snap-worker must run as a worker thread');
const cache = new SnapPhotoCache();

// Normal priority (unlike the restore and defects workers): a person is waiting on each stroke, and each is short.
hostJobs<SnapRequest, SnapResult>(parentPort, {
  // Strokes answer in the order they were drawn, which is the order the editor applies them.
  concurrency: 1,
  run: async (request) => {
    const result = await runSnap(cache, request);
    return { result, transfer: result.png ? [result.png.buffer as ArrayBuffer] : [] };
  },
});
