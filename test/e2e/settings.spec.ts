import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { DEFAULT_SETTINGS } from '../../src/shared/ipc/settings';
import { expect, test } from './fixtures';
import { cleanPhotoFolders, copySample, openThroughDialog, photoFolder, shot } from './editor-page';

/*
 * The settings page (issue 26, item 11): the person's defaults, kept by main
 * (in memory in the bridge, a file under the user-data folder in Electron),
 * and used by the editor and the batch form.
 */

test.afterEach(cleanPhotoFolders);

test('settings are kept, and the editor and the batch form start from them', async ({ shellPage: page, bridge }, testInfo) => {
  test.setTimeout(120_000);
  // One bridge serves every test of this worker: put its settings back afterwards.
  try {
    await page.getByTestId('settings-open').click();
    const dialog = page.getByTestId('settings-dialog');
    await expect(dialog).toBeVisible();
    // Auto and CPU are always offered; this machine has no GPU, and the engine says what it runs on.
    const devices = await page.getByTestId('settings-device').locator('option').evaluateAll((o) => o.map((e) => (e as HTMLOptionElement).value));
    expect(devices.slice(0, 2)).toEqual(['auto', 'cpu']);
    await expect(page.getByTestId('settings-device-in-use')).toContainText('In use: CPU', { timeout: 30_000 });

    await page.getByTestId('settings-quality-mode').selectOption('fast');
    await page.getByTestId('settings-detect-method').selectOption('classical');
    await page.getByTestId('settings-detect-medium').selectOption('film');
    await page.getByTestId('settings-sensitivity').fill('0.8');
    await expect(page.getByTestId('settings-sensitivity-value')).toHaveText('80 %');
    await page.getByTestId('settings-grain').selectOption('off');
    await page.getByTestId('settings-texture').selectOption('off');
    await page.getByTestId('settings-export-format').selectOption('png');
    await page.getByTestId('settings-device').selectOption('cpu');
    await expect(page.getByTestId('settings-device-in-use')).toContainText('applies when Patina restarts');
    await shot(page, testInfo, 'settings-page');
    await page.getByTestId('settings-close').click();
    await expect(dialog).toBeHidden();

    // Kept by main: a new page (a fresh renderer) reads them back.
    await page.reload();
    await expect(page.getByTestId('app-shell')).toHaveAttribute('data-ready', 'true');
    await page.getByTestId('settings-open').click();
    await expect(page.getByTestId('settings-quality-mode')).toHaveValue('fast');
    await expect(page.getByTestId('settings-detect-method')).toHaveValue('classical');
    await expect(page.getByTestId('settings-detect-medium')).toHaveValue('film');
    await expect(page.getByTestId('settings-sensitivity-value')).toHaveText('80 %');
    await expect(page.getByTestId('settings-grain')).toHaveValue('off');
    await expect(page.getByTestId('settings-texture')).toHaveValue('off');
    await expect(page.getByTestId('settings-export-format')).toHaveValue('png');
    await expect(page.getByTestId('settings-device')).toHaveValue('cpu');
    await page.getByTestId('settings-close').click();

    // The editor starts from them.
    const photo = await copySample(testInfo);
    await openThroughDialog(page, bridge, photo);
    await expect(page.getByTestId('detect-sensitivity-value')).toHaveText('80 %');
    await expect(page.getByTestId('detect-method')).toHaveValue('classical');
    await expect(page.getByTestId('detect-medium')).toHaveValue('film');
    await expect(page.getByTestId('restore-quality-mode')).toHaveValue('fast');
    await page.getByTestId('export').click();
    await expect(page.getByTestId('export-format-png')).toBeChecked();
    await page.keyboard.press('Escape');

    // So does the batch form, and its batch runs with them: the report records grain matching and detail transfer off.
    const dir = await photoFolder(testInfo);
    const input = path.join(dir, 'scans');
    const output = path.join(dir, 'restored');
    await mkdir(input);
    await sharp(photo).resize(240).toFile(path.join(input, 'small.png'));
    await page.getByTestId('mode-batch').click();
    await expect(page.getByTestId('batch-quality-mode')).toHaveValue('fast');
    await expect(page.getByTestId('batch-detect-method')).toHaveValue('classical');
    await expect(page.getByTestId('batch-detect-medium')).toHaveValue('film');
    await expect(page.getByTestId('batch-sensitivity-value')).toHaveText('0.80');
    await page.getByTestId('batch-input-folder').fill(input);
    await page.getByTestId('batch-output-folder').fill(output);
    bridge.dialogs.queueChooseFolder(input);
    bridge.dialogs.queueChooseFolder(output);
    await page.getByTestId('batch-start').click();
    // (An earlier test's batch may be on screen until this one starts: wait for this photo's row.)
    await expect(page.getByTestId('batch-item').filter({ hasText: 'small.png' })).toHaveAttribute('data-state', /done|skipped/, { timeout: 60_000 });
    await expect(page.getByTestId('batch-state')).toHaveAttribute('data-state', 'finished', { timeout: 60_000 });
    const report = JSON.parse(await readFile(path.join(output, 'patina-report.json'), 'utf8')) as { spec: { masks: object; options: object } };
    expect(report.spec.masks).toMatchObject({ kind: 'auto', detect: { sensitivity: 0.8, method: 'classical', medium: 'film' } });
    expect(report.spec.options).toMatchObject({ qualityMode: 'fast', grain: 'off', texture: 'off' });
  } finally {
    await bridge.backend.router.dispatch('settings:set', DEFAULT_SETTINGS, { callerId: 'test', emit: () => {} });
  }
});
