import type { GrantTable } from '../access/grants';
import type { HandlerModule } from '../ipc/handlers';
import { ResultStore, type ResultReader } from '../jobs/result-store';
import { createBatchHandlers } from './handlers';
import { BatchManager } from './manager';
import type { OpenResultDeps } from './open-result';
import type { Restorer } from './runner';
import { projectSidecarMasks } from './sidecar';
import { BatchThumbnails } from './thumbnails';

export interface BatchCapabilityOptions {
  /** The app's restore engine (shared with the editor: one worker, one model). */
  readonly restorer: Restorer;
  /** URL the renderer loads a thumbnail from (same scheme as restore results). */
  readonly urlFor: (handle: string) => string;
  /** Shows a folder in the system's file manager; absent where there is none. */
  readonly openFolder?: (dir: string) => Promise<boolean>;
  /** The files and folders the person chose (src/main/access/grants.ts). */
  readonly grants: GrantTable;
  /** The editor's documents and the damage detector, for opening a restored item in the editor. */
  readonly openResult?: Pick<OpenResultDeps, 'documents' | 'detect'>;
}

export interface BatchCapability {
  readonly handlers: HandlerModule;
  readonly manager: BatchManager;
  /** Thumbnails, served by the transport that serves restore results. */
  readonly images: ResultReader;
  /** The photo of a batch item (for opening it in the editor); undefined for an unknown item or a non-image file. */
  photoOf(batchId: string, itemId: number): string | undefined;
  /** Cancels running batches (their journals stay resumable) and gives their folders back. */
  dispose(): Promise<void>;
}

/** Everything the batch feature adds to the backend (see src/main/backend.ts). */
export function createBatchCapability(options: BatchCapabilityOptions): BatchCapability {
  const manager = new BatchManager(options.restorer);
  const thumbnails = new BatchThumbnails(options.urlFor);
  // Masks of opened items: a byte per pixel, fetched once by the editor right after opening.
  const masks = new ResultStore(4, 512 * 1024 * 1024);
  const openResult = options.openResult && { ...options.openResult, masks, urlFor: options.urlFor, sidecars: projectSidecarMasks };
  return {
    handlers: createBatchHandlers({ manager, thumbnails, openFolder: options.openFolder, grants: options.grants, openResult }),
    manager,
    images: { get: (handle) => thumbnails.reader.get(handle) ?? masks.get(handle) },
    photoOf(batchId, itemId) {
      const item = manager.session(batchId)?.runner.items[itemId];
      return item?.mask ? item.source : undefined;
    },
    async dispose() {
      await manager.dispose();
      thumbnails.clear();
      masks.clear();
    },
  };
}
