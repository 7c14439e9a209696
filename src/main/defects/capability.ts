import type { HandlerModule } from '../ipc/handlers';
import { ResultStore, type ResultReader } from '../jobs/result-store';
import { DefectsEngine } from './engine';
import { createDefectsHandlers } from './handlers';

export interface DefectsCapabilityOptions {
  /** The app's models folder (the damage model sits in its defects/ subfolder). */
  readonly modelsDir: string;
  /** How the renderer reaches a stored mask (the backend's shared result URL scheme). */
  readonly resultUrl: (handle: string) => string;
  readonly resolveImageId?: (id: string) => string | undefined;
  /** Built defects-worker.js; found beside the built main code when omitted. */
  readonly workerPath?: string;
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
  const handlers = createDefectsHandlers({ engine, results, resultUrl: options.resultUrl, resolveImageId: options.resolveImageId });
  return {
    engine,
    handlers,
    results,
    async dispose() {
      await engine.close();
      results.clear();
    },
  };
}
