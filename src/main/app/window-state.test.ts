import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  DEFAULT_WINDOW_STATE,
  fitToDisplays,
  loadWindowState,
  MIN_WINDOW_SIZE,
  saveWindowState,
  type Rect,
} from './window-state';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'patina-window-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('window state file', () => {
  it('round-trips through an atomic write and leaves no temporary files', async () => {
    const file = path.join(dir, 'nested', 'window-state.json');
    const state = { x: 10, y: 20, width: 1400, height: 900, maximized: true };
    await saveWindowState(file, state);
    await expect(loadWindowState(file)).resolves.toEqual(state);
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual(state);
    expect(await readdir(path.dirname(file))).toEqual(['window-state.json']);
  });

  it('overwrites the previous state', async () => {
    const file = path.join(dir, 'window-state.json');
    await saveWindowState(file, { width: 1000, height: 700, maximized: false });
    await saveWindowState(file, { width: 1100, height: 750, maximized: true });
    await expect(loadWindowState(file)).resolves.toEqual({ width: 1100, height: 750, maximized: true });
  });

  it.each([
    ['missing', null],
    ['truncated JSON', '{"width": 12'],
    ['wrong shape', JSON.stringify({ width: 'wide', height: 10, maximized: false })],
    ['negative size', JSON.stringify({ width: -5, height: 10, maximized: false })],
  ])('treats a %s file as no saved state', async (_label, content) => {
    const file = path.join(dir, 'window-state.json');
    if (content !== null) await writeFile(file, content);
    await expect(loadWindowState(file)).resolves.toBeNull();
  });

  it('rejects a failed write and cleans up its temporary file', async () => {
    // The target is a non-empty directory, so the final rename must fail.
    const file = path.join(dir, 'occupied');
    await mkdir(path.join(file, 'child'), { recursive: true });
    await expect(saveWindowState(file, DEFAULT_WINDOW_STATE)).rejects.toThrow();
    expect((await readdir(dir)).filter((n) => n.endsWith('.tmp'))).toEqual([]);
  });
});

describe('fitToDisplays', () => {
  const primary: Rect = { x: 0, y: 0, width: 1920, height: 1040 };
  const right: Rect = { x: 1920, y: 0, width: 1280, height: 1000 };

  it('uses the defaults, centred, when nothing was saved', () => {
    expect(fitToDisplays(null, [primary])).toEqual(DEFAULT_WINDOW_STATE);
  });

  it('keeps a position that is on a display', () => {
    const saved = { x: 2000, y: 50, width: 1000, height: 800, maximized: false };
    expect(fitToDisplays(saved, [primary, right])).toEqual(saved);
  });

  it('drops the position when its display is gone', () => {
    const saved = { x: 2000, y: 50, width: 1000, height: 800, maximized: true };
    expect(fitToDisplays(saved, [primary])).toEqual({ width: 1000, height: 800, maximized: true });
  });

  it('clamps sizes to the minimum and to the largest display', () => {
    expect(fitToDisplays({ width: 100, height: 50, maximized: false }, [primary])).toMatchObject(MIN_WINDOW_SIZE);
    expect(fitToDisplays({ width: 9000, height: 9000, maximized: false }, [primary, right])).toMatchObject({
      width: 1920,
      height: 1040,
    });
  });
});
