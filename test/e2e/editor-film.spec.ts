import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { expect, test } from './fixtures';
import { cleanPhotoFolders, layerRows, maskPixels, openThroughDialog, photoFolder } from './editor-page';
import { sharedData } from './paths';

/*
 * Film mode in the editor's Find damage panel (issue 21): told that the photo
 * is film, detection also finds the long, faint vertical line scratches of
 * movie film, and the editor shows exactly what the backend found.
 */

test.afterEach(cleanPhotoFolders);

/** A scratched frame of the film set's training split (../shared/data/damage-labelled, SOURCES.md there). */
const FRAME = sharedData('damage-labelled/film-frames/mlts_078.png');

test('the Photo is choice reaches the detector: a film frame shows its line scratches only as film', async ({ shellPage: page, bridge }, testInfo) => {
  test.setTimeout(120_000);
  const file = path.join(await photoFolder(testInfo), 'frame.png');
  await writeFile(file, await readFile(FRAME));
  const detect = async (medium: 'print' | 'film') => {
    const reply = await bridge.backend.router.dispatch('defects:detect', { image: { grant: bridge.backend.grants.grant(file, 'read').grant }, medium }, { callerId: 'test', emit: () => {} });
    if (!reply.ok) throw new Error(`defects:detect failed: ${reply.error.message}`);
    return (reply.value as { flaggedPixels: number }).flaggedPixels;
  };
  const asPrint = await detect('print');
  const asFilm = await detect('film');
  // The frame's scratches are about 1 % of it; the trained network alone marks almost none of them.
  expect(asFilm).toBeGreaterThan(asPrint + 0.005 * 1920 * 1080);

  await openThroughDialog(page, bridge, file);
  await expect(page.getByTestId('detect-medium')).toHaveValue('print');
  await page.getByTestId('detect-medium').selectOption('film');
  await page.getByTestId('detect-damage').click();
  await expect(layerRows(page)).toHaveCount(2, { timeout: 90_000 });
  await expect.poll(() => maskPixels(page)).toBe(asFilm);
});
