import type { RestoreStats } from './types';

/** What the passes after the fill did to one photo: auto tone, grain matching, detail transfer. */
export type AppliedPasses = Pick<RestoreStats, 'tone' | 'grain' | 'texture'>;

/**
 * The passes' records `from` holds, absent ones left out rather than undefined: the one copy the
 * batch item, its report and the CLI's JSON take from the restore's stats, so a new pass is added here.
 */
export function appliedPasses(from: AppliedPasses): AppliedPasses {
  return {
    ...(from.tone ? { tone: from.tone } : {}),
    ...(from.grain ? { grain: from.grain } : {}),
    ...(from.texture ? { texture: from.texture } : {}),
  };
}
