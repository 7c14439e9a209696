import path from 'node:path';
import { expect, test } from './fixtures';
import { cleanPhotoFolders, copySample, drag, expectToned, layerRows, maskPixels, openThroughDialog, shot } from './editor-page';

/*
 * The editor's Tone & colour panel (issue 23, item 2): Auto tone on and
 * nothing marked makes Restore a tone-only run (mask none) through the real
 * engine; the result is the next image version and every part of the photo
 * may change, not just marked areas.
 */

test.afterEach(cleanPhotoFolders);

test('Auto tone with nothing marked restores tone only: a new version whose pixels differ from the original', async ({ shellPage: page, bridge }, testInfo) => {
  test.setTimeout(120_000);
  const photo = await copySample(testInfo);
  await openThroughDialog(page, bridge, photo);
  const canvas = page.getByTestId('canvas');
  expect(await maskPixels(page)).toBe(0);
  // Nothing marked and tone off: nothing to do.
  await expect(page.getByTestId('restore')).toBeDisabled();
  await expect(page.getByTestId('tone-strength')).toBeDisabled();

  await page.getByTestId('tone-auto').click();
  await expect(page.getByTestId('tone-auto')).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByTestId('restore')).toBeEnabled();
  await expect(page.getByTestId('restore')).toHaveAttribute('title', /Apply Auto tone to the whole photo/);
  await page.getByTestId('tone-strength').fill('80');
  await page.getByTestId('tone-colour').selectOption('neutralise');
  await shot(page, testInfo, 'tone-panel-on');

  await page.getByTestId('restore').click();
  await expect(canvas).toHaveAttribute('data-version', '1', { timeout: 90_000 });
  // The notice names what was applied: the overrides as sent, the rest Auto's.
  await expect(page.getByTestId('notice')).toContainText('tone applied (strength 80 %, neutralise the cast');
  // Tone is consumed like marks: left on, the next Restore would tone the toned photo again.
  await expect(page.getByTestId('tone-auto')).toHaveAttribute('aria-pressed', 'false');
  await expect(page.getByTestId('restore')).toBeDisabled();
  // Nothing was filled, so no "Restored" record layer appears.
  await expect(layerRows(page).filter({ hasText: 'Restored' })).toHaveCount(0);
  await shot(page, testInfo, 'tone-restored');

  // Export (PNG, lossless) and compare with the original: the whole photo changed, at full size.
  await page.getByTestId('export').click();
  await page.getByTestId('export-confirm').click();
  await expect(page.getByTestId('export-dialog')).toBeHidden();
  const exported = path.join(path.dirname(photo), 'garden girl_restored.png');
  await expectToned(photo, exported);

  // One undo step takes the tone back.
  await page.getByTestId('undo').click();
  await expect(canvas).toHaveAttribute('data-version', '0');
});

test('with marks and Auto tone, one Restore fills first, then tones, and says so', async ({ shellPage: page, bridge }, testInfo) => {
  test.setTimeout(150_000);
  const photo = await copySample(testInfo);
  await openThroughDialog(page, bridge, photo);
  await page.getByTestId('tool-rect').click();
  await drag(page, [{ x: 100, y: 100 }, { x: 200, y: 160 }]);
  await expect.poll(() => maskPixels(page)).toBe(6000);
  await page.getByTestId('tone-auto').click();
  await expect(page.getByTestId('restore')).toHaveAttribute('title', /Restore the marked areas, then apply Auto tone/);

  await page.getByTestId('restore').click();
  await expect(page.getByTestId('canvas')).toHaveAttribute('data-version', '1', { timeout: 120_000 });
  await expect(page.getByTestId('notice')).toContainText(/fill\), then tone applied \(strength 100 %/);
  // The fill consumed its marks as without tone; the tone was consumed too.
  await expect.poll(() => maskPixels(page)).toBe(0);
  await expect(layerRows(page).filter({ hasText: 'Restored' })).toHaveCount(1);
  await expect(page.getByTestId('tone-auto')).toHaveAttribute('aria-pressed', 'false');
  await expect(page.getByTestId('restore')).toBeDisabled();
});
