import type { batchStartArgsSchema } from '@shared/ipc/batch';
import { DEFAULT_NAME_TEMPLATE } from '@shared/ipc/batch-template';
import type { z } from 'zod';
import type { GrantTable } from '../access/grants';
import { detectSettings } from '../restore/auto-mask';
import type { BatchSpec, MaskSource } from './types';

type StartArgs = z.output<typeof batchStartArgsSchema>;

/**
 * `batch:start` arguments (already schema-checked) as a BatchSpec, with the
 * defaults a person gets in the app: same format, `{stem}.{ext}`, and
 * collisions skipped, so starting the same batch again resumes it. Every
 * file and folder comes as a handle the person granted (a folder chooser, an
 * Open dialog); an unknown one refuses the whole batch before anything runs.
 */
export function specFromArgs(arg: StartArgs, grants: GrantTable): BatchSpec {
  const input: BatchSpec['input'] =
    'folder' in arg.input
      ? { kind: 'folder', dir: grants.use(arg.input.folder, 'folder', { field: 'input.folder' }), recursive: arg.input.recursive ?? false }
      : { kind: 'files', paths: arg.input.files.map((f, i) => grants.use(f, 'read', { field: `input.files.${i}` })) };
  return {
    input,
    masks: maskSource(arg.masks, grants),
    output: {
      dir: grants.use(arg.output.folder, 'folder', { field: 'output.folder' }),
      template: arg.output.template ?? DEFAULT_NAME_TEMPLATE,
      format: arg.output.format ?? 'same',
      quality: arg.output.quality,
      collision: arg.output.collision ?? 'skip',
    },
    options: { invertMask: arg.options?.invertMask, dilatePx: arg.options?.dilatePx, qualityMode: arg.options?.qualityMode, grain: arg.options?.grain, texture: arg.options?.texture, tone: arg.options?.tone },
  };
}

function maskSource(masks: StartArgs['masks'], grants: GrantTable): MaskSource {
  if ('auto' in masks) return { kind: 'auto', detect: detectSettings(masks) };
  if ('sidecar' in masks) return { kind: 'sidecar' };
  if ('none' in masks) return { kind: 'none' };
  if ('folder' in masks) return { kind: 'folder', dir: grants.use(masks.folder, 'folder', { field: 'masks.folder' }) };
  return { kind: 'file', path: grants.use(masks.file, 'read', { field: 'masks.file' }) };
}
