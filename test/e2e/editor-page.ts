import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, type Page, type TestInfo } from '@playwright/test';
import sharp from 'sharp';
import type { Bridge } from '../../src/main/bridge/server';
import { ensureArtifactsDir } from './fixtures';
import { sharedData } from './paths';

/*
 * Driving the editor the way a person does (toolbar, canvas, panels), with
 * strokes given in photo pixels and turned into screen positions through the
 * view transform the canvas publishes (data-zoom, data-pan-x, data-pan-y).
 */

/** A real old photograph from the shared data set, 644 x 900 RGB PNG. Copied: shared/ is never written. */
export const SAMPLE_PHOTO = sharedData('damaged/bopb_old_photos/old/b.png');

export interface ImagePoint {
  readonly x: number;
  readonly y: number;
}

/**
 * A private folder for one test's photos, removed afterwards. Not under
 * Playwright's outputDir: another run starting meanwhile would wipe that.
 */
export async function photoFolder(testInfo: TestInfo): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'patina-e2e-'));
  testInfo.attachments.push({ name: 'photo folder', contentType: 'text/plain', body: Buffer.from(dir) });
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

const cleanups: (() => Promise<void>)[] = [];

/** Removes the photo folders of finished tests (call from test.afterEach). */
export async function cleanPhotoFolders(): Promise<void> {
  await Promise.all(cleanups.splice(0).map((c) => c()));
}

export async function copySample(testInfo: TestInfo, name = 'garden girl.png'): Promise<string> {
  const file = path.join(await photoFolder(testInfo), name);
  await copyFile(SAMPLE_PHOTO, file);
  return file;
}

/** Opens a photo (or project) through the toolbar's Open button and the scripted dialog. */
export async function openThroughDialog(page: Page, bridge: Bridge, file: string): Promise<void> {
  bridge.dialogs.queueOpenImage([file]);
  await page.getByTestId('open').click();
  await expect(page.getByTestId('canvas')).toBeVisible();
  await expect(page.getByTestId('canvas')).toHaveAttribute('data-zoom', /\d/);
}

export async function view(page: Page): Promise<{ zoom: number; panX: number; panY: number; left: number; top: number }> {
  const canvas = page.getByTestId('canvas');
  const box = await canvas.boundingBox();
  if (!box) throw new Error('canvas not visible');
  const data = await canvas.evaluate((el) => ({ ...(el as HTMLElement).dataset }));
  return { zoom: Number(data.zoom), panX: Number(data.panX), panY: Number(data.panY), left: box.x, top: box.y };
}

export async function toScreen(page: Page, p: ImagePoint): Promise<ImagePoint> {
  const v = await view(page);
  return { x: v.left + v.panX + p.x * v.zoom, y: v.top + v.panY + p.y * v.zoom };
}

/** A pointer drag through image-space points, with intermediate moves so the stroke is sampled. */
export async function drag(page: Page, points: readonly ImagePoint[], options: { alt?: boolean } = {}): Promise<void> {
  const screen = [];
  for (const p of points) screen.push(await toScreen(page, p));
  if (options.alt) await page.keyboard.down('Alt');
  await page.mouse.move(screen[0]!.x, screen[0]!.y);
  await page.mouse.down();
  for (let i = 1; i < screen.length; i++) await page.mouse.move(screen[i]!.x, screen[i]!.y, { steps: 4 });
  await page.mouse.up();
  if (options.alt) await page.keyboard.up('Alt');
}

/** Holds Space and drags from a screen point by (dx, dy) CSS px: a pan, not a stroke. */
export async function spaceDrag(page: Page, from: ImagePoint, dx: number, dy = 0): Promise<void> {
  await page.mouse.move(from.x, from.y);
  await page.keyboard.down('Space');
  await page.mouse.down();
  await page.mouse.move(from.x + dx, from.y + dy, { steps: 4 });
  await page.mouse.up();
  await page.keyboard.up('Space');
}

export async function setBrushSize(page: Page, px: number): Promise<void> {
  await page.getByTestId('brush-size').fill(String(Math.round(Math.log(px) * 100)));
  await expect(page.getByTestId('brush-size')).toHaveAttribute('data-size', String(px));
}

/** Pixels in the mask a restore would fill (union of visible layers), as the layers panel reports it. */
export async function maskPixels(page: Page): Promise<number> {
  return Number(await page.getByTestId('mask-coverage').getAttribute('data-pixels'));
}

export function layerRows(page: Page) {
  return page.getByTestId('layer-list').getByTestId('layer-row');
}

export async function shot(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  await page.evaluate(() => document.fonts.ready);
  const file = path.join(ensureArtifactsDir(), `${name}.png`);
  await page.screenshot({ path: file });
  await testInfo.attach(name, { path: file, contentType: 'image/png' });
}

/** Distance from p to the segment a-b. */
export function segmentDistance(p: ImagePoint, a: ImagePoint, b: ImagePoint): number {
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  const len2 = dx * dx + dy * dy;
  const t = len2 > 0 ? Math.max(0, Math.min(1, ((p.x - a.x) * dx + (p.y - a.y) * dy) / len2)) : 0;
  return Math.hypot(p.x - (a.x + t * dx), p.y - (a.y + t * dy));
}

/**
 * Twelve rectangles over nearly all of an open 3000 x 2000 photo (1.9 MP marked):
 * dozens of full-resolution crops, so a restore runs long enough to watch or cancel.
 */
export async function markMostOfLargeScan(page: Page): Promise<void> {
  await page.getByTestId('tool-rect').click();
  for (let y = 40; y < 1900; y += 160) await drag(page, [{ x: 40, y }, { x: 2960, y: y + 60 }]);
  await expect.poll(() => maskPixels(page)).toBeGreaterThan(1_900_000);
}

/** A photo file's pixels as 8-bit sRGB samples (alpha dropped), to compare an export with its original. */
export async function rgb(file: string): Promise<{ data: Buffer; width: number; height: number }> {
  const { data, info } = await sharp(file).removeAlpha().toColourspace('srgb').raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
}

/**
 * A whole-photo tone change reached the exported file: it has the original's
 * size, more than half its samples differ from the original's and they differ
 * by more than 2 levels on average.
 */
export async function expectToned(original: string, exported: string): Promise<void> {
  const [before, after] = await Promise.all([rgb(original), rgb(exported)]);
  expect([after.width, after.height]).toEqual([before.width, before.height]);
  let changed = 0;
  let diff = 0;
  for (let i = 0; i < before.data.length; i++) {
    const d = Math.abs(before.data[i]! - after.data[i]!);
    if (d > 0) changed++;
    diff += d;
  }
  expect(changed / before.data.length).toBeGreaterThan(0.5);
  expect(diff / before.data.length).toBeGreaterThan(2);
}
