import { copyFile, mkdir, stat } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { expect, test } from './fixtures';
import { cleanPhotoFolders, drag, layerRows, maskPixels, photoFolder, shot } from './editor-page';
import { sharedData } from './paths';

const SCRATCHED = sharedData('damaged/bopb_old_photos/old_w_scratch/a.png');

/*
 * Batch results you can see (issue 26, item 10): masks default to automatic
 * detection, and a finished item opens in the editor as its result, with the
 * original to compare and the mask the batch filled as an editable layer.
 */

test.afterEach(cleanPhotoFolders);

/** Pixels that differ between two same-sized images (any channel). */
async function changedPixels(a: string, b: string): Promise<number> {
  const [x, y] = await Promise.all([a, b].map((f) => sharp(f).removeAlpha().raw().toBuffer({ resolveWithObject: true })));
  let n = 0;
  for (let i = 0; i < x!.info.width * x!.info.height; i++) {
    for (let c = 0; c < 3; c++) {
      if (x!.data[i * 3 + c] !== y!.data[i * 3 + c]) {
        n++;
        break;
      }
    }
  }
  return n;
}

test('a finished item opens as its result with the original and the mask it used, which can be fixed and restored again', async ({ shellPage: page, bridge }, testInfo) => {
  test.setTimeout(150_000);
  const dir = await photoFolder(testInfo);
  const input = path.join(dir, 'scans');
  const output = path.join(dir, 'restored');
  await mkdir(input);
  // A real scratched scan (PNG, so the output is lossless and every changed pixel is a filled one).
  await copyFile(SCRATCHED, path.join(input, 'print.png'));

  await page.getByTestId('mode-batch').click();
  // Nothing says where masks are: automatic detection is the default.
  await expect(page.getByTestId('batch-mask-mode')).toHaveValue('auto');
  await page.getByTestId('batch-input-folder').fill(input);
  await page.getByTestId('batch-output-folder').fill(output);
  // Typed paths are no grant: Start has the person confirm each folder in the chooser.
  bridge.dialogs.queueChooseFolder(input);
  bridge.dialogs.queueChooseFolder(output);
  await page.getByTestId('batch-start').click();
  await expect(page.getByTestId('batch-state')).toHaveAttribute('data-state', 'finished', { timeout: 90_000 });
  const row = page.getByTestId('batch-item').filter({ hasText: 'print.png' });
  await expect(row).toHaveAttribute('data-state', 'done');
  const result = path.join(output, 'print.png');
  const filled = await changedPixels(path.join(input, 'print.png'), result);
  expect(filled).toBeGreaterThan(0);

  await row.getByTestId('batch-item-open').click();
  const canvas = page.getByTestId('canvas');
  await expect(canvas).toBeVisible();
  // The head is the batch's output (version 1); version 0, the original, is what Compare shows.
  await expect(canvas).toHaveAttribute('data-version', '1');
  await expect(page.getByTestId('notice')).toContainText('batch result');
  await expect(layerRows(page)).toHaveCount(1);
  await expect(layerRows(page).first()).toContainText('Batch mask');
  // The layer is the mask the batch filled: every changed pixel lies in it (a few masked ones may keep their value).
  await expect.poll(() => maskPixels(page)).toBeGreaterThanOrEqual(filled);
  const batchMask = await maskPixels(page);
  expect(batchMask).toBeLessThan(filled * 1.05 + 50);
  await page.getByTestId('compare').click();
  await expect(canvas).toHaveAttribute('data-compare', 'split');
  await shot(page, testInfo, 'batch-result-opened');
  await page.getByTestId('compare').click();

  // Editable: a missed crack is added to the batch's mask, and the photo is restored again from there.
  await page.getByTestId('tool-rect').click();
  await drag(page, [{ x: 20, y: 20 }, { x: 60, y: 50 }]);
  await expect.poll(() => maskPixels(page)).toBeGreaterThan(batchMask);
  await page.getByTestId('restore').click();
  await expect(canvas).toHaveAttribute('data-version', '2', { timeout: 60_000 });
  await expect(page.getByTestId('notice')).toContainText('Restored');
});

test('after changing a setting, Start again says which photos it will redo, and does what it said', async ({ shellPage: page, bridge }, testInfo) => {
  test.setTimeout(150_000);
  const dir = await photoFolder(testInfo);
  const input = path.join(dir, 'scans');
  const output = path.join(dir, 'restored');
  await mkdir(input);
  // Two small scans and one mask for both: no detection, so each run is quick and certain.
  for (const name of ['one.png', 'two.png']) await sharp(SCRATCHED).resize(320).toFile(path.join(input, name));
  const { width, height } = await sharp(path.join(input, 'one.png')).metadata();
  const mask = path.join(dir, 'mask.png');
  const m = Buffer.alloc(width * height);
  for (let x = 20; x < width - 20; x++) for (let t = 0; t < 3; t++) m[(Math.round(height / 2) + t) * width + x] = 255;
  await sharp(m, { raw: { width, height, channels: 1 } }).png().toFile(mask);

  await page.getByTestId('mode-batch').click();
  await page.getByTestId('batch-input-folder').fill(input);
  await page.getByTestId('batch-mask-mode').selectOption('file');
  await page.getByTestId('batch-mask-path').fill(mask);
  await page.getByTestId('batch-output-folder').fill(output);
  await page.getByTestId('batch-quality-mode').selectOption('fast');
  bridge.dialogs.queueChooseFolder(input);
  bridge.dialogs.queueOpenImage([mask]);
  bridge.dialogs.queueChooseFolder(output);
  await page.getByTestId('batch-start').click();
  await expect(page.getByTestId('batch-state')).toHaveAttribute('data-state', 'finished', { timeout: 60_000 });
  await expect(page.getByTestId('batch-done')).toHaveText('2 restored');
  const stamp = async () => Promise.all(['one.png', 'two.png'].map(async (n) => (await stat(path.join(output, n))).mtimeMs));
  const first = await stamp();

  // Same settings: nothing to redo.
  const redo = page.getByTestId('batch-redo');
  await expect(redo).toContainText('nothing to do');
  await expect(redo).toHaveAttribute('data-redo', '0');

  // Another fill quality, results kept ("Skip"): the message says both are kept, and how to redo them.
  await page.getByTestId('batch-quality-mode').selectOption('best');
  await expect(redo).toContainText('Settings changed (fill quality)');
  await expect(redo).toContainText('the 2 already restored keep their results');
  await expect(redo).toHaveAttribute('data-redo', '0');
  await expect(redo).toHaveAttribute('data-kept', '2');
  await page.getByTestId('batch-start').click();
  await expect(page.getByTestId('batch-state')).toHaveAttribute('data-state', 'finished', { timeout: 60_000 });
  expect(await stamp()).toEqual(first);

  // With Overwrite it names both photos, and redoes both.
  await page.getByTestId('batch-quality-mode').selectOption('fast');
  await page.getByTestId('batch-collision').selectOption('overwrite');
  await expect(redo).toContainText('redoes all 2 photos');
  await expect(redo).toContainText('one.png, two.png');
  await expect(redo).toHaveAttribute('data-redo', '2');
  await shot(page, testInfo, 'batch-start-again-redo');
  await page.getByTestId('batch-start').click();
  await expect(page.getByTestId('batch-state')).toHaveAttribute('data-state', 'finished', { timeout: 60_000 });
  await expect(page.getByTestId('batch-done')).toHaveText('2 restored');
  const again = await stamp();
  expect(again[0]).toBeGreaterThan(first[0]!);
  expect(again[1]).toBeGreaterThan(first[1]!);
});
