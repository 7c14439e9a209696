import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { findWorkerScript, WorkerClient } from '../jobs/worker-client';
import type { SnapRequest, SnapResult } from './snap-run';

/**
 * Main-thread side of the snapping brush: the snap worker, started on first
 * use; it holds the decoded photos between strokes.
 */
export class SnapEngine {
  private readonly client: WorkerClient<SnapRequest, SnapResult>;

  constructor(options: { readonly workerPath?: string } = {}) {
    this.client = new WorkerClient({
      name: 'Snap',
      workerPath: () => options.workerPath ?? defaultSnapWorkerPath(),
      workerData: null,
    });
  }

  snap(request: SnapRequest): Promise<SnapResult> {
    return this.client.start(undefined, request).result;
  }

  close(): Promise<void> {
    return this.client.close();
  }
}

/** The built snap-worker.js (PATINA_SNAP_WORKER_PATH overrides). */
export function defaultSnapWorkerPath(): string {
  return findWorkerScript('snap-worker.js', 'PATINA_SNAP_WORKER_PATH', path.dirname(fileURLToPath(import.meta.url)));
}
