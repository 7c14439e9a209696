import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { cleanPhotoFolders, copySample, expectToned, openThroughDialog, shot } from './editor-page';

/*
 * The Tone & colour panel applied live (issue 23, item 2): with Auto tone on,
 * the photo on the canvas is drawn through Auto's map for it; moving a slider
 * redraws it from that map within a frame, without a Restore; holding Compare
 * shows the original untoned; the settings are kept in the project file; and
 * Export writes the photo toned while the tone is still pending.
 */

test.afterEach(cleanPhotoFolders);

/** Mean RGB of the photo's middle on the canvas as drawn (fabric's lower canvas), read in the page. */
function canvasMean(page: Page): Promise<number[]> {
  return page.evaluate(() => (window as unknown as { __toneSample: () => number[] }).__toneSample());
}

async function installSampler(page: Page): Promise<void> {
  await page.evaluate(() => {
    (window as unknown as { __toneSample: () => number[] }).__toneSample = () => {
      const canvas = document.querySelector<HTMLCanvasElement>('[data-testid="canvas"] canvas.lower-canvas')!;
      const w = Math.floor(canvas.width / 4);
      const h = Math.floor(canvas.height / 4);
      // Read through a scratch copy: reading the editor's own canvas back would slow its drawing (and Chromium warns).
      const scratch = document.createElement('canvas');
      scratch.width = w;
      scratch.height = h;
      const ctx = scratch.getContext('2d', { willReadFrequently: true })!;
      ctx.drawImage(canvas, Math.floor(canvas.width / 2 - w / 2), Math.floor(canvas.height / 2 - h / 2), w, h, 0, 0, w, h);
      const d = ctx.getImageData(0, 0, w, h).data;
      const sum = [0, 0, 0];
      for (let i = 0; i < d.length; i += 4) for (let c = 0; c < 3; c++) sum[c] += d[i + c]!;
      return sum.map((v) => v / (d.length / 4));
    };
  });
}

const distance = (a: number[], b: number[]) => Math.hypot(a[0]! - b[0]!, a[1]! - b[1]!, a[2]! - b[2]!);

test('Auto tone is drawn live over the photo: a slider move redraws it within a frame, Compare shows the original', async ({ shellPage: page, bridge }, testInfo) => {
  test.setTimeout(90_000);
  const photo = await copySample(testInfo);
  await openThroughDialog(page, bridge, photo);
  const canvas = page.getByTestId('canvas');
  await installSampler(page);
  await expect(canvas).toHaveAttribute('data-tone-preview', 'off');
  // Let the photo reach the canvas before taking the untoned reference.
  await expect.poll(async () => (await canvasMean(page)).reduce((a, b) => a + b, 0)).toBeGreaterThan(30);
  const untoned = await canvasMean(page);

  await page.getByTestId('tone-auto').click();
  await expect(canvas).toHaveAttribute('data-tone-preview', 'on', { timeout: 30_000 });
  await expect.poll(async () => distance(await canvasMean(page), untoned)).toBeGreaterThan(8);
  const full = await canvasMean(page);
  await shot(page, testInfo, 'tone-live-100');

  // A slider move, then two animation frames: no engine call can have answered in that time, and nothing was restored.
  const moved = await page.evaluate(async () => {
    const input = document.querySelector<HTMLInputElement>('[data-testid="tone-strength"]')!;
    input.value = '40';
    input.dispatchEvent(new Event('input', { bubbles: true }));
    await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
    return (window as unknown as { __toneSample: () => number[] }).__toneSample();
  });
  await expect(canvas).toHaveAttribute('data-version', '0');
  await expect(page.getByTestId('tone-strength')).toHaveValue('40');
  // 40 % lies between the photo as it is and the full correction, nearer the photo.
  expect(distance(moved, full)).toBeGreaterThan(3);
  expect(distance(moved, untoned)).toBeLessThan(distance(full, untoned));
  expect(distance(moved, untoned)).toBeGreaterThan(2);
  await shot(page, testInfo, 'tone-live-40');

  // Compare (hold Tab): the original, untoned; let go: the toned preview again.
  await canvas.focus();
  await page.keyboard.down('Tab');
  await expect(canvas).toHaveAttribute('data-compare', 'hold');
  await expect.poll(async () => distance(await canvasMean(page), untoned)).toBeLessThan(1);
  await page.keyboard.up('Tab');
  await expect(canvas).toHaveAttribute('data-compare', 'off');
  await expect.poll(async () => distance(await canvasMean(page), moved)).toBeLessThan(1);

  // Off: the photo as it is.
  await page.getByTestId('tone-auto').click();
  await expect(canvas).toHaveAttribute('data-tone-preview', 'off');
  await expect.poll(async () => distance(await canvasMean(page), untoned)).toBeLessThan(1);
});

test('the Tone & colour settings are saved with the project and come back when it is reopened', async ({ shellPage: page, bridge }, testInfo) => {
  test.setTimeout(90_000);
  const photo = await copySample(testInfo, 'album.png');
  await openThroughDialog(page, bridge, photo);
  await page.getByTestId('tone-auto').click();
  await page.getByTestId('tone-strength').fill('65');
  await page.getByTestId('tone-colour').selectOption('keep');
  await page.keyboard.press('Control+s');
  const sidecar = path.join(path.dirname(photo), 'album.patina');
  await expect.poll(() => stat(sidecar).then(() => true, () => false)).toBe(true);
  await page.getByRole('button', { name: 'Close photo' }).click();
  await expect(page.getByTestId('workspace-empty')).toBeVisible();

  // The photo on its own starts with tone off.
  await openThroughDialog(page, bridge, photo);
  await expect(page.getByTestId('tone-auto')).toHaveAttribute('aria-pressed', 'false');
  await page.getByRole('button', { name: 'Close photo' }).click();

  await openThroughDialog(page, bridge, sidecar);
  await expect(page.getByTestId('tone-auto')).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByTestId('tone-strength')).toHaveValue('65');
  await expect(page.getByTestId('tone-colour')).toHaveValue('keep');
  await expect(page.getByTestId('canvas')).toHaveAttribute('data-tone-preview', 'on', { timeout: 30_000 });
});

test('Export with Auto tone on (not yet applied by Restore) writes the toned photo and makes no new version', async ({ shellPage: page, bridge }, testInfo) => {
  test.setTimeout(120_000);
  const photo = await copySample(testInfo);
  await openThroughDialog(page, bridge, photo);
  await page.getByTestId('tone-auto').click();
  await page.getByTestId('export').click();
  await page.getByTestId('export-confirm').click();
  await expect(page.getByTestId('export-dialog')).toBeHidden({ timeout: 90_000 });
  await expect(page.getByTestId('notice')).toContainText('with Auto tone');
  await expect(page.getByTestId('canvas')).toHaveAttribute('data-version', '0');
  const exported = path.join(path.dirname(photo), 'garden girl_restored.png');
  await expectToned(photo, exported);
});
