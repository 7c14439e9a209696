import { readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from '@playwright/test';
import sharp from 'sharp';
import { expect, test } from './fixtures';
import { cleanPhotoFolders, copySample, drag, layerRows, maskPixels, openThroughDialog, photoFolder, setBrushSize, shot, spaceDrag, toScreen } from './editor-page';
import { sharedData } from './paths';

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
  const middle = { x: box.x + box.width / 2, y: box.y + box.height / 2 };
  await spaceDrag(page, middle, 60);
  await expect.poll(async () => Number(await canvas.getAttribute('data-pan-x'))).toBeCloseTo(panX + 60, 0);
  expect(await maskPixels(page)).toBe(0);
  // Without Space the same drag paints.
  await drag(page, [{ x: 300, y: 400 }, { x: 340, y: 420 }]);
  await expect.poll(() => maskPixels(page)).toBeGreaterThan(0);
  await expect(layerRows(page)).toHaveCount(1);
  const painted = await maskPixels(page);

  // A drop-down keeps focus too (and would take Space to open itself): back over the photo, Space pans again.
  await page.getByTestId('layer-grow-step').hover();
  await page.getByTestId('layer-grow-step').focus();
  await page.getByTestId('layer-grow-step').selectOption('3');
  await expect(page.getByTestId('layer-grow-step')).toBeFocused();
  const panX2 = Number(await canvas.getAttribute('data-pan-x'));
  await page.mouse.move(middle.x, middle.y, { steps: 3 });
  await spaceDrag(page, middle, -40);
  await expect.poll(async () => Number(await canvas.getAttribute('data-pan-x'))).toBeCloseTo(panX2 - 40, 0);
  expect(await maskPixels(page)).toBe(painted);
  await shot(page, testInfo, 'flow-pan-after-slider');
});

test('a restore consumes the marks it filled, undo brings them back, and everything can be restored again', async ({ shellPage: page, bridge }, testInfo) => {
  test.setTimeout(150_000);
  const photo = await copySample(testInfo);
  await openThroughDialog(page, bridge, photo);
  const canvas = page.getByTestId('canvas');
  await page.getByTestId('tool-rect').click();
  await drag(page, [{ x: 100, y: 100 }, { x: 200, y: 160 }]);
  await expect.poll(() => maskPixels(page)).toBe(6000);

  await page.getByTestId('restore').click();
  await expect(canvas).toHaveAttribute('data-version', '1', { timeout: 90_000 });
  // Nothing is left to restore; the marks went into the hidden, locked "Restored" layer.
  await expect.poll(() => maskPixels(page)).toBe(0);
  await expect(page.getByTestId('restore')).toBeDisabled();
  const record = layerRows(page).filter({ hasText: 'Restored' });
  await expect(record).toHaveAttribute('data-visible', 'false');
  await expect(record).toHaveAttribute('data-locked', 'true');
  await expect(page.getByTestId('restore-everything')).toContainText('6,000 px');

  // A second pass fills only what is marked since.
  await drag(page, [{ x: 300, y: 600 }, { x: 340, y: 650 }]);
  await expect.poll(() => maskPixels(page)).toBe(2000);
  await expect(page.getByTestId('restore-everything')).toContainText('8,000 px');
  await shot(page, testInfo, 'flow-restore-only-new');
  await page.getByTestId('restore').click();
  await expect(canvas).toHaveAttribute('data-version', '2', { timeout: 90_000 });
  await expect.poll(() => maskPixels(page)).toBe(0);

  // Undo brings each restore's marks back with its image.
  await page.getByTestId('undo').click();
  await expect(canvas).toHaveAttribute('data-version', '1');
  await expect.poll(() => maskPixels(page)).toBe(2000);
  await page.getByTestId('undo').click();
  await page.getByTestId('undo').click();
  await expect(canvas).toHaveAttribute('data-version', '0');
  await expect.poll(() => maskPixels(page)).toBe(6000);
  await expect(layerRows(page).filter({ hasText: 'Restored' })).toHaveCount(0);
  await expect(page.getByTestId('restore-everything')).toBeHidden();
  for (let i = 0; i < 3; i++) await page.getByTestId('redo').click();
  await expect(canvas).toHaveAttribute('data-version', '2');

  // "Restore everything again" fills every mark once more, as one more undo step.
  await page.getByTestId('restore-everything').click();
  await expect(canvas).toHaveAttribute('data-version', '3', { timeout: 90_000 });
  await expect(page.getByTestId('undo')).toHaveAttribute('aria-label', 'Undo Restore');
  await expect.poll(() => maskPixels(page)).toBe(0);
  await shot(page, testInfo, 'flow-restore-everything');

  // The record is saved with the project, so "restore everything again" still knows every mark after a reopen.
  await page.keyboard.press('Control+s');
  const sidecar = path.join(path.dirname(photo), 'garden girl.patina');
  await expect.poll(() => stat(sidecar).then(() => true, () => false)).toBe(true);
  await page.getByRole('button', { name: 'Close photo' }).click();
  await openThroughDialog(page, bridge, sidecar);
  await expect(layerRows(page).filter({ hasText: 'Restored' })).toHaveAttribute('data-visible', 'false');
  await expect(page.getByTestId('restore-everything')).toContainText('8,000 px');
});

test('Find damage again replaces the detected layer, undoably, and the sensitivity slider re-thresholds it live', async ({ shellPage: page, bridge }, testInfo) => {
  test.setTimeout(150_000);
  const file = path.join(await photoFolder(testInfo), 'scratched.png');
  await writeFile(file, await readFile(sharedData('damaged/bopb_old_photos/old_w_scratch/a.png')));
  // What the detector finds at each sensitivity comes from the backend itself.
  const flaggedAt = async (sensitivity: number) => {
    const reply = await bridge.backend.router.dispatch('defects:detect', { image: { grant: bridge.backend.grants.grant(file, 'read').grant }, sensitivity }, { callerId: 'test', emit: () => {} });
    if (!reply.ok) throw new Error(`defects:detect failed: ${reply.error.message}`);
    return (reply.value as { flaggedPixels: number }).flaggedPixels;
  };
  const [atHalf, atFull] = [await flaggedAt(0.5), await flaggedAt(1)];
  expect(atHalf).toBeGreaterThan(0);
  expect(atFull).toBeGreaterThan(atHalf);

  await openThroughDialog(page, bridge, file);
  await expect(page.getByTestId('detect-sensitivity-value')).toHaveText('50 %');
  await page.getByTestId('detect-damage').click();
  await expect(layerRows(page)).toHaveCount(2, { timeout: 60_000 });
  await expect.poll(() => maskPixels(page)).toBe(atHalf);

  // Running it again replaces the detection instead of stacking a second layer.
  await page.getByTestId('detect-damage').click();
  await expect(page.getByTestId('notice')).toContainText('updated', { timeout: 60_000 });
  await expect(layerRows(page)).toHaveCount(2);
  await expect(page.getByTestId('undo')).toHaveAttribute('aria-label', 'Undo Find damage');
  await expect.poll(() => maskPixels(page)).toBe(atHalf);

  // Moving the slider shows its value at once and re-runs detection on that layer by itself.
  await page.getByTestId('detect-sensitivity').fill('1');
  await expect(page.getByTestId('detect-sensitivity-value')).toHaveText('100 %');
  await expect.poll(() => maskPixels(page), { timeout: 60_000 }).toBe(atFull);
  await expect(layerRows(page)).toHaveCount(2);
  await expect(layerRows(page).first().getByTestId('layer-name')).toHaveText('Detected damage');
  await shot(page, testInfo, 'flow-detect-rethreshold');

  // Each replacement is one undo step.
  await page.getByTestId('undo').click();
  await expect.poll(() => maskPixels(page)).toBe(atHalf);
  await expect(layerRows(page)).toHaveCount(2);
  await page.getByTestId('undo').click();
  await page.getByTestId('undo').click();
  await expect(layerRows(page)).toHaveCount(1);
});

test('grows and shrinks a layer by whole pixels, each an undo step', async ({ shellPage: page, bridge }, testInfo) => {
  const photo = await copySample(testInfo);
  await openThroughDialog(page, bridge, photo);
  await page.getByTestId('tool-rect').click();
  await drag(page, [{ x: 100, y: 100 }, { x: 200, y: 160 }]);
  await expect.poll(() => maskPixels(page)).toBe(6000);

  // Grown by a disc of 2 px: 104 x 64 less the three pixels each rounded corner leaves out.
  await page.getByTestId('layer-grow-step').selectOption('2');
  await page.getByTestId('layer-grow').click();
  await expect.poll(() => maskPixels(page)).toBe(104 * 64 - 4 * 3);
  await expect(page.getByTestId('undo')).toHaveAttribute('aria-label', 'Undo Grow layer 2 px');
  await shot(page, testInfo, 'flow-grow');
  // Shrinking a rectangle grown by the same disc gives it back exactly.
  await page.getByTestId('layer-shrink').click();
  await expect.poll(() => maskPixels(page)).toBe(6000);
  await page.getByTestId('layer-grow-step').selectOption('5');
  await page.getByTestId('layer-shrink').click();
  await expect.poll(() => maskPixels(page)).toBe(90 * 50);
  await expect(page.getByTestId('undo')).toHaveAttribute('aria-label', 'Undo Shrink layer 5 px');

  await page.getByTestId('undo').click();
  await page.getByTestId('undo').click();
  await expect.poll(() => maskPixels(page)).toBe(104 * 64 - 4 * 3);
  await page.getByTestId('undo').click();
  await expect.poll(() => maskPixels(page)).toBe(6000);

  // A locked layer refuses, with the reason.
  await layerRows(page).first().getByTestId('layer-lock').click();
  await page.getByTestId('layer-grow').click();
  await expect(page.getByTestId('notice')).toContainText('locked');
  expect(await maskPixels(page)).toBe(6000);
});

test('reviews marks: high-contrast outlines and a next-mark jump', async ({ shellPage: page, bridge }, testInfo) => {
  const photo = await copySample(testInfo);
  await openThroughDialog(page, bridge, photo);
  const canvas = page.getByTestId('canvas');
  const fitZoom = Number(await canvas.getAttribute('data-zoom'));
  await page.getByTestId('tool-rect').click();
  await drag(page, [{ x: 200, y: 300 }, { x: 400, y: 450 }]);
  await drag(page, [{ x: 450, y: 750 }, { x: 500, y: 800 }]);
  await expect.poll(() => maskPixels(page)).toBe(200 * 150 + 50 * 50);
  // The brush ring and hover must not sit on the pixels sampled below.
  await page.mouse.move(5, 400);

  const centre = await toScreen(page, { x: 300, y: 375 });
  const edge = await toScreen(page, { x: 201, y: 375 });
  await page.getByTestId('overlay-toggle').click();
  await expect(page.getByTestId('overlay-toggle')).toHaveAttribute('aria-pressed', 'false');
  const [photoCentre, photoEdge] = [await pixelAt(page, centre), await pixelAt(page, edge)];
  await page.getByTestId('overlay-toggle').click();
  // Tinted marks cover the whole mark.
  await expect.poll(async () => difference(await pixelAt(page, centre), photoCentre)).toBeGreaterThan(30);

  // Outlines: the inside shows the photo untouched, the edge is drawn opaque.
  await page.getByTestId('overlay-outline').click();
  await expect(canvas).toHaveAttribute('data-overlay-style', 'outline');
  await expect.poll(async () => difference(await pixelAt(page, centre), photoCentre)).toBeLessThan(8);
  expect(difference(await pixelAt(page, edge), photoEdge)).toBeGreaterThan(60);
  await shot(page, testInfo, 'flow-outline');

  // Next mark zooms to each marked region in reading order, centred, and wraps round; Shift+N goes back.
  const centred = async (p: { x: number; y: number }) => {
    const box = (await canvas.boundingBox())!;
    const s = await toScreen(page, p);
    return Math.hypot(s.x - (box.x + box.width / 2), s.y - (box.y + box.height / 2));
  };
  await page.getByTestId('next-mark').click();
  await expect.poll(async () => Number(await canvas.getAttribute('data-zoom'))).toBeGreaterThan(fitZoom);
  expect(await centred({ x: 300, y: 375 })).toBeLessThan(3);
  await expect(page.getByTestId('status-message')).toHaveText('Mark 1 of 2');
  await page.keyboard.press('n');
  await expect(page.getByTestId('status-message')).toHaveText('Mark 2 of 2');
  expect(await centred({ x: 475, y: 775 })).toBeLessThan(3);
  await shot(page, testInfo, 'flow-next-mark');
  await page.keyboard.press('n');
  await expect(page.getByTestId('status-message')).toHaveText('Mark 1 of 2');
  await page.keyboard.press('Shift+N');
  await expect(page.getByTestId('status-message')).toHaveText('Mark 2 of 2');
  expect(await centred({ x: 475, y: 775 })).toBeLessThan(3);
});

async function pixelAt(page: Page, p: { x: number; y: number }): Promise<number[]> {
  const png = await page.screenshot({ clip: { x: Math.round(p.x), y: Math.round(p.y), width: 1, height: 1 } });
  const { data } = await sharp(png).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return [data[0]!, data[1]!, data[2]!];
}

function difference(a: readonly number[], b: readonly number[]): number {
  return Math.abs(a[0]! - b[0]!) + Math.abs(a[1]! - b[1]!) + Math.abs(a[2]! - b[2]!);
}

test('closing with unsaved marks offers Save, and nothing is left to undo after closing', async ({ shellPage: page, bridge }, testInfo) => {
  const photo = await copySample(testInfo, 'album.png');
  await openThroughDialog(page, bridge, photo);
  await page.getByTestId('tool-rect').click();
  await drag(page, [{ x: 100, y: 100 }, { x: 200, y: 160 }]);
  await expect.poll(() => maskPixels(page)).toBe(6000);

  await page.getByRole('button', { name: 'Close photo' }).click();
  const dialog = page.getByTestId('confirm-dialog');
  await expect(dialog).toBeVisible();
  await expect(dialog.getByTestId('confirm-alternative')).toHaveText('Save and close');
  await shot(page, testInfo, 'flow-close-save');
  await dialog.getByTestId('confirm-alternative').click();
  await expect(page.getByTestId('workspace-empty')).toBeVisible();
  const sidecar = path.join(path.dirname(photo), 'album.patina');
  await expect.poll(() => stat(sidecar).then(() => true, () => false)).toBe(true);
  // The history went with the photo: no stale Undo.
  await expect(page.getByTestId('undo')).toBeDisabled();
  await expect(page.getByTestId('undo')).toHaveAttribute('aria-label', 'Undo');

  // What was saved is what was marked.
  await openThroughDialog(page, bridge, sidecar);
  await expect.poll(() => maskPixels(page)).toBe(6000);

  // Close without saving still closes; Cancel keeps the photo.
  await drag(page, [{ x: 300, y: 300 }, { x: 320, y: 320 }]);
  await page.getByRole('button', { name: 'Close photo' }).click();
  await dialog.getByTestId('confirm-cancel').click();
  await expect(page.getByTestId('canvas')).toBeVisible();
  await page.getByRole('button', { name: 'Close photo' }).click();
  await dialog.getByTestId('confirm-ok').click();
  await expect(page.getByTestId('workspace-empty')).toBeVisible();
  await expect(page.getByTestId('undo')).toBeDisabled();
  await expect(page.getByTestId('redo')).toBeDisabled();
});

test('undo and redo are off in the Batch view and keys there do not touch the photo in the editor', async ({ shellPage: page, bridge }, testInfo) => {
  const photo = await copySample(testInfo);
  await openThroughDialog(page, bridge, photo);
  await page.getByTestId('tool-rect').click();
  await drag(page, [{ x: 100, y: 100 }, { x: 200, y: 160 }]);
  await expect.poll(() => maskPixels(page)).toBe(6000);
  await page.getByTestId('undo').click();
  await expect(page.getByTestId('redo')).toBeEnabled();
  await page.getByTestId('redo').click();
  await expect(page.getByTestId('undo')).toHaveAttribute('aria-label', 'Undo Rectangle');

  await page.getByTestId('mode-batch').click();
  await expect(page.getByTestId('undo')).toBeDisabled();
  await expect(page.getByTestId('undo')).toHaveAttribute('aria-label', 'Undo');
  await expect(page.getByTestId('redo')).toBeDisabled();
  await expect(page.getByTestId('restore')).toBeDisabled();
  await page.locator('body').click({ position: { x: 640, y: 790 } });
  await page.keyboard.press('Control+z');
  await page.keyboard.press('Delete');
  bridge.broadcast('menu:command', { command: 'edit.undo' });

  await page.getByTestId('mode-editor').click();
  await expect(page.getByTestId('undo')).toHaveAttribute('aria-label', 'Undo Rectangle');
  expect(await maskPixels(page)).toBe(6000);
});

test('the fill quality chosen in the editor reaches the engine and is remembered', async ({ shellPage: page, bridge }, testInfo) => {
  test.setTimeout(120_000);
  const photo = await copySample(testInfo);
  await openThroughDialog(page, bridge, photo);
  const mode = page.getByTestId('restore-quality-mode');
  await expect(mode).toHaveValue('best');
  await mode.selectOption('fast');
  await page.getByTestId('tool-rect').click();
  await drag(page, [{ x: 100, y: 100 }, { x: 160, y: 140 }]);
  await expect.poll(() => maskPixels(page)).toBeGreaterThan(0);
  await page.getByTestId('restore').click();
  await expect(page.getByTestId('canvas')).toHaveAttribute('data-version', '1', { timeout: 90_000 });
  // The engine answers with the mode it ran, and the notice says it.
  await expect(page.getByTestId('notice')).toContainText('(fast fill)');
  await shot(page, testInfo, 'flow-fill-quality');
  await page.reload();
  await expect(page.getByTestId('open')).toBeVisible();
  await openThroughDialog(page, bridge, photo);
  await expect(page.getByTestId('restore-quality-mode')).toHaveValue('fast');
});
