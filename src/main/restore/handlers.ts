import type { RestoreRunArgs, RestoreRunResult } from '@shared/ipc/restore';
import { resolvePhoto, type GrantTable, type PhotoSources } from '../access/grants';
import { defineHandlers, type HandlerModule } from '../ipc/handlers';
import { IpcFailure } from '../ipc/router';
import { newJobId } from '../jobs/job-id';
import type { RestoreEngine } from './engine';
import { detectSettings } from './auto-mask';
import type { ResultStore } from '../jobs/result-store';
import type { MaskInput, OutputTarget, RestoreRequest } from './types';

export interface RestoreHandlerDeps extends PhotoSources {
  readonly engine: RestoreEngine;
  readonly results: ResultStore;
  /** URL the renderer loads a stored result from (patina:// in Electron, an http route in the bridge). */
  readonly resultUrl: (handle: string) => string;
}

/**
 * `restore:run` / `restore:cancel`, and `restore:progress` events to the caller.
 * Arguments arrive validated against the contract's schemas; here they are
 * checked for what a schema cannot know (granted handles, known ids) and turned
 * into the engine's one RestoreRequest.
 */
export function createRestoreHandlers(deps: RestoreHandlerDeps): HandlerModule {
  // Jobs per caller, so one window (or bridge socket) cannot cancel another's.
  const running = new Map<string, string>();

  return defineHandlers({
    'restore:run': async (arg, ctx) => {
      const jobId = arg.jobId ?? newJobId();
      if (running.has(jobId)) throw new IpcFailure('INVALID_ARGUMENT', `Job ${jobId} is already running`);
      const request: RestoreRequest = {
        jobId,
        imagePath: resolvePhoto(arg.image, deps),
        mask: toMaskInput(arg.mask, deps.grants),
        output: toOutputTarget(arg.output, deps.grants),
        options: arg.options,
      };
      running.set(jobId, ctx.callerId);
      try {
        const result = await deps.engine.run(request, (event) => ctx.emit('restore:progress', event)).result;
        if (result.status === 'skipped') {
          return { ...emptyResult(jobId, 'skipped'), outputPath: result.outputPath };
        }
        const handle = result.bytes ? deps.results.put(result.bytes, result.mime ?? 'image/png') : null;
        return {
          jobId,
          status: 'restored',
          handle,
          url: handle ? deps.resultUrl(handle) : null,
          outputPath: result.outputPath ?? null,
          width: result.stats.width,
          height: result.stats.height,
          crops: result.stats.crops,
          totalMs: result.stats.totalMs,
          qualityMode: result.stats.qualityMode ?? null,
          tone: result.stats.tone ?? null,
        } satisfies RestoreRunResult;
      } finally {
        running.delete(jobId);
      }
    },
    'restore:cancel': (arg, ctx) => {
      if (running.get(arg.jobId) !== ctx.callerId) return { cancelled: false };
      return { cancelled: deps.engine.cancel(arg.jobId) };
    },
  });
}

function toMaskInput(mask: RestoreRunArgs['mask'], grants: GrantTable): MaskInput {
  if ('png' in mask) return { kind: 'bytes', bytes: mask.png };
  if ('grant' in mask) return { kind: 'file', path: grants.use(mask.grant, 'read', { field: 'mask.grant' }) };
  if ('none' in mask) return { kind: 'none' };
  return { kind: 'auto', detect: detectSettings(mask) };
}

/** A file output needs a write handle; the worker's write rule still keeps it off the photo itself. */
function toOutputTarget(output: RestoreRunArgs['output'], grants: GrantTable): OutputTarget {
  if (!output || 'preview' in output) return { kind: 'buffer' };
  return { kind: 'file', path: grants.use(output.grant, 'write', { field: 'output.grant' }), ifExists: output.overwrite ? 'overwrite' : 'fail' };
}

function emptyResult(jobId: string, status: 'restored' | 'skipped'): RestoreRunResult {
  return { jobId, status, handle: null, url: null, outputPath: null, width: null, height: null, crops: null, totalMs: null, qualityMode: null, tone: null };
}
