import path from 'node:path';
import type { batchStartArgsSchema } from '@shared/ipc/batch';
import { DEFAULT_NAME_TEMPLATE } from '@shared/ipc/batch-template';
import type { z } from 'zod';
import { IpcFailure } from '../ipc/router';
import { detectSettings } from '../restore/auto-mask';
import type { BatchSpec, MaskSource } from './types';

type StartArgs = z.output<typeof batchStartArgsSchema>;

/**
 * `batch:start` arguments (already schema-checked) as a BatchSpec, with the
 * defaults a person gets in the app: same format, `{stem}.{ext}`, and
 * collisions skipped, so starting the same batch again resumes it.
 */
export function specFromArgs(arg: StartArgs): BatchSpec {
  const input: BatchSpec['input'] =
    'folder' in arg.input
      ? { kind: 'folder', dir: absolute(arg.input.folder, 'input.folder'), recursive: arg.input.recursive ?? false }
      : { kind: 'files', paths: arg.input.files.map((f, i) => absolute(f, `input.files.${i}`)) };
  return {
    input,
    masks: maskSource(arg.masks),
    output: {
      dir: absolute(arg.output.folder, 'output.folder'),
      template: arg.output.template ?? DEFAULT_NAME_TEMPLATE,
      format: arg.output.format ?? 'same',
      quality: arg.output.quality,
      collision: arg.output.collision ?? 'skip',
    },
    options: { invertMask: arg.options?.invertMask, dilatePx: arg.options?.dilatePx, qualityMode: arg.options?.qualityMode, grain: arg.options?.grain, tone: arg.options?.tone },
  };
}

function maskSource(masks: StartArgs['masks']): MaskSource {
  if ('auto' in masks) return { kind: 'auto', detect: detectSettings(masks) };
  if ('sidecar' in masks) return { kind: 'sidecar' };
  if ('none' in masks) return { kind: 'none' };
  if ('folder' in masks) return { kind: 'folder', dir: absolute(masks.folder, 'masks.folder') };
  return { kind: 'file', path: absolute(masks.file, 'masks.file') };
}

/** Relative paths would resolve against main's working folder, which the renderer cannot know. */
function absolute(p: string, field: string): string {
  if (!path.isAbsolute(p)) throw new IpcFailure('INVALID_ARGUMENT', `${field} must be an absolute path`);
  return path.normalize(p);
}
