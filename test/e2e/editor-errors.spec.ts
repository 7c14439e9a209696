import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { expect, test } from './fixtures';
import { cleanPhotoFolders, photoFolder, SAMPLE_PHOTO, shot } from './editor-page';

/*
 * Errors in the person's words (issue 26, item 9): a photo that cannot be
 * read says what happened and what to do, and keeps the library's own words
 * on a details line for whoever helps them.
 */

test.afterEach(cleanPhotoFolders);

test('a cut-short JPEG says the file is damaged and what to do, with the decoder’s words as details', async ({ shellPage: page, bridge }, testInfo) => {
  const folder = await photoFolder(testInfo);
  const whole = await sharp(SAMPLE_PHOTO).jpeg({ quality: 90 }).toBuffer();
  const photo = path.join(folder, 'cut short.jpg');
  // The header and the first half of the scan: what an interrupted copy or download leaves.
  await writeFile(photo, whole.subarray(0, Math.floor(whole.length / 2)));
  expect((await readFile(photo)).length).toBeLessThan(whole.length);

  bridge.dialogs.queueOpenImage([photo]);
  await page.getByTestId('open').click();
  const notice = page.getByTestId('notice');
  await expect(notice).toHaveAttribute('data-kind', 'error');
  const message = page.getByTestId('notice-message');
  await expect(message).toContainText('cut short.jpg');
  await expect(message).toContainText('damaged');
  await expect(message).toContainText('fresh copy');
  // The library's words are kept, but only on the details line.
  await expect(message).not.toContainText(/vips|jpeg image/i);
  await expect(page.getByTestId('notice-detail')).toContainText(/premature end|jpeg/i);
  await expect(page.getByTestId('canvas')).toHaveCount(0);
  await shot(page, testInfo, 'error-cut-short-jpeg');
});
