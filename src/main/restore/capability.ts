import type { GrantTable } from '../access/grants';
import type { HandlerModule } from '../ipc/handlers';
import type { DeviceSetting } from '../inference/providers';
import { RestoreEngine } from './engine';
import { createRestoreHandlers } from './handlers';
import { ResultStore, type ResultReader } from '../jobs/result-store';

export interface RestoreCapabilityOptions {
  readonly modelsDir: string;
  readonly device?: DeviceSetting;
  /** Built restore-worker.js; found beside the built engine when omitted. */
  readonly workerPath?: string;
  /** How the renderer reaches a stored result; defaults to the Electron patina:// scheme. */
  readonly resultUrl?: (handle: string) => string;
  readonly resolveImageId?: (id: string) => string | undefined;
  /** The files and folders the person chose (src/main/access/grants.ts). */
  readonly grants: GrantTable;
}

export interface RestoreCapability {
  readonly engine: RestoreEngine;
  readonly handlers: HandlerModule;
  readonly results: ResultReader;
  /**
   * The execution provider the session actually runs on, for `app:info`.
   * Loads the model on first call (a warm-up the first restore would pay
   * anyway). When the model cannot load, 'cpu' is what a fixed install
   * would use; the model problem itself is reported as app:info's modelIssue.
   */
  executionProvider(): Promise<string>;
  dispose(): Promise<void>;
}

export const RESULT_SCHEME = 'patina';
export const resultSchemeUrl = (handle: string): string => `${RESULT_SCHEME}://result/${handle}`;

/** Everything the restore feature adds to the backend (see src/main/backend.ts). */
export function createRestoreCapability(options: RestoreCapabilityOptions): RestoreCapability {
  const engine = new RestoreEngine({ modelsDir: options.modelsDir, device: options.device, workerPath: options.workerPath });
  const results = new ResultStore();
  const handlers = createRestoreHandlers({
    engine,
    results,
    resultUrl: options.resultUrl ?? resultSchemeUrl,
    resolveImageId: options.resolveImageId,
    grants: options.grants,
  });
  return {
    engine,
    handlers,
    results,
    async executionProvider() {
      try {
        return (await engine.status(true)).provider ?? 'cpu';
      } catch (err) {
        console.error('[restore] engine status unavailable:', err instanceof Error ? err.message : err);
        return 'cpu';
      }
    },
    async dispose() {
      await engine.close();
      results.clear();
    },
  };
}
