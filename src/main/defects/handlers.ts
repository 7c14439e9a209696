import { DEFAULT_DETECT_SENSITIVITY, type DefectsDetectArgs, type DefectsDetectResult } from '@shared/ipc/defects';
import type { GrantTable } from '../access/grants';
import { defineHandlers, type HandlerModule } from '../ipc/handlers';
import { IpcFailure } from '../ipc/router';
import { newJobId } from '../jobs/job-id';
import type { ResultStore } from '../jobs/result-store';
import type { DefectsEngine } from './engine';

export interface DefectsHandlerDeps {
  readonly engine: DefectsEngine;
  /** Where the mask PNG waits for the renderer to load it. */
  readonly results: ResultStore;
  /** URL the renderer loads a stored mask from (patina:// in Electron, an http route in the bridge). */
  readonly resultUrl: (handle: string) => string;
  /** Resolves `image: { id }` (an open document) to its file path. */
  readonly resolveImageId?: (id: string) => string | undefined;
  /** The files the person chose: the only paths a request can reach. */
  readonly grants: GrantTable;
}

/**
 * `defects:detect` / `defects:cancel`, with `defects:progress` events to the
 * caller. Arguments arrive schema-validated; here they are checked for what a
 * schema cannot know (granted handles, known ids). The mask is stored as a PNG
 * (white = damage) behind a handle; only its URL crosses IPC.
 */
export function createDefectsHandlers(deps: DefectsHandlerDeps): HandlerModule {
  // Jobs per caller, so one window (or bridge socket) cannot cancel another's.
  const running = new Map<string, string>();
  return defineHandlers({
    'defects:detect': async (arg, ctx) => {
      const jobId = arg.jobId ?? newJobId();
      if (running.has(jobId)) throw new IpcFailure('INVALID_ARGUMENT', `Job ${jobId} is already running`);
      const imagePath = resolveImage(arg.image, deps);
      const sensitivity = arg.sensitivity ?? DEFAULT_DETECT_SENSITIVITY;
      running.set(jobId, ctx.callerId);
      try {
        const handle = deps.engine.detect({ jobId, imagePath, sensitivity, method: arg.method }, (event) =>
          ctx.emit('defects:progress', { jobId: event.jobId, stage: 'detect', done: event.done, total: event.total, etaMs: event.etaMs }),
        );
        const result = await handle.result;
        const stored = deps.results.put(result.png, 'image/png');
        return {
          jobId,
          url: deps.resultUrl(stored),
          handle: stored,
          width: result.width,
          height: result.height,
          flaggedPixels: result.stats.flaggedPixels,
          strokes: result.stats.strokes,
          specks: result.stats.specks,
          corners: result.stats.corners,
          sensitivity,
          method: result.stats.method,
          note: result.stats.note ?? null,
          ms: result.stats.ms,
        } satisfies DefectsDetectResult;
      } finally {
        running.delete(jobId);
      }
    },
    'defects:cancel': (arg, ctx) => {
      if (running.get(arg.jobId) !== ctx.callerId) return { cancelled: false };
      return { cancelled: deps.engine.cancel(arg.jobId) };
    },
  });
}

function resolveImage(image: DefectsDetectArgs['image'], deps: DefectsHandlerDeps): string {
  if ('grant' in image) return deps.grants.use(image.grant, 'read', { field: 'image.grant' });
  const found = deps.resolveImageId?.(image.id);
  if (!found) throw new IpcFailure('NOT_FOUND', `No open image with id "${image.id}"`);
  return found;
}
