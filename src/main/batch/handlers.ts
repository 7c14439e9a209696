import type { BatchProgress } from '@shared/ipc/batch';
import type { GrantTable } from '../access/grants';
import { defineHandlers, type HandlerModule } from '../ipc/handlers';
import { IpcFailure } from '../ipc/router';
import type { BatchManager } from './manager';
import { openBatchResult, type OpenResultDeps } from './open-result';
import { BatchSetupError } from './plan';
import type { BatchSession } from './session';
import { specFromArgs } from './spec-args';
import type { BatchThumbnails } from './thumbnails';

export interface BatchHandlerDeps {
  readonly manager: BatchManager;
  readonly thumbnails: BatchThumbnails;
  /** Opens a restored item in the editor; absent where there are no documents (tests of the queue alone). */
  readonly openResult?: OpenResultDeps;
  /** Shows a folder in the system's file manager (Electron's shell); absent in hosts without one. */
  readonly openFolder?: (dir: string) => Promise<boolean>;
  /** The files and folders the person chose: the only paths `batch:start` can reach. */
  readonly grants: GrantTable;
}

/**
 * `batch:*`: start (or resume) a batch, watch it, steer it. Arguments arrive
 * schema-checked; here they are checked for what a schema cannot know
 * (granted handles, known batch and item ids).
 */
export function createBatchHandlers(deps: BatchHandlerDeps): HandlerModule {
  const { manager } = deps;
  const find = (batchId: string): BatchSession => {
    const session = manager.session(batchId);
    if (!session) throw new IpcFailure('NOT_FOUND', `No batch with id "${batchId}" in this session`);
    return session;
  };
  const steer = (batchId: string, action: (s: BatchSession) => void): BatchProgress => {
    const session = find(batchId);
    action(session);
    return session.runner.progress();
  };

  return defineHandlers({
    'batch:start': async (arg, ctx) => setupErrors(() => manager.start(specFromArgs(arg, deps.grants), ctx)),
    'batch:get': (arg, ctx) => {
      const snapshot = manager.get(arg.batchId, ctx);
      if (!snapshot) throw new IpcFailure('NOT_FOUND', `No batch with id "${arg.batchId}" in this session`);
      return snapshot;
    },
    'batch:list': () => ({ batches: manager.list() }),
    'batch:pause': (arg) => steer(arg.batchId, (s) => s.runner.pause()),
    'batch:resume': (arg) => steer(arg.batchId, (s) => s.runner.resume()),
    'batch:cancel': (arg) => steer(arg.batchId, (s) => s.runner.cancel()),
    'batch:retry-failed': async (arg) => {
      const session = find(arg.batchId);
      await setupErrors(() => session.retryFailed());
      return session.runner.progress();
    },
    'batch:thumbnail': async (arg) => {
      const session = find(arg.batchId);
      const item = session.runner.items[arg.itemId];
      if (!item) throw new IpcFailure('NOT_FOUND', `Batch ${arg.batchId} has no item ${arg.itemId}`);
      if (!item.mask) return { url: null }; // not a photo: never opened
      if (arg.variant === 'source') return { url: await deps.thumbnails.urlOf(`${arg.batchId}:${item.id}:source`, item.source) };
      if (item.state !== 'done' || !item.output) return { url: null };
      return { url: await deps.thumbnails.urlOf(`${arg.batchId}:${item.id}:output:${item.doneInRun}:${item.ms}`, item.output) };
    },
    'batch:open-item': async (arg) => {
      const session = find(arg.batchId);
      const item = session.runner.items[arg.itemId];
      if (!item) throw new IpcFailure('NOT_FOUND', `Batch ${arg.batchId} has no item ${arg.itemId}`);
      if (!deps.openResult) throw new IpcFailure('UNAVAILABLE', 'Opening batch results is not available here');
      return openBatchResult(deps.openResult, item, session.spec);
    },
    'batch:open-output': async (arg) => {
      const session = find(arg.batchId);
      if (!deps.openFolder) return { opened: false };
      return { opened: await deps.openFolder(session.spec.output.dir) };
    },
  });
}

/** A batch that cannot start as asked is the person's to fix: a clear code, not INTERNAL. */
async function setupErrors<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (err instanceof BatchSetupError) throw new IpcFailure('BATCH_INVALID', err.message);
    throw err;
  }
}
