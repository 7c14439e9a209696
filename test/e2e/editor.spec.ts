import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from '@playwright/test';
import sharp from 'sharp';
import { expect, test } from './fixtures';
import {
  cleanPhotoFolders,
  copySample,
  drag,
  layerRows,
  markMostOfLargeScan,
  maskPixels,
  openThroughDialog,
  photoFolder,
  rgb,
  segmentDistance,
  setBrushSize,
  shot,
  spaceDrag,
  type ImagePoint,
} from './editor-page';
import { sharedData } from './paths';

/*
 * The restoration editor in Chromium against the real backend (bridge):
 * real photo files, the real ONNX model, real files written to disk.
 * Expected pixels are checked in Node by decoding what the app wrote.
 */

test.afterEach(cleanPhotoFolders);

const BRUSH = 14;
const STROKE_A: ImagePoint[] = [
  { x: 120, y: 230 },
  { x: 260, y: 290 },
  { x: 330, y: 300 },
];
const STROKE_B: ImagePoint[] = [
  { x: 420, y: 620 },
  { x: 520, y: 700 },
];

test('marks damage on layers, undoes, and restores only where the mask is', async ({ shellPage: page, bridge }, testInfo) => {
  test.setTimeout(120_000);
  const photo = await copySample(testInfo);
  await openThroughDialog(page, bridge, photo);
  await expect(page.getByTestId('document-tab')).toContainText('garden girl.png');
  await expect(page.getByTestId('status-size')).toHaveText('644 × 900 px');
  await expect(page.getByTestId('status-zoom')).toHaveText(/\d+ %/);

  // A new layer on top of the default one, and a stroke on it.
  await expect(layerRows(page)).toHaveCount(1);
  await page.getByTestId('layer-add').click();
  await expect(layerRows(page)).toHaveCount(2);
  const newLayer = layerRows(page).first();
  await expect(newLayer).toHaveAttribute('aria-current', 'true');
  await page.getByTestId('tool-brush').click();
  await expect(page.getByTestId('tool-brush')).toHaveAttribute('aria-pressed', 'true');
  await setBrushSize(page, BRUSH);
  await expect(page.getByTestId('restore')).toBeDisabled();
  await drag(page, STROKE_A);
  await expect.poll(() => maskPixels(page)).toBeGreaterThan(2000);
  const strokeA = await maskPixels(page);
  await expect(page.getByTestId('restore')).toBeEnabled();
  await shot(page, testInfo, 'editor-stroke');

  // Hidden layers are not part of the mask sent to the engine.
  await newLayer.getByTestId('layer-visible').click();
  await expect(newLayer).toHaveAttribute('data-visible', 'false');
  await expect.poll(() => maskPixels(page)).toBe(0);
  await expect(page.getByTestId('restore')).toBeDisabled();

  // Undo brings the layer back; undo again removes the stroke; redo twice restores both.
  await page.getByTestId('undo').click();
  await expect(newLayer).toHaveAttribute('data-visible', 'true');
  await expect.poll(() => maskPixels(page)).toBe(strokeA);
  await page.getByTestId('undo').click();
  await expect.poll(() => maskPixels(page)).toBe(0);
  await page.getByTestId('redo').click();
  await expect.poll(() => maskPixels(page)).toBe(strokeA);
  await page.keyboard.press('Control+Shift+Z');
  await expect(newLayer).toHaveAttribute('data-visible', 'false');
  await page.keyboard.press('Control+z');
  await expect.poll(() => maskPixels(page)).toBe(strokeA);

  // Paint again, on the visible layer.
  await drag(page, STROKE_B);
  await expect.poll(() => maskPixels(page)).toBeGreaterThan(strokeA + 500);
  const strokesAB = await maskPixels(page);

  // Restore with Shift+R: progress, then the result replaces the image as one undo step.
  await page.keyboard.press('Shift+R');
  await expect(page.getByTestId('canvas')).toHaveAttribute('data-version', '1', { timeout: 90_000 });
  await expect(page.getByTestId('notice')).toContainText('Restored');
  await expect(page.getByTestId('undo')).toHaveAttribute('aria-label', 'Undo Restore');
  await shot(page, testInfo, 'editor-restored');

  // Marks are hidden on the result; painting shows them again. Restoring again works on the latest result.
  await expect(page.getByTestId('overlay-toggle')).toHaveAttribute('aria-pressed', 'false');
  await drag(page, [{ x: 150, y: 800 }, { x: 250, y: 820 }]);
  await expect(page.getByTestId('overlay-toggle')).toHaveAttribute('aria-pressed', 'true');
  await page.getByTestId('restore').click();
  await expect(page.getByTestId('canvas')).toHaveAttribute('data-version', '2', { timeout: 90_000 });
  await page.getByTestId('undo').click();
  await expect(page.getByTestId('canvas')).toHaveAttribute('data-version', '1');
  // The first restore consumed strokes A and B (editor-flow.spec.ts follows that through).
  await page.getByTestId('undo').click();
  await expect.poll(() => maskPixels(page)).toBe(0);

  // Hold Tab: the original; the split view: both.
  await page.getByTestId('canvas').hover();
  await page.keyboard.down('Tab');
  await expect(page.getByTestId('canvas')).toHaveAttribute('data-compare', 'hold');
  await page.keyboard.up('Tab');
  await expect(page.getByTestId('canvas')).toHaveAttribute('data-compare', 'off');
  await page.getByTestId('compare').click();
  await expect(page.getByTestId('compare-slider')).toBeVisible();
  await shot(page, testInfo, 'editor-compare');
  await page.getByTestId('compare').click();

  // Export (PNG, lossless) beside the original, then compare pixels with the original in Node.
  await page.getByTestId('export').click();
  await expect(page.getByTestId('export-target')).toHaveText(path.join(path.dirname(photo), 'garden girl_restored.png'));
  await shot(page, testInfo, 'editor-export');
  await page.getByTestId('export-confirm').click();
  await expect(page.getByTestId('export-dialog')).toBeHidden();
  const exported = path.join(path.dirname(photo), 'garden girl_restored.png');
  const [before, after] = await Promise.all([rgb(photo), rgb(exported)]);
  expect([after.width, after.height]).toEqual([644, 900]);
  const strokes = [STROKE_A, STROKE_B];
  let changed = 0;
  let outside = 0;
  for (let y = 0; y < before.height; y++) {
    for (let x = 0; x < before.width; x++) {
      const i = (y * before.width + x) * 3;
      if (before.data[i] === after.data[i] && before.data[i + 1] === after.data[i + 1] && before.data[i + 2] === after.data[i + 2]) continue;
      changed++;
      // Inside the brush (radius 7) plus two pixels for the rasterised stroke's rounding.
      const centre = { x: x + 0.5, y: y + 0.5 };
      const near = strokes.some((s) => s.some((p, k) => k > 0 && segmentDistance(centre, s[k - 1]!, p) <= BRUSH / 2 + 2));
      if (!near) outside++;
    }
  }
  expect(changed, 'the restore changed the marked pixels').toBeGreaterThan(1000);
  expect(outside, 'pixels changed outside the mask').toBe(0);

  // Exporting again asks before replacing; cancelling leaves the file alone.
  const firstExport = await stat(exported);
  await page.getByTestId('export').click();
  await page.getByTestId('export-confirm').click();
  await expect(page.getByTestId('confirm-dialog')).toBeVisible();
  await page.getByTestId('confirm-cancel').click();
  await page.keyboard.press('Escape');
  expect((await stat(exported)).mtimeMs).toBe(firstExport.mtimeMs);

  // Undo the restore: the original image is back, and so are the marks it consumed.
  await page.getByTestId('undo').click();
  await expect(page.getByTestId('canvas')).toHaveAttribute('data-version', '0');
  await expect.poll(() => maskPixels(page)).toBe(strokesAB);
});

test('saves the project beside the photo and reopens its layers', async ({ shellPage: page, bridge }, testInfo) => {
  test.setTimeout(90_000);
  const photo = await copySample(testInfo, 'album page.png');
  await openThroughDialog(page, bridge, photo);
  // Closing the window holds while marks are unsaved (main then asks; see window.ts).
  const holdsUnload = () =>
    page.evaluate(() => {
      const event = new Event('beforeunload', { cancelable: true });
      window.dispatchEvent(event);
      return event.defaultPrevented;
    });
  expect(await holdsUnload()).toBe(false);

  // Rename the default layer, add a second one, mark a rectangle, lock it, recolour it.
  await layerRows(page).first().getByTestId('layer-name').dblclick();
  // The menu's Undo (Ctrl+Z) while typing a name undoes the typing, not a mask edit.
  await page.getByTestId('layer-name-input').fill('');
  await page.keyboard.type('Scratches');
  await page.keyboard.type(' typo');
  bridge.broadcast('menu:command', { command: 'edit.undo' });
  await expect(page.getByTestId('layer-name-input')).not.toHaveValue('Scratches typo');
  await expect(layerRows(page)).toHaveCount(1);
  await page.getByTestId('layer-name-input').fill('Scratches');
  await page.keyboard.press('Enter');
  await page.getByTestId('tool-rect').click();
  await drag(page, [{ x: 100, y: 100 }, { x: 200, y: 160 }]);
  await expect.poll(() => maskPixels(page)).toBe(100 * 60);
  await page.getByTestId('layer-add').click();
  await page.getByTestId('tool-lasso').click();
  await drag(page, [{ x: 300, y: 500 }, { x: 400, y: 500 }, { x: 400, y: 600 }, { x: 300, y: 600 }]);
  await expect.poll(() => maskPixels(page)).toBeGreaterThan(6000 + 9000);
  const marked = await maskPixels(page);
  expect(await holdsUnload()).toBe(true);
  const top = layerRows(page).first();
  await top.getByTestId('layer-lock').click();
  await expect(top).toHaveAttribute('data-locked', 'true');
  await top.getByTestId('layer-color').click();
  // The palette sits beside the row: a listbox option holds no buttons.
  await page.getByRole('group', { name: 'Colours for Mask 1' }).getByRole('button', { name: 'Use #5fdc8a' }).click();
  await expect(layerRows(page).getByTestId('layer-name')).toHaveText(['Mask 1', 'Scratches']);

  // Save (Ctrl+S) writes <stem>.patina beside the photo.
  await page.keyboard.press('Control+s');
  const sidecar = path.join(path.dirname(photo), 'album page.patina');
  await expect.poll(() => stat(sidecar).then(() => true, () => false)).toBe(true);
  expect((await readFile(sidecar)).subarray(0, 8).toString('latin1')).toBe('PATINAPJ');
  await expect.poll(holdsUnload).toBe(false);

  // Close, then reopen the project: same layers, same marks, same state.
  await page.getByRole('button', { name: 'Close photo' }).click();
  await expect(page.getByTestId('workspace-empty')).toBeVisible();
  await expect(page.getByTestId('recent-file').first()).toContainText('album page.patina');
  await openThroughDialog(page, bridge, sidecar);
  await expect(layerRows(page).getByTestId('layer-name')).toHaveText(['Mask 1', 'Scratches']);
  await expect(layerRows(page).first()).toHaveAttribute('data-locked', 'true');
  await expect(layerRows(page).first().getByTestId('layer-color')).toHaveAttribute('aria-label', /#5fdc8a/);
  await expect.poll(() => maskPixels(page)).toBe(marked);
  await shot(page, testInfo, 'editor-project-reopened');

  // Opening the photo itself (here from File ▸ Open Recent) offers to resume the saved project.
  await page.getByRole('button', { name: 'Close photo' }).click();
  // As the app's menu does (src/main/app/start.ts): the person picked the file there, so main grants it.
  bridge.broadcast('menu:open-recent', bridge.backend.grants.grant(photo, 'read'));
  await expect(page.getByTestId('canvas')).toBeVisible();
  await expect(page.getByTestId('resume-offer')).toBeVisible();
  await page.getByTestId('resume-project').click();
  await expect(layerRows(page)).toHaveCount(2);
});

test('cancels a running restore and leaves the image as it was', async ({ shellPage: page, bridge }, testInfo) => {
  test.setTimeout(120_000);
  // A 3000 x 2000 scan marked with twelve long bands: no band is deep enough to be filled scaled down
  // as one crop, so the job is dozens of full-resolution tiles and still going when cancelled
  // (pipeline.ts checks for a cancel between crops).
  const file = path.join(await photoFolder(testInfo), 'large scan.jpg');
  await sharp({ create: { width: 3000, height: 2000, channels: 3, background: '#8a7255' } })
    .composite([{ input: await noise(3000, 2000), raw: { width: 3000, height: 2000, channels: 3 }, blend: 'overlay' }])
    .jpeg({ quality: 85 })
    .toFile(file);
  await openThroughDialog(page, bridge, file);
  await markMostOfLargeScan(page);
  await page.getByTestId('restore').click();
  const progress = page.getByTestId('restore-progress');
  await expect(progress).toHaveAttribute('data-stage', 'inpaint', { timeout: 60_000 });
  await shot(page, testInfo, 'editor-restoring');
  await page.getByTestId('restore-cancel').click();
  await expect(progress).toBeHidden({ timeout: 60_000 });
  await expect(page.getByTestId('notice')).toContainText('cancelled');
  await expect(page.getByTestId('canvas')).toHaveAttribute('data-version', '0');
  await expect(page.getByTestId('undo')).toHaveAttribute('aria-label', 'Undo Rectangle');
  // Nothing was written beside the photo.
  expect(await readdir(path.dirname(file))).toEqual(['large scan.jpg']);
});

test('zooms, pans, sizes the brush and lists shortcuts from the keyboard', async ({ shellPage: page, bridge }, testInfo) => {
  const photo = await copySample(testInfo);
  await openThroughDialog(page, bridge, photo);
  const canvas = page.getByTestId('canvas');
  const fitZoom = Number(await canvas.getAttribute('data-zoom'));

  await page.keyboard.press('1');
  await expect(canvas).toHaveAttribute('data-zoom', '1');
  await expect(page.getByTestId('zoom-level')).toHaveText('100 %');
  await page.keyboard.press('+');
  await expect(canvas).toHaveAttribute('data-zoom', '1.5');
  await page.keyboard.press('-');
  await expect(canvas).toHaveAttribute('data-zoom', '1');

  // Wheel zooms about the pointer; Space+drag and the middle button pan.
  const box = (await canvas.boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.wheel(0, -300);
  await expect.poll(async () => Number(await canvas.getAttribute('data-zoom'))).toBeGreaterThan(1.2);
  const panX = Number(await canvas.getAttribute('data-pan-x'));
  await spaceDrag(page, { x: box.x + box.width / 2, y: box.y + box.height / 2 }, 80);
  await expect.poll(async () => Number(await canvas.getAttribute('data-pan-x'))).toBeCloseTo(panX + 80, 0);
  await page.mouse.down({ button: 'middle' });
  await page.mouse.move(box.x + box.width / 2 + 80, box.y + box.height / 2 + 50, { steps: 4 });
  await page.mouse.up({ button: 'middle' });
  expect(await maskPixels(page)).toBe(0);

  // Esc resets the view to fit.
  await page.keyboard.press('Escape');
  await expect(canvas).toHaveAttribute('data-zoom', String(fitZoom));

  // Brush size: [ ] and Alt+wheel; the ring follows.
  await page.getByTestId('tool-brush').click();
  await setBrushSize(page, 20);
  await page.keyboard.press(']');
  await expect(page.getByTestId('brush-size')).toHaveAttribute('data-size', '24');
  await page.keyboard.press('[');
  await expect(page.getByTestId('brush-size')).toHaveAttribute('data-size', '20');
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.keyboard.down('Alt');
  await page.mouse.wheel(0, -100);
  await page.keyboard.up('Alt');
  await expect(page.getByTestId('brush-size')).toHaveAttribute('data-size', '24');
  await expect(page.getByTestId('brush-ring')).toBeVisible();

  // Tools by key; the shortcuts overlay is generated from the command registry.
  await page.keyboard.press('e');
  await expect(page.getByTestId('tool-eraser')).toHaveAttribute('aria-pressed', 'true');
  await page.keyboard.press('Shift+?');
  const overlay = page.getByTestId('shortcuts-overlay');
  await expect(overlay).toBeVisible();
  await expect(overlay.locator('[data-command="restore.run"]')).toContainText('Shift+R');
  await expect(overlay.locator('[data-command="edit.undo"]')).toContainText('Ctrl+Z');
  await shot(page, testInfo, 'editor-shortcuts');
  await page.keyboard.press('Escape');
  await expect(overlay).toBeHidden();
});

test('opens a dropped file and refuses a broken one without losing the open photo', async ({ shellPage: page, bridge }, testInfo) => {
  const png = await sharp({ create: { width: 64, height: 48, channels: 3, background: '#6b8e23' } }).png().toBuffer();
  await dropFile(page, 'dropped scan.png', png);
  await expect(page.getByTestId('document-tab')).toContainText('dropped scan.png');
  await expect(page.getByTestId('status-size')).toHaveText('64 × 48 px');

  const broken = path.join(await photoFolder(testInfo), 'broken.jpg');
  await writeFile(broken, Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10]));
  bridge.dialogs.queueOpenImage([broken]);
  await page.getByTestId('open').click();
  await expect(page.getByTestId('notice')).toHaveAttribute('data-kind', 'error');
  await expect(page.getByTestId('notice')).toContainText('broken.jpg');
  await expect(page.getByTestId('document-tab')).toContainText('dropped scan.png');
});

async function dropFile(page: Page, name: string, bytes: Buffer): Promise<void> {
  const dataTransfer = await page.evaluateHandle(
    ({ name, data }) => {
      const dt = new DataTransfer();
      dt.items.add(new File([new Uint8Array(data)], name, { type: 'image/png' }));
      return dt;
    },
    { name, data: [...bytes] },
  );
  for (const type of ['dragenter', 'dragover', 'drop']) await page.dispatchEvent('[data-testid="workspace"]', type, { dataTransfer });
}

async function noise(width: number, height: number): Promise<Buffer> {
  const px = Buffer.alloc(width * height * 3);
  let seed = 99;
  for (let i = 0; i < px.length; i++) {
    seed = (seed * 1103515245 + 12345) >>> 0;
    px[i] = 96 + ((seed >>> 24) % 64);
  }
  return px;
}

test('finds damage automatically and adds it as an editable layer', async ({ shellPage: page, bridge }, testInfo) => {
  test.setTimeout(90_000);
  const file = path.join(await photoFolder(testInfo), 'scratched.png');
  await writeFile(file, await readFile(sharedData('damaged/bopb_old_photos/old_w_scratch/a.png')));
  // What the detector finds comes from the backend itself; the editor must show exactly that.
  const reply = await bridge.backend.router.dispatch('defects:detect', { image: { grant: bridge.backend.grants.grant(file, 'read').grant } }, { callerId: 'test', emit: () => {} });
  if (!reply.ok) throw new Error(`defects:detect failed: ${reply.error.message}`);
  const flagged = (reply.value as { flaggedPixels: number }).flaggedPixels;

  await openThroughDialog(page, bridge, file);
  await expect(layerRows(page)).toHaveCount(1);
  await page.getByTestId('detect-damage').click();
  if (flagged === 0) {
    await expect(page.getByTestId('notice')).toContainText('No damage found');
    await expect(layerRows(page)).toHaveCount(1);
    return;
  }
  await expect(layerRows(page)).toHaveCount(2, { timeout: 60_000 });
  await expect(layerRows(page).first().getByTestId('layer-name')).toHaveText('Detected damage');
  await expect.poll(() => maskPixels(page)).toBe(flagged);
  await shot(page, testInfo, 'editor-detected');
  // One undo step removes the whole detection.
  await page.getByTestId('undo').click();
  await expect(layerRows(page)).toHaveCount(1);
  await expect.poll(() => maskPixels(page)).toBe(0);

  // The sensitivity slider reaches the detector: at 1 the editor shows what the backend finds at 1.
  const high = await bridge.backend.router.dispatch('defects:detect', { image: { grant: bridge.backend.grants.grant(file, 'read').grant }, sensitivity: 1 }, { callerId: 'test', emit: () => {} });
  if (!high.ok) throw new Error(`defects:detect failed: ${high.error.message}`);
  const flaggedHigh = (high.value as { flaggedPixels: number }).flaggedPixels;
  expect(flaggedHigh).toBeGreaterThan(flagged);
  await page.getByTestId('detect-sensitivity').fill('1');
  await page.getByTestId('detect-damage').click();
  await expect(layerRows(page)).toHaveCount(2, { timeout: 60_000 });
  await expect.poll(() => maskPixels(page)).toBe(flaggedHigh);

  // The detector picker reaches the backend as well: the classical filters find another mask, shown exactly.
  const classical = await bridge.backend.router.dispatch(
    'defects:detect',
    { image: { grant: bridge.backend.grants.grant(file, 'read').grant }, sensitivity: 1, method: 'classical' },
    { callerId: 'test', emit: () => {} },
  );
  if (!classical.ok) throw new Error(`defects:detect failed: ${classical.error.message}`);
  const flaggedClassical = (classical.value as { flaggedPixels: number; method: string }).flaggedPixels;
  expect((classical.value as { method: string }).method).toBe('classical');
  expect(flaggedClassical).toBeGreaterThan(0);
  expect(flaggedClassical).not.toBe(flaggedHigh);
  await page.getByTestId('undo').click();
  await expect(layerRows(page)).toHaveCount(1);
  await page.getByTestId('detect-method').selectOption('classical');
  await page.getByTestId('detect-damage').click();
  await expect(layerRows(page)).toHaveCount(2, { timeout: 60_000 });
  await expect.poll(() => maskPixels(page)).toBe(flaggedClassical);
});
