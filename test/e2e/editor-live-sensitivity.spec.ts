import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { expect, test } from './fixtures';
import { cleanPhotoFolders, layerRows, maskPixels, openThroughDialog, photoFolder, shot } from './editor-page';
import { sharedData } from './paths';

/*
 * The sensitivity slider re-thresholds the detected layer live (issue 26,
 * item 3): while it is dragged the layer follows at once, from the scores
 * the detection sent (no new detection, no wait for main); once it rests,
 * main's exact mask at the new value replaces the layer as one undo step.
 */

test.afterEach(cleanPhotoFolders);

type Dispatch = (channel: string, arg: unknown, ctx: unknown) => Promise<unknown>;

test('dragging the sensitivity changes the detected layer at once without detecting again; letting go is one undo step', async ({ shellPage: page, bridge }, testInfo) => {
  test.setTimeout(120_000);
  const file = path.join(await photoFolder(testInfo), 'cracked.png');
  await writeFile(file, await readFile(sharedData('damaged/bopb_old_photos/old_w_scratch/b.png')));
  const router = bridge.backend.router as unknown as { dispatch: Dispatch };
  const original = router.dispatch.bind(router);
  // What the detector finds at a sensitivity, from the backend itself.
  const flaggedAt = async (sensitivity: number) => {
    const reply = (await original('defects:detect', { image: { grant: bridge.backend.grants.grant(file, 'read').grant }, sensitivity }, { callerId: 'test', emit: () => {} })) as {
      ok: boolean;
      value: { flaggedPixels: number };
    };
    expect(reply.ok).toBe(true);
    return reply.value.flaggedPixels;
  };

  await openThroughDialog(page, bridge, file);
  await page.getByTestId('detect-damage').click();
  await expect(layerRows(page)).toHaveCount(2, { timeout: 60_000 });
  const atHalf = await flaggedAt(0.5);
  await expect.poll(() => maskPixels(page)).toBe(atHalf);
  // The detection's own undo step ("Undo Add layer": it added the Detected damage layer).
  const detected = (await page.getByTestId('undo').getAttribute('aria-label'))!;
  expect(detected).toMatch(/^Undo /);

  // From here on every request the page makes is counted, and main's exact answers wait until released.
  const calls: string[] = [];
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  router.dispatch = async (channel, arg, ctx) => {
    calls.push(channel);
    if (channel === 'defects:rethreshold') await gate;
    return original(channel, arg, ctx);
  };
  try {
    const slider = page.getByTestId('detect-sensitivity');
    const box = (await slider.boundingBox())!;
    const y = box.y + box.height / 2;
    await page.mouse.move(box.x + box.width / 2, y);
    await page.mouse.down();
    for (let k = 1; k <= 8; k++) await page.mouse.move(box.x + box.width * (0.5 + (0.45 * k) / 8), y);
    // The layer follows while main has not answered anything: the preview is the page's own.
    await expect.poll(() => maskPixels(page)).toBeGreaterThan(atHalf);
    const value = Number(await slider.inputValue());
    expect(value).toBeGreaterThan(0.8);
    await expect(page.getByTestId('detect-sensitivity-value')).toHaveText(`${Math.round(value * 100)} %`);
    await shot(page, testInfo, 'live-sensitivity-preview');
    // The preview is not history: undo still names the detection.
    await expect(page.getByTestId('undo')).toHaveAttribute('aria-label', detected);
    await page.mouse.up();
    release();

    // Once it rests, main's exact mask at that value replaces the preview: one undo step.
    const exact = await flaggedAt(value);
    await expect.poll(() => maskPixels(page), { timeout: 30_000 }).toBe(exact);
    await expect(page.getByTestId('undo')).toHaveAttribute('aria-label', `Undo Sensitivity ${Math.round(value * 100)} %`);
    expect(calls).not.toContain('defects:detect');
    expect(calls.filter((c) => c === 'defects:rethreshold').length).toBeGreaterThanOrEqual(1);
    await expect(layerRows(page)).toHaveCount(2);

    await page.getByTestId('undo').click();
    await expect.poll(() => maskPixels(page)).toBe(atHalf);
    await expect(page.getByTestId('undo')).toHaveAttribute('aria-label', detected);
  } finally {
    release();
    router.dispatch = original;
  }
});
