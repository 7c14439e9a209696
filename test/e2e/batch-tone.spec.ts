import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { ensureArtifactsDir, expect, test } from './fixtures';

/*
 * A tone-only batch from the Batch view: no damage masks, Auto tone on. The
 * real renderer drives the real queue and engine through the bridge; the
 * report says what tone each photo got.
 */

/** Three faded prints: a colour gradient with a yellow cast and lifted blacks, and a grey one. */
async function fadedScans(dir: string): Promise<string> {
  mkdirSync(dir, { recursive: true });
  const width = 240;
  const height = 180;
  for (const [name, grey] of [['a', false], ['b', false], ['c', true]] as const) {
    const px = Buffer.alloc(width * height * 3);
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const i = (y * width + x) * 3;
        const base = [x / width, y / height, 1 - x / width];
        for (let c = 0; c < 3; c++) {
          const v = grey ? (x + y) / (width + height) : base[c]!;
          px[i + c] = Math.round(255 * (0.18 + 0.55 * v) * (grey ? 1 : [1, 0.97, 0.8][c]!));
        }
      }
    }
    await sharp(px, { raw: { width, height, channels: 3 } }).png().toFile(path.join(dir, `${name}.png`));
  }
  return dir;
}

test('a tone-only batch (no masks, Auto tone) restores every photo and reports the tone each got', async ({ shellPage: page, bridge }, testInfo) => {
  const input = await fadedScans(testInfo.outputPath('scans'));
  const out = testInfo.outputPath('toned');
  await page.getByTestId('mode-batch').click();
  await expect(page.getByTestId('batch-view')).toBeVisible();
  await page.getByTestId('batch-input-folder').fill(input);
  await page.getByTestId('batch-mask-mode').selectOption('none');
  await expect(page.getByTestId('batch-mask-path')).toHaveCount(0);
  await page.getByTestId('batch-output-folder').fill(out);
  // No masks and tone off is nothing to do: the form says so.
  await page.getByTestId('batch-tone').selectOption('off');
  await expect(page.getByTestId('batch-problems')).toContainText('turn Auto tone on');
  await page.getByTestId('batch-tone').selectOption('auto');
  await expect(page.getByTestId('batch-problems')).toHaveCount(0);
  const shot = path.join(ensureArtifactsDir(), 'batch-tone-form.png');
  await page.screenshot({ path: shot });
  await testInfo.attach('batch-tone-form', { path: shot, contentType: 'image/png' });

  // Typed paths are no grant: Start opens the folder chooser at each one for the person to confirm.
  const asked = bridge.dialogs.chooseFolderCalls.length;
  bridge.dialogs.queueChooseFolder(input);
  bridge.dialogs.queueChooseFolder(out);
  await page.getByTestId('batch-start').click();
  await expect(page.getByTestId('batch-state')).toHaveAttribute('data-state', 'finished', { timeout: 30_000 });
  expect(bridge.dialogs.chooseFolderCalls.slice(asked).map((c) => c.defaultPath)).toEqual([input, out]);
  await expect(page.getByTestId('batch-done')).toHaveText('3 restored');

  const report = JSON.parse(readFileSync(path.join(out, 'patina-report.json'), 'utf8')) as {
    spec: { masks: { kind: string }; options: { tone?: object } };
    restored: { file: string; tone?: { look: string; colour: string } }[];
  };
  expect(report.spec).toMatchObject({ masks: { kind: 'none' }, options: { tone: {} } });
  expect(report.restored).toHaveLength(3);
  const byName = Object.fromEntries(report.restored.map((r) => [path.basename(r.file), r.tone]));
  expect(byName['a.png']).toMatchObject({ look: 'colour', colour: 'neutralise' });
  expect(byName['c.png']).toMatchObject({ look: 'monochrome' });
  // The faded range was stretched: the darkest output is darker than the lifted input black.
  const { data } = await sharp(path.join(out, 'a.png')).raw().toBuffer({ resolveWithObject: true });
  expect(data.reduce((m, v) => Math.min(m, v), 255)).toBeLessThan(0.18 * 255 * 0.8 - 10);
});
