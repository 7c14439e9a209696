import { mkdirSync, writeFileSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { axeCheck } from './axe';
import { expect, test } from './fixtures';
import { cleanPhotoFolders, layerRows, markMostOfLargeScan, maskPixels, openThroughDialog, photoFolder } from './editor-page';
import { sharedData } from './paths';

/*
 * axe-core (issue 28) over every view a person works in, on the real app:
 * the start view, the editor with a photo, with a detection layer, during a
 * restore, compare, the export dialog, the shortcuts overlay, and the Batch
 * view's form, a running and a finished batch. A view passes with no serious
 * or critical violation; each view's full result is printed and attached.
 */

test.afterEach(cleanPhotoFolders);

test('start view and shortcuts overlay', async ({ shellPage: page }, testInfo) => {
  await expect(page.getByTestId('workspace-empty')).toBeVisible();
  await axeCheck(page, testInfo, 'start view');
  await page.keyboard.press('Shift+?');
  await expect(page.getByTestId('shortcuts-overlay')).toBeVisible();
  await axeCheck(page, testInfo, 'shortcuts overlay');
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('shortcuts-overlay')).toBeHidden();
});

test('editor: photo open, detection layer, restored, compare, export dialog', async ({ shellPage: page, bridge }, testInfo) => {
  test.setTimeout(180_000);
  const file = path.join(await photoFolder(testInfo), 'scratched.png');
  await writeFile(file, await readFile(sharedData('damaged/bopb_old_photos/old_w_scratch/a.png')));
  await openThroughDialog(page, bridge, file);
  await axeCheck(page, testInfo, 'editor with a photo');

  await page.getByTestId('detect-damage').click();
  await expect(layerRows(page)).toHaveCount(2, { timeout: 60_000 });
  await expect.poll(() => maskPixels(page)).toBeGreaterThan(0);
  await axeCheck(page, testInfo, 'editor with a detection layer');

  await page.getByTestId('restore').click();
  await expect(page.getByTestId('canvas')).toHaveAttribute('data-version', '1', { timeout: 90_000 });
  await page.getByTestId('compare').click();
  await expect(page.getByTestId('compare-slider')).toBeVisible();
  await axeCheck(page, testInfo, 'compare');
  await page.getByTestId('compare').click();

  await page.getByTestId('export').click();
  await expect(page.getByTestId('export-dialog')).toBeVisible();
  await axeCheck(page, testInfo, 'export dialog');
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('export-dialog')).toBeHidden();
});

test('editor during a restore', async ({ shellPage: page, bridge }, testInfo) => {
  test.setTimeout(120_000);
  // Long enough to look at while it runs: dozens of full-resolution crops (see editor.spec.ts's cancel test).
  const file = path.join(await photoFolder(testInfo), 'large scan.jpg');
  await sharp({ create: { width: 3000, height: 2000, channels: 3, background: '#8a7255' } }).jpeg({ quality: 85 }).toFile(file);
  await openThroughDialog(page, bridge, file);
  await markMostOfLargeScan(page);
  // The system asks for reduced motion: the progress bar jumps instead of gliding.
  await page.emulateMedia({ reducedMotion: 'reduce' });
  await page.getByTestId('restore').click();
  const progress = page.getByTestId('restore-progress');
  await expect(progress).toHaveAttribute('data-stage', 'inpaint', { timeout: 60_000 });
  await axeCheck(page, testInfo, 'editor during a restore');
  const glide = () => progress.evaluate((bar) => parseFloat(getComputedStyle(bar.firstElementChild!).transitionDuration));
  expect(await glide()).toBeLessThan(0.001);
  await page.emulateMedia({ reducedMotion: 'no-preference' });
  expect(await glide()).toBeGreaterThan(0.1);
  await expect(progress).toBeVisible();
  await page.getByTestId('restore-cancel').click();
  await expect(progress).toBeHidden({ timeout: 60_000 });
});

test('batch form, running and finished batch', async ({ shellPage: page, bridge }, testInfo) => {
  test.setTimeout(120_000);
  await page.getByTestId('mode-batch').click();
  await expect(page.getByTestId('batch-view')).toBeVisible();
  await axeCheck(page, testInfo, 'batch form');

  const dir = testInfo.outputPath('scans');
  mkdirSync(dir, { recursive: true });
  const { width, height } = { width: 1600, height: 1200 };
  for (let i = 1; i <= 12; i++) {
    await sharp({ create: { width, height, channels: 3, background: { r: 120 + i, g: 100, b: 80 } } })
      .jpeg({ quality: 90 })
      .toFile(path.join(dir, `p${String(i).padStart(2, '0')}.jpg`));
  }
  writeFileSync(path.join(dir, 'broken.jpg'), Buffer.alloc(64, 7));
  const m = Buffer.alloc(width * height);
  for (let x = 0; x < width; x++) for (let t = 0; t < 6; t++) m[(300 + Math.round(x / 3) + t) * width + x] = 255;
  const mask = testInfo.outputPath('scratch.png');
  await sharp(m, { raw: { width, height, channels: 1 } }).png().toFile(mask);

  // Paths through the Choose… buttons and the scripted dialogs: main grants what a dialog answered.
  bridge.dialogs.queueChooseFolder(dir);
  await page.getByTestId('batch-input-folder-choose').click();
  await page.getByTestId('batch-mask-mode').selectOption('file');
  bridge.dialogs.queueOpenImage([mask]);
  await page.getByTestId('batch-mask-path-choose').click();
  await expect(page.getByTestId('batch-mask-path')).toHaveValue(mask);
  bridge.dialogs.queueChooseFolder(testInfo.outputPath('restored'));
  await page.getByTestId('batch-output-folder-choose').click();
  await expect(page.getByTestId('batch-output-folder')).toHaveValue(testInfo.outputPath('restored'));
  await page.getByTestId('batch-start').click();
  await expect(page.getByTestId('batch-item')).toHaveCount(13);
  await expect(page.getByTestId('batch-state')).toHaveAttribute('data-state', 'running');
  await axeCheck(page, testInfo, 'running batch');
  await expect(page.getByTestId('batch-state')).toHaveAttribute('data-state', 'finished', { timeout: 90_000 });
  await axeCheck(page, testInfo, 'finished batch');
});
