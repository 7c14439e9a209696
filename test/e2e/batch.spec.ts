import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import type { Page } from '@playwright/test';
import sharp from 'sharp';
import type { Bridge } from '../../src/main/bridge/server';
import { ensureArtifactsDir, expect, test } from './fixtures';
import { repoRoot } from './paths';

/*
 * Batch restoration end to end: the real renderer in Chromium driving the
 * real queue and engine through the bridge (pause, resume, cancel), and the
 * built `patina` CLI killed mid-batch and run again.
 */

const PHOTOS = 20;

/** Photos made with sharp: a gradient with noise, so each restore has real work. */
async function makeScans(dir: string, opts: { width: number; height: number; nested?: boolean }): Promise<{ input: string; mask: string; photos: string[] }> {
  const input = path.join(dir, 'scans');
  mkdirSync(path.join(input, 'album'), { recursive: true });
  const { width, height } = opts;
  const px = Buffer.alloc(width * height * 3);
  let seed = 1;
  for (let i = 0; i < px.length; i++) {
    seed = (seed * 1103515245 + 12345) >>> 0;
    px[i] = ((i / 3) % width) / 4 + 40 + ((seed >>> 24) % 24);
  }
  const photos: string[] = [];
  for (let i = 1; i <= PHOTOS; i++) {
    const rel = opts.nested && i > 15 ? `album/p${String(i).padStart(2, '0')}.jpg` : `p${String(i).padStart(2, '0')}.jpg`;
    const file = path.join(input, rel);
    await sharp(px, { raw: { width, height, channels: 3 } }).jpeg({ quality: 90 }).toFile(file);
    photos.push(file);
  }
  writeFileSync(path.join(input, 'broken.jpg'), Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(200, 3)]));
  writeFileSync(path.join(input, 'notes.txt'), 'scanned in 2024');
  // A scratch across the photo and a dust speck: white = fill.
  const m = Buffer.alloc(width * height);
  for (let x = 0; x < width; x++) for (let t = 0; t < 4; t++) m[(Math.round(height * 0.3 + (x / width) * height * 0.4) + t) * width + x] = 255;
  for (let y = 20; y < 26; y++) for (let x = 30; x < 36; x++) m[y * width + x] = 255;
  const mask = path.join(dir, 'scratch.png');
  await sharp(m, { raw: { width, height, channels: 1 } }).png().toFile(mask);
  return { input, mask, photos };
}

function tempFilesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.patina-tmp'));
}

/** Fills the form through its Choose… buttons, the scripted dialogs answering: main grants each choice. */
async function fillForm(page: Page, bridge: Bridge, input: string, mask: string, output: string): Promise<void> {
  await page.getByTestId('mode-batch').click();
  await expect(page.getByTestId('batch-view')).toBeVisible();
  bridge.dialogs.queueChooseFolder(input);
  await page.getByTestId('batch-input-folder-choose').click();
  await expect(page.getByTestId('batch-input-folder')).toHaveValue(input);
  // Automatic masks offer a sensitivity; a mask file does not.
  await page.getByTestId('batch-mask-mode').selectOption('auto');
  await page.getByTestId('batch-sensitivity').fill('0.75');
  await expect(page.getByTestId('batch-sensitivity-value')).toHaveText('0.75');
  await page.getByTestId('batch-detect-method').selectOption('classical');
  await expect(page.getByTestId('batch-detect-method')).toHaveValue('classical');
  await page.getByTestId('batch-mask-mode').selectOption('file');
  await expect(page.getByTestId('batch-sensitivity')).toHaveCount(0);
  await expect(page.getByTestId('batch-detect-method')).toHaveCount(0);
  bridge.dialogs.queueOpenImage([mask]);
  await page.getByTestId('batch-mask-path-choose').click();
  await expect(page.getByTestId('batch-mask-path')).toHaveValue(mask);
  bridge.dialogs.queueChooseFolder(output);
  await page.getByTestId('batch-output-folder-choose').click();
  await expect(page.getByTestId('batch-output-folder')).toHaveValue(output);
  // The ensemble by default; this batch asks for one pass per crop.
  await expect(page.getByTestId('batch-quality-mode')).toHaveValue('best');
  await page.getByTestId('batch-quality-mode').selectOption('fast');
}

const state = (page: Page) => page.getByTestId('batch-state');

test('a batch pauses, resumes and finishes through the bridge, with each photo reported', async ({ shellPage: page, bridge }, testInfo) => {
  const { input, mask, photos } = await makeScans(testInfo.outputPath('pause'), { width: 480, height: 360 });
  const out = testInfo.outputPath('pause', 'restored');
  await fillForm(page, bridge, input, mask, out);
  await page.getByTestId('batch-start').click();
  await expect(page.getByTestId('batch-item')).toHaveCount(PHOTOS + 2);

  await page.getByTestId('batch-pause').click();
  // The photos in flight finish; nothing new starts.
  await expect(state(page)).toHaveAttribute('data-state', 'paused');
  const doneWhilePaused = await page.locator('[data-testid="batch-item"][data-state="done"]').count();
  expect(doneWhilePaused).toBeLessThan(PHOTOS);
  await page.waitForTimeout(1500);
  await expect(page.locator('[data-testid="batch-item"][data-state="done"]')).toHaveCount(doneWhilePaused);
  await expect(page.locator('[data-testid="batch-item"][data-state="running"]')).toHaveCount(0);
  expect(readdirSync(out).filter((f) => f.endsWith('.jpg'))).toHaveLength(doneWhilePaused);

  await page.getByTestId('batch-resume').click();
  await expect(state(page)).toHaveAttribute('data-state', 'finished', { timeout: 40_000 });
  await expect(page.getByTestId('batch-count')).toHaveText(`${PHOTOS + 2} of ${PHOTOS + 2}`);
  await expect(page.getByTestId('batch-done')).toHaveText(`${PHOTOS} restored`);
  await expect(page.getByTestId('batch-failed')).toHaveText('1 failed');
  await expect(page.getByTestId('batch-skipped')).toHaveText('1 skipped');
  const broken = page.locator('[data-testid="batch-item"][data-rel="broken.jpg"]');
  await expect(broken).toHaveAttribute('data-state', 'failed');
  await expect(broken.getByTestId('batch-item-error')).toContainText('broken.jpg');
  await expect(page.locator('[data-testid="batch-item"][data-rel="notes.txt"]')).toHaveAttribute('data-state', 'skipped');
  for (const p of photos) expect(statSync(path.join(out, path.basename(p))).size).toBeGreaterThan(0);
  expect(tempFilesUnder(out)).toEqual([]);
  const report = JSON.parse(readFileSync(path.join(out, 'patina-report.json'), 'utf8')) as { state: string; counts: Record<string, number> };
  // The form's fill quality reached the queue (its journal holds the spec the engine got).
  const journal = JSON.parse(readFileSync(path.join(out, '.patina-batch.json'), 'utf8')) as { spec: { options: { qualityMode?: string } } };
  expect(journal.spec.options.qualityMode).toBe('fast');
  expect(report).toMatchObject({ state: 'finished', counts: { total: PHOTOS + 2, done: PHOTOS, failed: 1, skipped: 1 } });
  await expect(page.getByTestId('batch-report')).toContainText('patina-report.json');

  // Thumbnails come from main by URL, never as JSON.
  const thumb = page.locator('[data-testid="batch-item"][data-rel="p01.jpg"] img');
  await expect(thumb).toHaveAttribute('src', /\/__patina\/result\//);
  expect(await thumb.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(0);
  const shot = path.join(ensureArtifactsDir(), 'batch-view.png');
  await page.screenshot({ path: shot });
  await testInfo.attach('batch-view', { path: shot, contentType: 'image/png' });

  await page.getByTestId('batch-open-output').click();
  await expect.poll(() => bridge.dialogs.openFolderCalls.at(-1)).toBe(out);

  // One item opens in the editor.
  await page.locator('[data-testid="batch-item"][data-rel="p03.jpg"]').getByTestId('batch-item-open').click();
  await expect(page.getByTestId('batch-view')).toBeHidden();
  await expect(page.getByTestId('document-tab')).toContainText('p03.jpg');
});

test('cancel stops the batch at once, leaves no partial file, and starting again resumes it', async ({ shellPage: page, bridge }, testInfo) => {
  const { input, mask } = await makeScans(testInfo.outputPath('cancel'), { width: 480, height: 360, nested: true });
  const out = testInfo.outputPath('cancel', 'restored');
  await fillForm(page, bridge, input, mask, out);
  await page.getByTestId('batch-recursive').check();
  await page.getByTestId('batch-start').click();
  await expect(page.locator('[data-testid="batch-item"][data-state="done"]').first()).toBeVisible({ timeout: 20_000 });
  await page.getByTestId('batch-cancel').click();
  await expect(state(page)).toHaveAttribute('data-state', 'cancelled');
  const done = await page.locator('[data-testid="batch-item"][data-state="done"]').count();
  expect(done).toBeLessThan(PHOTOS);
  await expect(page.locator('[data-testid="batch-item"][data-state="queued"]')).toHaveCount(PHOTOS - done);
  expect(tempFilesUnder(out)).toEqual([]);
  expect(JSON.parse(readFileSync(path.join(out, 'patina-report.json'), 'utf8'))).toMatchObject({ state: 'cancelled' });

  // The same batch again: it resumes, and what was restored stays as it was.
  const mtimes = new Map(readdirSync(out, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.jpg')).map((f) => [f, statSync(path.join(out, f)).mtimeMs]));
  expect(mtimes.size).toBe(done);
  await page.getByTestId('batch-start').click();
  await expect(page.getByTestId('batch-resumed')).toBeVisible();
  await expect(state(page)).toHaveAttribute('data-state', 'finished', { timeout: 40_000 });
  await expect(page.getByTestId('batch-done')).toHaveText(`${PHOTOS} restored`);
  for (const [f, mtime] of mtimes) expect(statSync(path.join(out, f)).mtimeMs, f).toBe(mtime);
  // The album/ sub-folder is mirrored in the output.
  expect(readdirSync(path.join(out, 'album')).sort()).toEqual(['p16.jpg', 'p17.jpg', 'p18.jpg', 'p19.jpg', 'p20.jpg']);
});

test.describe('patina CLI', () => {
  /** Runs bin/patina.js (the built CLI); calls onLine for each JSON line; resolves with the exit code and stderr. */
  function patina(
    args: string[],
    onLine: (line: Record<string, unknown>, kill: () => void) => void = () => {},
  ): Promise<{ code: number | null; stderr: string }> {
    const child = spawn(process.execPath, [path.join(repoRoot, 'bin', 'patina.js'), ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    createInterface({ input: child.stdout }).on('line', (l) => onLine(JSON.parse(l) as Record<string, unknown>, () => child.kill('SIGKILL')));
    return new Promise((resolve) => child.on('close', (code) => resolve({ code, stderr })));
  }

  const sha = (f: string) => createHash('sha256').update(readFileSync(f)).digest('hex');

  // eslint-disable-next-line no-empty-pattern -- Playwright requires the destructuring form
  test('killed mid-batch (SIGKILL), the same command finishes the rest without redoing anything', async ({}, testInfo) => {
    test.setTimeout(120_000);
    const { input, mask, photos } = await makeScans(testInfo.outputPath('cli'), { width: 480, height: 360, nested: true });
    const originals = new Map(photos.map((p) => [p, sha(p)]));
    const out = testInfo.outputPath('cli', 'restored');
    const args = ['run', '--image', input, '--mask', mask, '--output', out, '--recursive', '--device', 'cpu', '--json'];

    const firstRestored: string[] = [];
    const first = await patina(args, (line, kill) => {
      if (line.type === 'item' && line.status === 'restored') firstRestored.push(line.image as string);
      if (firstRestored.length === 5) kill();
    });
    expect(first.code, `killed, not exited; stderr: ${first.stderr}`).toBeNull();
    const outputsAfterKill = readdirSync(out, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.jpg'));
    expect(outputsAfterKill.length).toBeGreaterThanOrEqual(5);
    expect(outputsAfterKill.length).toBeLessThan(PHOTOS);
    const mtimes = new Map(outputsAfterKill.map((f) => [f, statSync(path.join(out, f)).mtimeMs]));
    // What a kill during an encode leaves behind (a partial output under its temporary name).
    writeFileSync(path.join(out, '.p19.jpg.0123456789ab.patina-tmp'), 'half a JPEG');

    const second: Record<string, unknown>[] = [];
    const again = await patina(args, (line) => second.push(line));
    expect(again.code, `broken.jpg fails, as it should; stderr: ${again.stderr}`).toBe(1);

    const start = second.find((l) => l.type === 'batch-start')!;
    expect(start).toMatchObject({ resumed: true });
    // The planted one, and any the kill itself left.
    expect(start.removedTemps).toBeGreaterThanOrEqual(1);
    expect(start.alreadyDone).toBeGreaterThanOrEqual(5);
    // Nothing finished before the kill went through the engine again.
    const worked = new Set(second.filter((l) => l.type === 'progress').map((l) => l.image as string));
    for (const p of firstRestored) expect(worked.has(p), p).toBe(false);
    const restoredNow = second.filter((l) => l.type === 'item' && l.status === 'restored').map((l) => l.image as string);
    expect(restoredNow.length).toBe(PHOTOS - (start.alreadyDone as number));
    expect(new Set([...restoredNow, ...firstRestored]).size).toBe(restoredNow.length + firstRestored.length);
    expect(second.filter((l) => l.type === 'batch').length).toBeGreaterThan(0);
    expect(second.at(-1)).toMatchObject({ type: 'summary', total: PHOTOS + 2, restored: restoredNow.length, failed: 1 });

    for (const [f, mtime] of mtimes) expect(statSync(path.join(out, f)).mtimeMs, f).toBe(mtime);
    expect(tempFilesUnder(out)).toEqual([]);
    expect(readdirSync(out, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.jpg')).length).toBe(PHOTOS);
    for (const [p, hash] of originals) expect(sha(p), p).toBe(hash);
    const report = JSON.parse(readFileSync(path.join(out, 'patina-report.json'), 'utf8')) as { runs: number; counts: Record<string, number> };
    expect(report).toMatchObject({ runs: 2, counts: { done: PHOTOS, failed: 1, skipped: 1, queued: 0 } });
  });
});
