import type { HandlerModule } from '../ipc/handlers';
import type { ResultReader } from '../jobs/result-store';
import { createBatchHandlers } from './handlers';
import { BatchManager } from './manager';
import type { Restorer } from './runner';
import { BatchThumbnails } from './thumbnails';

export interface BatchCapabilityOptions {
  /** The app's restore engine (shared with the editor: one worker, one model). */
  readonly restorer: Restorer;
  /** URL the renderer loads a thumbnail from (same scheme as restore results). */
  readonly urlFor: (handle: string) => string;
  /** Shows a folder in the system's file manager; absent where there is none. */
  readonly openFolder?: (dir: string) => Promise<boolean>;
}

export interface BatchCapability {
  readonly handlers: HandlerModule;
  readonly manager: BatchManager;
  /** Thumbnails, served by the transport that serves restore results. */
  readonly images: ResultReader;
  /** Cancels running batches (their journals stay resumable) and gives their folders back. */
  dispose(): Promise<void>;
}

/** Everything the batch feature adds to the backend (see src/main/backend.ts). */
export function createBatchCapability(options: BatchCapabilityOptions): BatchCapability {
  const manager = new BatchManager(options.restorer);
  const thumbnails = new BatchThumbnails(options.urlFor);
  return {
    handlers: createBatchHandlers({ manager, thumbnails, openFolder: options.openFolder }),
    manager,
    images: thumbnails.reader,
    async dispose() {
      await manager.dispose();
      thumbnails.clear();
    },
  };
}
