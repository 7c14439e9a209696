/**
 * Worker-thread entry of the detection helper (helper.ts): the second core's
 * share of a detection, on buffers shared with, or handed back to, the
 * detecting thread. Built to out/main/defects-helper.js beside the workers
 * that detect.
 */
import { parentPort } from 'node:worker_threads';
import { hostJobs } from '../jobs/worker-host';
import { runHelperTask, type HelperRequest, type HelperResult } from './helper-tasks';

if (!parentPort) throw new Error('defects-helper must run as a worker thread');

hostJobs<HelperRequest, HelperResult>(parentPort, {
  concurrency: 1,
  run: async (request) => runHelperTask(request),
});
