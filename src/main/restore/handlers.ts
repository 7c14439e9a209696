import path from 'node:path';
import type { RestoreRunArgs, RestoreRunResult } from '@shared/ipc/restore';
import { defineHandlers, type HandlerModule } from '../ipc/handlers';
import { IpcFailure } from '../ipc/router';
import { newJobId } from '../jobs/job-id';
import type { RestoreEngine } from './engine';
import { detectSettings } from './auto-mask';
import type { ResultStore } from '../jobs/result-store';
import type { MaskInput, OutputTarget, RestoreRequest } from './types';

export interface RestoreHandlerDeps {
  readonly engine: RestoreEngine;
  readonly results: ResultStore;
  /** URL the renderer loads a stored result from (patina:// in Electron, an http route in the bridge). */
  readonly resultUrl: (handle: string) => string;
  /** Resolves `image: { id }` to a path; absent until something (documents, batch) hands out ids. */
  readonly resolveImageId?: (id: string) => string | undefined;
}

/**
 * `restore:run` / `restore:cancel`, and `restore:progress` events to the caller.
 * Arguments arrive validated against the contract's schemas; here they are
 * checked for what a schema cannot know (absolute paths, known ids) and turned
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
        imagePath: resolveImage(arg.image, deps.resolveImageId),
        mask: toMaskInput(arg.mask),
        output: toOutputTarget(arg.output),
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

function resolveImage(image: RestoreRunArgs['image'], resolveId: RestoreHandlerDeps['resolveImageId']): string {
  if ('path' in image) return absolute(image.path, 'image.path');
  const found = resolveId?.(image.id);
  if (!found) throw new IpcFailure('NOT_FOUND', `No open image with id "${image.id}"`);
  return found;
}

function toMaskInput(mask: RestoreRunArgs['mask']): MaskInput {
  if ('png' in mask) return { kind: 'bytes', bytes: mask.png };
  if ('path' in mask) return { kind: 'file', path: absolute(mask.path, 'mask.path') };
  if ('none' in mask) return { kind: 'none' };
  return { kind: 'auto', detect: detectSettings(mask) };
}

function toOutputTarget(output: RestoreRunArgs['output']): OutputTarget {
  if (!output || 'preview' in output) return { kind: 'buffer' };
  return { kind: 'file', path: absolute(output.path, 'output.path'), ifExists: output.overwrite ? 'overwrite' : 'fail' };
}

/** Relative paths would resolve against main's cwd, which the renderer cannot know. */
function absolute(p: string, field: string): string {
  if (!path.isAbsolute(p)) throw new IpcFailure('INVALID_ARGUMENT', `${field} must be an absolute path`);
  return path.normalize(p);
}

function emptyResult(jobId: string, status: 'restored' | 'skipped'): RestoreRunResult {
  return { jobId, status, handle: null, url: null, outputPath: null, width: null, height: null, crops: null, totalMs: null, qualityMode: null, tone: null };
}
