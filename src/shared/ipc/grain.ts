/**
 * Grain matching after the fill (issue 26 item 7): the fill gets noise matching the grain
 * measured around each hole, so a patch on a grainy print does not read as a smooth smear.
 * Shared by `restore:run`, `batch:start`, the CLI (`--grain`) and the settings page.
 */
import { z } from 'zod';
import { GRAIN_MODES, type GrainMode } from './choices';

export { GRAIN_MODES, type GrainMode };
export const grainModeSchema = z.enum(GRAIN_MODES);
export const DEFAULT_GRAIN_MODE: GrainMode = 'auto';

export const GRAIN_MODE_LABELS: Readonly<Record<GrainMode, string>> = {
  auto: 'Match grain on grainy photos',
  on: 'Always match grain',
  off: 'Smooth fills (no grain)',
};

/** What grain matching did to one photo: recorded in the CLI's JSON and the batch report. */
export interface AppliedGrain {
  readonly mode: GrainMode;
  /** Whether noise was added. */
  readonly applied: boolean;
  /** The grain measured around the holes, as a noise sigma in 8-bit units. */
  readonly sigma: number;
  /** The grain size matched: Gaussian blur of the added noise, px (0 = per-pixel noise). */
  readonly blurPx: number;
}
