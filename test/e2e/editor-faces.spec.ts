import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { expect, test } from './fixtures';
import { cleanPhotoFolders, drag, layerRows, maskPixels, openThroughDialog, photoFolder, shot } from './editor-page';
import { sharedData } from './paths';

/*
 * A warning when marks fall on a face (issue 26, item 5): main finds the
 * faces of the opened photo (defects:faces, the converted Tiny Face
 * Detector); the editor says how many marks touch one, without blocking the
 * restore, and its button steps to them the way "next mark" does.
 */

test.afterEach(cleanPhotoFolders);

test('a detected layer over a face shows the face warning and steps to it; marks away from faces do not', async ({ shellPage: page, bridge }, testInfo) => {
  test.setTimeout(120_000);
  // A cracked school portrait: cracks cross the boy's face (the detector marks some of them).
  const file = path.join(await photoFolder(testInfo), 'boy.png');
  await writeFile(file, await readFile(sharedData('damaged/bopb_old_photos/old_w_scratch/b.png')));
  await openThroughDialog(page, bridge, file);

  // A mark in the bottom-left corner, far from the face: no warning.
  await page.getByTestId('tool-rect').click();
  await drag(page, [{ x: 4, y: 220 }, { x: 30, y: 250 }]);
  await expect.poll(() => maskPixels(page)).toBeGreaterThan(0);
  await page.waitForTimeout(500);
  await expect(page.getByTestId('face-warning')).toHaveCount(0);

  // Find damage: its layer marks cracks on the face.
  await page.getByTestId('detect-damage').click();
  await expect(layerRows(page)).toHaveCount(2, { timeout: 60_000 });
  const warning = page.getByTestId('face-warning');
  await expect(warning).toBeVisible({ timeout: 15_000 });
  const count = Number(await warning.getAttribute('data-marks'));
  expect(count).toBeGreaterThanOrEqual(1);
  await expect(warning).toContainText(`${count} ${count === 1 ? 'mark touches' : 'marks touch'} a face: check ${count === 1 ? 'it' : 'them'} before restoring`);
  // Only a warning: restoring is still possible.
  await expect(page.getByTestId('restore')).toBeEnabled();
  await shot(page, testInfo, 'face-warning');

  // Its button zooms to the first mark on a face, as "next mark" does.
  const canvas = page.getByTestId('canvas');
  const zoomBefore = Number(await canvas.getAttribute('data-zoom'));
  await page.getByTestId('face-warning-next').click();
  await expect(page.getByTestId('status-message')).toHaveText(`Mark on a face 1 of ${count}`);
  await expect.poll(async () => Number(await canvas.getAttribute('data-zoom'))).toBeGreaterThan(zoomBefore);

  // Hiding the detected layer takes its marks, and the warning, away.
  await layerRows(page).first().getByTestId('layer-visible').click();
  await expect(warning).toHaveCount(0);
});
