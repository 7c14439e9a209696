import { DEFAULT_DETECT_SENSITIVITY, type DefectsDetectResult, type DefectsFacesResult } from '@shared/ipc/defects';
import { resolvePhoto, type PhotoSources } from '../access/grants';
import { defineHandlers, type CallContext, type HandlerModule } from '../ipc/handlers';
import { IpcFailure } from '../ipc/router';
import { newJobId } from '../jobs/job-id';
import type { ResultStore } from '../jobs/result-store';
import type { DefectsEngine, DetectHandle } from './engine';

export interface DefectsHandlerDeps extends PhotoSources {
  readonly engine: DefectsEngine;
  /** Where the mask PNG waits for the renderer to load it. */
  readonly results: ResultStore;
  /** URL the renderer loads a stored mask from (patina:// in Electron, an http route in the bridge). */
  readonly resultUrl: (handle: string) => string;
}

/**
 * `defects:detect`, `defects:rethreshold` and `defects:cancel`, with
 * `defects:progress` events to the caller, and `defects:faces`. Arguments
 * arrive schema-validated; here they are checked for what a schema cannot
 * know (granted handles, known ids). Masks are stored as PNGs (white =
 * damage) behind handles; only their URLs cross IPC.
 */
export function createDefectsHandlers(deps: DefectsHandlerDeps): HandlerModule {
  // Jobs per caller, so one window (or bridge socket) cannot cancel another's.
  const running = new Map<string, string>();

  const follow = async (jobId: string, sensitivity: number, ctx: CallContext, start: (jobId: string) => DetectHandle) => {
    if (running.has(jobId)) throw new IpcFailure('INVALID_ARGUMENT', `Job ${jobId} is already running`);
    running.set(jobId, ctx.callerId);
    try {
      const result = await start(jobId).result;
      const stored = deps.results.put(result.png, 'image/png');
      const scores = result.scores ? deps.results.put(result.scores.png, 'image/png') : null;
      const answer: DefectsDetectResult = {
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
        scores:
          scores && result.scores
            ? { url: deps.resultUrl(scores), handle: scores, width: result.scores.width, height: result.scores.height, factor: result.scores.factor }
            : null,
      };
      return { answer, reused: result.reused };
    } finally {
      running.delete(jobId);
    }
  };
  const progressTo = (ctx: CallContext) => (event: { jobId: string; done: number; total: number; etaMs: number | null }) =>
    ctx.emit('defects:progress', { jobId: event.jobId, stage: 'detect', done: event.done, total: event.total, etaMs: event.etaMs });

  return defineHandlers({
    'defects:detect': async (arg, ctx) => {
      const imagePath = resolvePhoto(arg.image, deps);
      const sensitivity = arg.sensitivity ?? DEFAULT_DETECT_SENSITIVITY;
      const { answer } = await follow(arg.jobId ?? newJobId(), sensitivity, ctx, (jobId) =>
        deps.engine.detect({ jobId, imagePath, sensitivity, method: arg.method, medium: arg.medium }, progressTo(ctx)),
      );
      return answer;
    },
    'defects:rethreshold': async (arg, ctx) => {
      const imagePath = resolvePhoto(arg.image, deps);
      const { answer, reused } = await follow(arg.jobId ?? newJobId(), arg.sensitivity, ctx, (jobId) =>
        deps.engine.rethreshold({ jobId, imagePath, sensitivity: arg.sensitivity, method: arg.method, medium: arg.medium }, progressTo(ctx)),
      );
      return { ...answer, reused };
    },
    'defects:cancel': (arg, ctx) => {
      if (running.get(arg.jobId) !== ctx.callerId) return { cancelled: false };
      return { cancelled: deps.engine.cancel(arg.jobId) };
    },
    'defects:faces': async (arg) => {
      const found = await deps.engine.faces(resolvePhoto(arg.image, deps));
      return {
        width: found.width,
        height: found.height,
        faces: found.faces.map((f) => ({ x: f.x, y: f.y, width: f.width, height: f.height, score: f.score })),
        note: found.note,
        ms: found.ms,
      } satisfies DefectsFacesResult;
    },
  });
}
