import path from 'node:path';
import type { ToneOptions } from '@shared/ipc/tone';
import type { GrantTable } from '../access/grants';
import type { HandlerModule } from '../ipc/handlers';
import { ResultStore, type ResultReader } from '../jobs/result-store';
import { DocumentStore } from './document-store';
import { createDocumentHandlers } from './handlers';
import { RecentFiles } from './recent';

export interface DocumentsCapabilityOptions {
  /** restore:run preview results, which `document:commit` turns into versions. */
  readonly restoreResults: ResultReader;
  /** URL the renderer fetches a stored display image or raw mask from (same scheme as restore results). */
  readonly urlFor: (handle: string) => string;
  /** Folder for the recent-files list; in memory only when absent. */
  readonly stateDir?: string;
  /** Parent of per-document scratch folders (default: the OS temp folder). */
  readonly scratchRoot?: string;
  /** The files and folders the person chose (src/main/access/grants.ts). */
  readonly grants: GrantTable;
  /** The photo of a batch item, for `document:open { batchId, itemId }`; absent where there are no batches. */
  readonly batchPhoto?: (batchId: string, itemId: number) => string | undefined;
  /** Auto tone on an image file (the restore engine, nothing filled), for exports with tone still pending. */
  readonly toneOnly?: (imagePath: string, tone: ToneOptions) => Promise<Uint8Array>;
}

export interface DocumentsCapability {
  readonly handlers: HandlerModule;
  readonly documents: DocumentStore;
  /** Display images and raw masks, served by the same transport as restore results. */
  readonly images: ResultReader;
  /** Recently opened photos and projects (the app menu lists them too). */
  readonly recent: RecentFiles;
  dispose(): Promise<void>;
}

export function createDocumentsCapability(options: DocumentsCapabilityOptions): DocumentsCapability {
  // Previews are small, full views and raw masks large; the oldest go first past the budget and are re-made on request.
  const images = new ResultStore(64, 1024 * 1024 * 1024);
  const documents = new DocumentStore({
    images,
    urlFor: options.urlFor,
    restoreResults: options.restoreResults,
    scratchRoot: options.scratchRoot,
    grants: options.grants,
  });
  const recent = new RecentFiles(options.stateDir ? path.join(options.stateDir, 'recent-files.json') : null);
  return {
    handlers: createDocumentHandlers({ documents, recent, images, urlFor: options.urlFor, grants: options.grants, batchPhoto: options.batchPhoto, toneOnly: options.toneOnly }),
    documents,
    images,
    recent,
    async dispose() {
      await documents.dispose();
      images.clear();
    },
  };
}
