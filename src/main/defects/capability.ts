import type { GrantTable } from '../access/grants';
import type { HandlerModule } from '../ipc/handlers';
import { ResultStore, type ResultReader } from '../jobs/result-store';
import { DefectsEngine } from './engine';
import { createDefectsHandlers } from './handlers';
import { SnapEngine } from './snap-engine';
import { createSnapHandlers } from './snap-handlers';

export interface DefectsCapabilityOptions {
  /** The app's models folder (the damage model sits in its defects/ subfolder). */
  readonly modelsDir: string;
  /** How the renderer reaches a stored mask (the backend's shared result URL scheme). */
  readonly resultUrl: (handle: string) => string;
  readonly resolveImageId?: (id: string) => string | undefined;
  readonly grants: GrantTable;
  /** Built defects-worker.js; found beside the built main code when omitted. */
  readonly workerPath?: string;
  /** Built snap-worker.js (the snapping brush); found beside the built main code when omitted. */
  readonly snapWorkerPath?: string;
}

export interface DefectsCapability {
  readonly engine: DefectsEngine;
  readonly handlers: HandlerModule;
  /** Detected masks by handle, served by the same transport as restore results. */
  readonly results: ResultReader;
  dispose(): Promise<void>;
}

/** Everything automatic damage detection adds to the backend (see src/main/backend.ts). */
export function createDefectsCapability(options: DefectsCapabilityOptions): DefectsCapability {
  const engine = new DefectsEngine({ modelsDir: options.modelsDir, workerPath: options.workerPath });
  // Masks are a byte per pixel before compression, and only the latest few are shown.
  const results = new ResultStore(4, 256 * 1024 * 1024);
  const handlers = createDefectsHandlers({ engine, results, resultUrl: options.resultUrl, resolveImageId: options.resolveImageId, grants: options.grants });
  // The snapping brush: its own worker (strokes never wait behind a detection) and its own small
  // store, so a burst of strokes cannot push a detected mask out before the renderer loads it.
  const snapEngine = new SnapEngine({ workerPath: options.snapWorkerPath });
  const snapResults = new ResultStore(16, 64 * 1024 * 1024);
  const snapHandlers = createSnapHandlers({ engine: snapEngine, results: snapResults, resultUrl: options.resultUrl, resolveImageId: options.resolveImageId, grants: options.grants });
  return {
    engine,
    handlers: { ...handlers, ...snapHandlers },
    results: { get: (handle) => results.get(handle) ?? snapResults.get(handle) },
    async dispose() {
      await Promise.all([engine.close(), snapEngine.close()]);
      results.clear();
      snapResults.clear();
    },
  };
}
