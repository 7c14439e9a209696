import type { AutoMaskArgs } from '@shared/ipc/detection';
import type { DetectSettings } from '../defects/detector';

/** The detection settings an IPC `{ auto: true, ... }` mask names, or none (the detector's defaults). */
export function detectSettings(mask: AutoMaskArgs): DetectSettings | undefined {
  if (mask.sensitivity === undefined && mask.method === undefined && mask.medium === undefined) return undefined;
  return {
    ...(mask.sensitivity === undefined ? {} : { sensitivity: mask.sensitivity }),
    ...(mask.method === undefined ? {} : { method: mask.method }),
    ...(mask.medium === undefined ? {} : { medium: mask.medium }),
  };
}
