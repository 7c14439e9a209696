import path from 'node:path';
import type { Page } from '@playwright/test';
import sharp from 'sharp';
import { expect, test } from './fixtures';
import { cleanPhotoFolders, copySample, openThroughDialog, photoFolder, shot, view } from './editor-page';

/*
 * The view around the photo (issue 26, item 6): small scans fill the window,
 * the photo stays centred when the window or the panels change, and the
 * options bar keeps its labels on one line on a 1024 px wide screen.
 */

test.afterEach(cleanPhotoFolders);

/** Where the photo's centre is on screen, relative to the canvas element's centre (CSS px). */
async function offCentre(page: Page, width: number, height: number): Promise<{ dx: number; dy: number }> {
  const v = await view(page);
  const box = (await page.getByTestId('canvas').boundingBox())!;
  return { dx: v.panX + (width / 2) * v.zoom - box.width / 2, dy: v.panY + (height / 2) * v.zoom - box.height / 2 };
}

test('Fit enlarges a small scan to the window, and the photo stays centred when the panels or the window change', async ({ shellPage: page, bridge }, testInfo) => {
  // A 400 x 300 scan: at 100 % it would be a stamp in a 1280 x 800 window.
  const photo = path.join(await photoFolder(testInfo), 'small scan.png');
  await sharp({ create: { width: 400, height: 300, channels: 3, background: { r: 150, g: 120, b: 90 } } }).png().toFile(photo);
  await openThroughDialog(page, bridge, photo);
  const canvas = page.getByTestId('canvas');
  await expect.poll(async () => Number(await canvas.getAttribute('data-zoom'))).toBeGreaterThan(1.2);
  let box = (await canvas.boundingBox())!;
  const zoom = Number(await canvas.getAttribute('data-zoom'));
  // Fit fills one dimension up to the margin.
  expect(Math.max((400 * zoom) / box.width, (300 * zoom) / box.height)).toBeGreaterThan(0.85);
  let off = await offCentre(page, 400, 300);
  expect(Math.abs(off.dx)).toBeLessThanOrEqual(1);
  expect(Math.abs(off.dy)).toBeLessThanOrEqual(1);

  // Hiding the panels widens the canvas: the fitted photo is fitted and centred again.
  const before = box.width;
  await page.getByTestId('toolbar-panels').click();
  await expect.poll(async () => (await canvas.boundingBox())!.width).toBeGreaterThan(before + 100);
  await expect.poll(async () => Math.abs((await offCentre(page, 400, 300)).dx)).toBeLessThanOrEqual(1);
  box = (await canvas.boundingBox())!;
  const refit = Number(await canvas.getAttribute('data-zoom'));
  expect(Math.max((400 * refit) / box.width, (300 * refit) / box.height)).toBeGreaterThan(0.85);
  await shot(page, testInfo, 'view-small-scan-fit');

  // Zoomed in by hand, a resize keeps what was in the middle in the middle.
  await page.getByTestId('toolbar-panels').click();
  await expect.poll(async () => (await canvas.boundingBox())!.width).toBeLessThan(before + 1);
  await page.getByTestId('zoom-fit').click();
  await page.keyboard.press('+');
  await expect.poll(async () => Number(await canvas.getAttribute('data-zoom'))).toBeGreaterThan(refit - 0.01);
  off = await offCentre(page, 400, 300);
  expect(Math.abs(off.dx)).toBeLessThanOrEqual(1);
  const handZoom = Number(await canvas.getAttribute('data-zoom'));
  await page.setViewportSize({ width: 1100, height: 760 });
  await expect.poll(async () => (await canvas.boundingBox())!.width).toBeLessThan(before - 100);
  await expect.poll(async () => Math.abs((await offCentre(page, 400, 300)).dx)).toBeLessThanOrEqual(1);
  expect(Math.abs((await offCentre(page, 400, 300)).dy)).toBeLessThanOrEqual(1);
  expect(Number(await canvas.getAttribute('data-zoom'))).toBe(handZoom);
});

test('at 1024 px wide the brush-size label and value stay on one line', async ({ shellPage: page, bridge }, testInfo) => {
  await page.setViewportSize({ width: 1024, height: 700 });
  const photo = await copySample(testInfo);
  await openThroughDialog(page, bridge, photo);
  const value = page.getByTestId('brush-size-value');
  await expect(value).toBeVisible();
  // One line: the text's client rects all share one top.
  const lines = async (testId: string) =>
    page.getByTestId(testId).evaluate((el) => {
      const range = document.createRange();
      range.selectNodeContents(el);
      return new Set([...range.getClientRects()].map((r) => Math.round(r.top))).size;
    });
  expect(await lines('brush-size-value')).toBe(1);
  expect(await lines('brush-size-label')).toBe(1);
  // Nothing in the options bar is cut off at its right edge.
  const bar = (await page.getByRole('toolbar', { name: 'Tool options and view' }).boundingBox())!;
  const fit = (await page.getByTestId('zoom-fit').boundingBox())!;
  expect(fit.x + fit.width).toBeLessThanOrEqual(bar.x + bar.width);
  await shot(page, testInfo, 'view-1024-options-bar');
});
