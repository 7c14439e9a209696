import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Locator, Page } from '@playwright/test';
import sharp from 'sharp';
import { expect, test } from './fixtures';
import { cleanPhotoFolders, layerRows, maskPixels, photoFolder } from './editor-page';
import { sharedData } from './paths';

/*
 * Without the mouse (issue 28): a photo restored end to end (open, find
 * damage, review, restore, compare, export) and a batch run, by keys alone.
 * Every stop Tab reaches must show where focus is; dialogs keep Tab inside and
 * give focus back when they close; the live region says how work goes.
 */

test.afterEach(cleanPhotoFolders);

/** What the one live region said, in order (collected in the page from the start). */
async function listenToLiveRegion(page: Page): Promise<() => Promise<string[]>> {
  await page.evaluate(() => {
    const region = document.querySelector('[data-testid="live-region"]')!;
    const said: string[] = [];
    (window as unknown as { __said: string[] }).__said = said;
    new MutationObserver(() => {
      const text = region.textContent?.trim();
      if (text) said.push(text);
    }).observe(region, { childList: true, characterData: true, subtree: true });
  });
  return () => page.evaluate(() => [...(window as unknown as { __said: string[] }).__said]);
}

/** Where focus is, and whether it can be seen: an outline of 2 px or more, or a ring drawn as a box shadow. */
async function focusRing(page: Page): Promise<{ where: string; visible: boolean }> {
  return page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    if (!el || el === document.body) return { where: 'body', visible: true };
    const shows = (e: Element | null) => {
      if (!e) return false;
      const s = getComputedStyle(e);
      return (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2) || s.boxShadow !== 'none';
    };
    const where = `${el.tagName.toLowerCase()} ${el.dataset.testid ?? el.getAttribute('aria-label') ?? el.textContent?.trim().slice(0, 40) ?? ''}`;
    // A visually hidden radio shows its ring on its label.
    return { where, visible: shows(el) || shows(el.closest('label')) };
  });
}

/** Presses Tab (or Shift+Tab) until `target` has focus; every stop on the way must show its focus. */
async function tabTo(page: Page, target: Locator, options: { back?: boolean; limit?: number } = {}): Promise<void> {
  const visited: string[] = [];
  for (let i = 0; i < (options.limit ?? 40); i++) {
    if (await target.evaluate((el) => el === document.activeElement).catch(() => false)) return;
    await page.keyboard.press(options.back ? 'Shift+Tab' : 'Tab');
    const ring = await focusRing(page);
    visited.push(ring.where);
    expect(ring.visible, `focus not visible on ${ring.where}`).toBe(true);
  }
  throw new Error(`Tab never reached the target; it went through: ${visited.join(' | ')}`);
}

const focusedTestId = (page: Page) => page.evaluate(() => (document.activeElement as HTMLElement | null)?.dataset.testid ?? null);

test('restores a photo end to end with the keyboard alone', async ({ shellPage: page, bridge }, testInfo) => {
  test.setTimeout(180_000);
  const dir = await photoFolder(testInfo);
  const file = path.join(dir, 'scratched.png');
  await writeFile(file, await readFile(sharedData('damaged/bopb_old_photos/old_w_scratch/a.png')));
  const said = await listenToLiveRegion(page);

  // Open: Tab to the start view's button; the (scripted) system dialog answers.
  bridge.dialogs.queueOpenImage([file]);
  await tabTo(page, page.getByTestId('workspace-open'));
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('canvas')).toHaveAttribute('data-zoom', /\d/);
  // Keys go to the photo, and its focus shows.
  await expect(page.getByTestId('canvas')).toBeFocused();
  expect((await focusRing(page)).visible).toBe(true);

  // A tap of Tab leaves the photo (no keyboard trap); holding it would show the original.
  await page.keyboard.press('Tab');
  await expect(page.getByTestId('detect-damage')).toBeFocused();
  await expect(page.getByTestId('canvas')).toHaveAttribute('data-compare', 'off');

  // Find damage, from the layers panel.
  await tabTo(page, page.getByTestId('detect-damage'));
  await page.keyboard.press('Enter');
  await expect(layerRows(page)).toHaveCount(2, { timeout: 60_000 });
  await expect.poll(() => maskPixels(page)).toBeGreaterThan(0);
  await expect.poll(said).toContainEqual(expect.stringMatching(/^Finding damage done/));

  // Review: the layers listbox with the arrow keys, the marks one by one with N.
  const detected = layerRows(page).filter({ hasText: 'Detected damage' });
  await tabTo(page, page.locator('[data-testid="layer-row"][aria-selected="true"]'));
  await expect(page.getByRole('listbox', { name: 'Mask layers, top first' })).toBeVisible();
  await expect(detected).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('ArrowDown');
  await expect(detected).toHaveAttribute('aria-selected', 'false');
  await expect(layerRows(page).nth(1)).toBeFocused();
  await page.keyboard.press('ArrowUp');
  await expect(detected).toBeFocused();
  await expect(detected).toHaveAttribute('aria-selected', 'true');
  // Its actions are a toolbar: one Tab stop, arrows between the buttons.
  await page.keyboard.press('Tab');
  const actions = page.getByRole('toolbar', { name: 'Actions for Detected damage' });
  await expect(actions.getByTestId('layer-action-visible')).toBeFocused();
  await page.keyboard.press('ArrowRight');
  await expect(actions.getByTestId('layer-action-lock')).toBeFocused();
  await page.keyboard.press('n');
  await expect(page.getByTestId('status-message')).toHaveText(/^Mark 1 of \d+$/);
  // The next mark, or the first again when the detection is one connected mark.
  const marks = Number((await page.getByTestId('status-message').textContent())!.match(/of (\d+)$/)![1]);
  await page.keyboard.press('n');
  await expect(page.getByTestId('status-message')).toHaveText(`Mark ${marks > 1 ? 2 : 1} of ${marks}`);
  await page.keyboard.press('0');

  // Restore (Shift+R): the live region says it started and finished, not every event.
  await page.keyboard.press('Shift+R');
  await expect(page.getByTestId('canvas')).toHaveAttribute('data-version', '1', { timeout: 90_000 });
  await expect.poll(said).toContainEqual('Restore done');
  const restoreSaid = (await said()).filter((s) => s.startsWith('Restor'));
  expect(restoreSaid[0]).toBe('Restoring started');
  expect(restoreSaid.at(-1)).toBe('Restore done');
  expect(restoreSaid.length).toBeLessThanOrEqual(5);

  // Compare: C shows the split view; its divider is a slider the arrow keys move.
  await page.keyboard.press('c');
  const slider = page.getByTestId('compare-slider');
  await expect(slider).toBeVisible();
  await tabTo(page, slider, { back: true });
  const before = Number(await slider.getAttribute('aria-valuenow'));
  await page.keyboard.press('Shift+ArrowLeft');
  await expect.poll(async () => Number(await slider.getAttribute('aria-valuenow'))).toBe(before - 10);
  await page.keyboard.press('c');
  await expect(slider).toBeHidden();

  // Export from the main toolbar: one Tab stop, arrows to the Export button.
  await tabTo(page, page.getByTestId('open'), { back: true });
  for (let i = 0; i < 6 && (await focusedTestId(page)) !== 'export'; i++) await page.keyboard.press('ArrowRight');
  await expect(page.getByTestId('export')).toBeFocused();
  await page.keyboard.press('Enter');
  const dialog = page.getByTestId('export-dialog');
  await expect(dialog).toBeVisible();
  // Tab cycles inside the dialog, both ways.
  for (let i = 0; i < 12; i++) {
    await page.keyboard.press(i < 6 ? 'Tab' : 'Shift+Tab');
    expect(await dialog.evaluate((d) => d.contains(document.activeElement))).toBe(true);
    expect((await focusRing(page)).visible).toBe(true);
  }
  // Escape closes it and focus goes back to the Export button.
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(page.getByTestId('export')).toBeFocused();

  // Again, this time as PNG: the arrow keys pick the format, Tab reaches Export.
  await page.keyboard.press('Enter');
  await expect(dialog).toBeVisible();
  await expect(dialog.locator('input[type="radio"]:checked')).toBeFocused();
  for (let i = 0; i < 4 && !(await page.getByTestId('export-format-png').isChecked()); i++) await page.keyboard.press('ArrowRight');
  await expect(page.getByTestId('export-format-png')).toBeChecked();
  const target = path.join(dir, 'scratched_restored.png');
  await expect(page.getByTestId('export-target')).toHaveText(target);
  await tabTo(page, page.getByTestId('export-confirm'));
  await page.keyboard.press('Enter');
  await expect(dialog).toBeHidden();
  await expect.poll(() => existsSync(target)).toBe(true);
  const out = await sharp(target).metadata();
  expect([out.width, out.height, out.format]).toEqual([(await sharp(file).metadata()).width, (await sharp(file).metadata()).height, 'png']);
});

test('runs a batch with the keyboard alone, hearing its progress', async ({ shellPage: page, bridge }, testInfo) => {
  test.setTimeout(120_000);
  const dir = testInfo.outputPath('scans');
  mkdirSync(dir, { recursive: true });
  for (let i = 1; i <= 8; i++) {
    await sharp({ create: { width: 640, height: 480, channels: 3, background: { r: 110 + i * 5, g: 96, b: 80 } } })
      .jpeg({ quality: 90 })
      .toFile(path.join(dir, `p${i}.jpg`));
  }
  writeFileSync(path.join(dir, 'broken.jpg'), Buffer.alloc(64, 7));
  const m = Buffer.alloc(640 * 480);
  for (let x = 0; x < 640; x++) for (let t = 0; t < 4; t++) m[(120 + Math.round(x / 4) + t) * 640 + x] = 255;
  const mask = testInfo.outputPath('scratch.png');
  await sharp(m, { raw: { width: 640, height: 480, channels: 1 } }).png().toFile(mask);
  const output = testInfo.outputPath('restored');
  const said = await listenToLiveRegion(page);

  // The mode switch, then the form top to bottom.
  await tabTo(page, page.getByTestId('mode-batch'));
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('batch-view')).toBeVisible();

  bridge.dialogs.queueChooseFolder(dir);
  await tabTo(page, page.getByTestId('batch-input-folder-choose'));
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('batch-input-folder')).toHaveValue(dir);

  // A select takes the arrow keys: up to the first choice (the form remembers the last batch's), then down to "One mask for every photo".
  await tabTo(page, page.getByTestId('batch-mask-mode'));
  for (let i = 0; i < 5 && (await page.getByTestId('batch-mask-mode').inputValue()) !== 'folder'; i++) await page.keyboard.press('ArrowUp');
  await page.keyboard.press('ArrowDown');
  await expect(page.getByTestId('batch-mask-mode')).toHaveValue('file');
  bridge.dialogs.queueOpenImage([mask]);
  await tabTo(page, page.getByTestId('batch-mask-path-choose'));
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('batch-mask-path')).toHaveValue(mask);

  bridge.dialogs.queueChooseFolder(output);
  await tabTo(page, page.getByTestId('batch-output-folder-choose'));
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('batch-output-folder')).toHaveValue(output);

  await tabTo(page, page.getByTestId('batch-start'));
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('batch-state')).toHaveAttribute('data-state', 'finished', { timeout: 90_000 });
  await expect(page.getByTestId('batch-done')).toHaveText('8 restored');
  await expect.poll(said).toContainEqual('Batch finished: 8 restored, 1 failed, 0 skipped');
  const batchSaid = (await said()).filter((s) => s.startsWith('Batch'));
  expect(batchSaid[0]).toBe('Batch started: 9 files');
  // Steps, not events: start, at most three quarters (a failure may ride along), the end.
  expect(batchSaid.length).toBeLessThanOrEqual(5);
  for (let i = 1; i <= 8; i++) expect(existsSync(path.join(output, `p${i}.jpg`)), `p${i}.jpg`).toBe(true);

  // A restored photo opens in the editor from its row, still without the mouse.
  await tabTo(page, page.locator('[data-testid="batch-item"][data-rel="p3.jpg"]').getByTestId('batch-item-open'), { limit: 60 });
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('document-tab')).toContainText('p3.jpg');
});
