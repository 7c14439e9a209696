import { expect, test } from './fixtures';
import { cleanPhotoFolders, copySample, drag, layerRows, maskPixels, openThroughDialog, setBrushSize, shot } from './editor-page';

/*
 * The restorer's flow around a result (issue 26): pan after touching a
 * slider, restore only what is new, re-run detection, grow and shrink marks,
 * review them, close and switch views without stale state.
 */

test.afterEach(cleanPhotoFolders);

test('Space+drag pans, not paints, after the brush-size slider had focus', async ({ shellPage: page, bridge }, testInfo) => {
  const photo = await copySample(testInfo);
  await openThroughDialog(page, bridge, photo);
  const canvas = page.getByTestId('canvas');
  await page.keyboard.press('1');
  await page.keyboard.press('+');
  await expect(canvas).toHaveAttribute('data-zoom', '1.5');

  // Resizing the brush leaves keyboard focus on the slider.
  await setBrushSize(page, 30);
  await expect(page.getByTestId('brush-size')).toBeFocused();
  const box = (await canvas.boundingBox())!;
  const panX = Number(await canvas.getAttribute('data-pan-x'));
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.keyboard.down('Space');
  await page.mouse.down();
  await page.mouse.move(box.x + box.width / 2 + 60, box.y + box.height / 2, { steps: 4 });
  await page.mouse.up();
  await page.keyboard.up('Space');
  await expect.poll(async () => Number(await canvas.getAttribute('data-pan-x'))).toBeCloseTo(panX + 60, 0);
  expect(await maskPixels(page)).toBe(0);
  // Without Space the same drag paints.
  await drag(page, [{ x: 300, y: 400 }, { x: 340, y: 420 }]);
  await expect.poll(() => maskPixels(page)).toBeGreaterThan(0);
  await expect(layerRows(page)).toHaveCount(1);
  await shot(page, testInfo, 'flow-pan-after-slider');
});
