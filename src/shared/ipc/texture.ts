/**
 * Detail transfer after the fill (issue 25): wide holes get the fine detail of matching known
 * patches around them, so a fill on grass or fabric shows structure, not a smear.
 * Shared by `restore:run`, `batch:start`, the CLI (`--texture`) and the settings page.
 */
import { z } from 'zod';
import { TEXTURE_MODES, type TextureMode } from './choices';

export { TEXTURE_MODES, type TextureMode };
export const textureModeSchema = z.enum(TEXTURE_MODES);
export const DEFAULT_TEXTURE_MODE: TextureMode = 'on';

export const TEXTURE_MODE_LABELS: Readonly<Record<TextureMode, string>> = {
  on: 'Textured fills (detail from around the hole)',
  off: 'Smooth fills',
};

/** What detail transfer did to one photo: recorded in the CLI's JSON and the batch report. */
export interface AppliedTexture {
  readonly mode: TextureMode;
  /** Whether detail was added. */
  readonly applied: boolean;
  /** Mask pixels that got detail (only those a few pixels inside a hole). */
  readonly pixels: number;
}
