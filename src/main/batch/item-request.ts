import { formatForExtension } from '../imaging/encode';
import { EngineError } from '../errors/engine-error';
import { protectedInputsOf } from './plan';
import type { MaskInput, RestoreRequest } from '../restore/types';
import type { SidecarMasks } from './sidecar';
import type { BatchItem, BatchSpec } from './types';

/** An item's mask as the engine takes it; throws MASK_UNREADABLE when it has none. */
export async function maskInputFor(item: BatchItem, sidecars: SidecarMasks): Promise<MaskInput> {
  const plan = item.mask;
  if (!plan) throw new EngineError('INTERNAL', `Item ${item.rel} is not a photo`);
  switch (plan.kind) {
    case 'file':
      return { kind: 'file', path: plan.path };
    case 'auto':
      return plan;
    case 'sidecar':
      return sidecars.maskFor(item.source);
    case 'none':
      return { kind: 'none' };
    case 'missing':
      throw new EngineError('MASK_UNREADABLE', plan.message);
  }
}

/**
 * The engine request for an item whose output is claimed: the batch's
 * options, its format, and its collision policy ('rename' already picked a
 * free name, so an output appearing meanwhile is an error, never overwritten).
 */
export function restoreRequestFor(item: BatchItem, mask: MaskInput, spec: BatchSpec): RestoreRequest {
  const ifExists = spec.output.collision === 'rename' ? 'fail' : spec.output.collision;
  return {
    imagePath: item.source,
    mask,
    // 'same' follows the output's extension, so a JPEG named .png comes out as a real PNG.
    output: { kind: 'file', path: item.output!, ifExists, format: spec.output.format === 'same' ? (formatForExtension(item.output!) ?? 'same') : spec.output.format },
    options: {
      // Inverting applies to mask images a person supplied, not to detected or editor masks.
      invertMask: mask.kind === 'file' ? spec.options.invertMask : false,
      dilatePx: spec.options.dilatePx,
      qualityMode: spec.options.qualityMode,
      grain: spec.options.grain,
      texture: spec.options.texture,
      tone: spec.options.tone,
      quality: spec.output.quality,
    },
    protect: protectedInputsOf(spec),
  };
}
