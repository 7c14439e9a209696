import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { PATHS_REFUSED } from '../../src/shared/ipc/grants';
import { expect, test } from './fixtures';
import { cleanPhotoFolders, copySample, drag, maskPixels, openThroughDialog, photoFolder } from './editor-page';

/*
 * File access by grant through the bridge (it stands in for Electron): the
 * page names files only by handles main issued for dialog answers, so a
 * script in the page that forges a path, or a handle, reaches nothing, and
 * is told why; the person's own open, restore and export work as before.
 */

test.afterEach(cleanPhotoFolders);

type Loose = { invoke(channel: string, arg?: unknown): Promise<{ ok: boolean; value?: unknown; error?: { code: string; message: string } }> };

/** What a script injected into the page would do: call window.patina with arguments of its own making. */
function forge(page: Page, channel: string, arg: unknown) {
  return page.evaluate(([c, a]) => (window.patina as unknown as Loose).invoke(c as string, a), [channel, arg] as const);
}

const sha = async (file: string) => createHash('sha256').update(await readFile(file)).digest('hex');

test('a forged path or handle is refused in words; the dialog flow still opens, restores and exports', async ({ shellPage: page, bridge }, testInfo) => {
  const photo = await copySample(testInfo);
  // A file the person never chose, elsewhere on the disk: a script must not read or replace it.
  const elsewhere = await photoFolder(testInfo);
  const victim = path.join(elsewhere, 'taxes.png');
  await writeFile(victim, await readFile(photo));
  const victimHash = await sha(victim);
  const forged = 'AAAAAAAAAAAAAAAAAAAAAAAA';

  // Paths are not part of the contract at all.
  const byPath = await forge(page, 'document:open', { path: victim });
  expect(byPath).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT' } });
  expect(byPath.error!.message).toBe(`Invalid argument for document:open: the photo is { grant } or { batchId, itemId }; ${PATHS_REFUSED}`);
  // A well-formed handle main never issued names nothing, and says so.
  expect(await forge(page, 'document:open', { grant: forged })).toEqual({
    ok: false,
    error: {
      code: 'NOT_GRANTED',
      message: 'That file was not chosen in Patina, so Patina will not open it: open it with File ▸ Open or drop it on the window.',
      details: { field: 'grant', use: 'read' },
    },
  });
  expect(await forge(page, 'restore:run', { image: { grant: forged }, mask: { auto: true } })).toMatchObject({ ok: false, error: { code: 'NOT_GRANTED' } });
  expect(await forge(page, 'batch:start', { input: { folder: forged }, masks: { auto: true }, output: { folder: forged } })).toMatchObject({
    ok: false,
    error: { code: 'NOT_GRANTED', message: expect.stringContaining('That folder was not chosen in Patina') },
  });

  // The person opens a photo through the dialog, marks damage, restores it.
  await openThroughDialog(page, bridge, photo);
  await drag(page, [{ x: 200, y: 300 }, { x: 420, y: 330 }]);
  await expect.poll(() => maskPixels(page)).toBeGreaterThan(0);
  await page.getByTestId('restore').click();
  await expect(page.getByTestId('canvas')).toHaveAttribute('data-version', '1', { timeout: 90_000 });

  // Handles the page legitimately holds are for their own use only: the photo's read handle
  // (here from the recent list) opens it, but is no place to write, not even with overwrite.
  const recent = (await forge(page, 'recent:list', undefined)) as { ok: true; value: { files: { path: string; grant: string }[] } };
  const readHandle = recent.value.files.find((f) => f.path === photo)!.grant;
  const reopened = (await forge(page, 'document:open', { grant: readHandle })) as { ok: true; value: { id: string } };
  expect(reopened.ok).toBe(true);
  const photoHash = await sha(photo);
  expect(
    await forge(page, 'restore:run', { image: { grant: readHandle }, mask: { auto: true }, output: { grant: readHandle, overwrite: true } }),
  ).toMatchObject({ ok: false, error: { code: 'NOT_GRANTED', message: 'That file was not chosen in Patina, so Patina will not write to it: choose where to save in the Save dialog.' } });
  expect(await forge(page, 'document:export', { id: reopened.value.id, version: 0, grant: readHandle, format: 'png', overwrite: true })).toMatchObject({
    ok: false,
    error: { code: 'NOT_GRANTED' },
  });
  expect(await forge(page, 'document:export-plan', { id: reopened.value.id, format: 'png', folder: readHandle })).toMatchObject({ ok: false, error: { code: 'NOT_GRANTED' } });
  await forge(page, 'document:close', { id: reopened.value.id });

  // Export beside the original, as before; then into a folder chosen in the folder dialog.
  await page.getByTestId('export').click();
  const besideOriginal = path.join(path.dirname(photo), 'garden girl_restored.png');
  await expect(page.getByTestId('export-target')).toHaveText(besideOriginal);
  await page.getByTestId('export-confirm').click();
  await expect(page.getByTestId('export-dialog')).toBeHidden();
  expect((await readFile(besideOriginal)).length).toBeGreaterThan(1000);

  const chosen = path.join(await photoFolder(testInfo), 'exports');
  await mkdir(chosen);
  bridge.dialogs.queueChooseFolder(chosen);
  await page.getByTestId('export').click();
  await page.getByTestId('export-choose-folder').click();
  await expect(page.getByTestId('export-target')).toHaveText(path.join(chosen, 'garden girl_restored.png'));
  await page.getByTestId('export-confirm').click();
  await expect(page.getByTestId('export-dialog')).toBeHidden();
  expect(await readdir(chosen)).toEqual(['garden girl_restored.png']);

  // Nothing the person did not choose was touched.
  expect(await sha(victim)).toBe(victimHash);
  expect(await sha(photo)).toBe(photoHash);
  expect(await readdir(elsewhere)).toEqual(['taxes.png']);
});
