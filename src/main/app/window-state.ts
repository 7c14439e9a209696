import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';

/*
 * Window size/position memory. Deliberately free of `electron` so it runs
 * under Vitest: window.ts feeds it the display work areas and the window's
 * bounds, this file decides and persists.
 */

export interface Rect {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

export interface WindowState {
  /** Undefined position means "let the OS centre it". Screen coordinates, DIP. */
  readonly x?: number;
  readonly y?: number;
  readonly width: number;
  readonly height: number;
  readonly maximized: boolean;
}

export const DEFAULT_WINDOW_STATE: WindowState = { width: 1280, height: 820, maximized: false };
export const MIN_WINDOW_SIZE = { width: 880, height: 560 } as const;

const stateSchema = z.object({
  x: z.number().int().optional(),
  y: z.number().int().optional(),
  width: z.number().int().positive(),
  height: z.number().int().positive(),
  maximized: z.boolean(),
});

/** Reads the saved state; a missing or corrupt file yields null (the defaults apply), never an error. */
export async function loadWindowState(file: string): Promise<WindowState | null> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    return null;
  }
  try {
    const parsed = stateSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/**
 * Writes via a temporary file and rename, so a crash or full disk mid-write
 * leaves the previous state intact rather than a truncated JSON file.
 */
export async function saveWindowState(file: string, state: WindowState): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const tmp = `${file}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    const handle = await open(tmp, 'w');
    try {
      await handle.writeFile(`${JSON.stringify(state, null, 2)}\n`, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(tmp, file);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}

/**
 * Makes a saved state safe for the current monitors: sizes are clamped to the
 * minimum and to the largest work area, and a position is kept only when at
 * least a grabbable part of the title bar (100x40 DIP) lies on some display;
 * otherwise the window is centred (position dropped). Monitors get unplugged.
 */
export function fitToDisplays(state: WindowState | null, workAreas: readonly Rect[]): WindowState {
  const base = state ?? DEFAULT_WINDOW_STATE;
  const maxW = Math.max(MIN_WINDOW_SIZE.width, ...workAreas.map((a) => a.width));
  const maxH = Math.max(MIN_WINDOW_SIZE.height, ...workAreas.map((a) => a.height));
  const width = clamp(base.width, MIN_WINDOW_SIZE.width, maxW);
  const height = clamp(base.height, MIN_WINDOW_SIZE.height, maxH);
  if (base.x === undefined || base.y === undefined) return { width, height, maximized: base.maximized };
  const titleBar: Rect = { x: base.x, y: base.y, width: Math.min(width, 100), height: 40 };
  const visible = workAreas.some((area) => overlap(area, titleBar) >= titleBar.width * titleBar.height * 0.5);
  return visible
    ? { x: base.x, y: base.y, width, height, maximized: base.maximized }
    : { width, height, maximized: base.maximized };
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(Math.max(Math.round(value), min), max);
}

function overlap(a: Rect, b: Rect): number {
  const w = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const h = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  return w > 0 && h > 0 ? w * h : 0;
}
