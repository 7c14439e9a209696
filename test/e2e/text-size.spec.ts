import path from 'node:path';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import sharp from 'sharp';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { cleanPhotoFolders, openThroughDialog, photoFolder, shot } from './editor-page';
import { sharedData } from './paths';

/*
 * Larger text (issue 28): with the root font size at 200 % (what a person's
 * "font size: very large" setting does to rem-sized text), text really is
 * twice the size, and in the main views no text is cut off by its box, no two
 * controls overlap, and nothing a person must reach lies off screen without a
 * way to scroll to it.
 */

test.afterEach(cleanPhotoFolders);

async function doubleTheText(page: Page): Promise<void> {
  const before = await page.evaluate(() => parseFloat(getComputedStyle(document.body).fontSize));
  // Through the CSSOM: the app's CSP refuses inline style sheets.
  await page.evaluate(() => document.documentElement.style.setProperty('font-size', '200%'));
  await expect.poll(() => page.evaluate(() => parseFloat(getComputedStyle(document.body).fontSize))).toBeCloseTo(before * 2, 1);
}

/** Layout problems on the page as it is: clipped text, overlapping controls, controls out of reach. */
async function layoutProblems(page: Page, within?: string): Promise<string[]> {
  return page.evaluate((within) => {
    const problems: string[] = [];
    const name = (el: Element) =>
      `${el.tagName.toLowerCase()}${(el as HTMLElement).dataset.testid ? `[${(el as HTMLElement).dataset.testid}]` : ''} "${(el.getAttribute('aria-label') ?? el.textContent ?? '').trim().slice(0, 40)}"`;
    const shown = (el: Element) => {
      const r = el.getBoundingClientRect();
      const s = getComputedStyle(el);
      return r.width > 0 && r.height > 0 && s.visibility !== 'hidden' && !el.closest('.sr-only, [aria-hidden="true"], [inert]');
    };
    /** The part of a box its overflow-hiding or scrolling ancestors let show (null: none of it). */
    const clip = (el: Element, r: DOMRect, self = false) => {
      let { left, top, right, bottom } = r;
      for (let p = self ? el : el.parentElement; p; p = p.parentElement) {
        const s = getComputedStyle(p);
        if (s.overflowX === 'visible' && s.overflowY === 'visible') continue;
        const q = p.getBoundingClientRect();
        left = Math.max(left, q.left);
        top = Math.max(top, q.top);
        right = Math.min(right, q.right);
        bottom = Math.min(bottom, q.bottom);
      }
      return right - left > 0 && bottom - top > 0 ? { left, top, right, bottom } : null;
    };
    const scrolls = (el: Element) => ['auto', 'scroll'].includes(getComputedStyle(el).overflowY) || ['auto', 'scroll'].includes(getComputedStyle(el).overflowX);
    // With a modal dialog open, the page behind it is inert: only the dialog counts.
    const scope = document.querySelector(within ?? 'dialog[open]') ?? document.body;
    const elements = [...scope.querySelectorAll('*')].filter(shown);

    const textNodes = (el: Element) => [...el.childNodes].filter((n) => n.nodeType === Node.TEXT_NODE && n.textContent!.trim() !== '');
    const hasText = (el: Element) => textNodes(el).length > 0 || [...el.querySelectorAll('*')].some((c) => shown(c) && textNodes(c).length > 0);

    for (const el of elements) {
      const s = getComputedStyle(el);
      const e = el as HTMLElement;
      if (el instanceof HTMLCanvasElement || el.closest('[data-testid="canvas"]') || s.display === 'inline') continue;
      // A panel that has to be scrolled sideways to read.
      if (scrolls(el) && e.scrollWidth > e.clientWidth + 2) problems.push(`scrolls sideways: ${name(el)} (${e.scrollWidth} in ${e.clientWidth})`);
      if (scrolls(el) || !hasText(el)) continue;
      // Text bigger than its box: cut off, or spilling over what is next to it. A deliberate ellipsis
      // is allowed (the full text is in its tooltip); select boxes draw their own text.
      if (s.textOverflow === 'ellipsis' || el instanceof HTMLSelectElement) continue;
      if (e.scrollHeight > e.clientHeight + 2 || e.scrollWidth > e.clientWidth + 2) {
        problems.push(`text too big for its box: ${name(el)} (${e.scrollWidth}x${e.scrollHeight} in ${e.clientWidth}x${e.clientHeight})`);
      }
    }

    // Controls on top of each other.
    const controls = elements.filter((el) => el.matches('button, input, select, textarea, a[href], [role="option"], [role="slider"], [role="tab"], h1, h2'));
    const boxes = controls.flatMap((el) => {
      const r = clip(el, el.getBoundingClientRect());
      return r ? [{ el, r, full: el.getBoundingClientRect() }] : [];
    });
    for (let i = 0; i < boxes.length; i++) {
      for (let j = i + 1; j < boxes.length; j++) {
        const a = boxes[i]!;
        const b = boxes[j]!;
        if (a.el.contains(b.el) || b.el.contains(a.el)) continue;
        const w = Math.min(a.r.right, b.r.right) - Math.max(a.r.left, b.r.left);
        const h = Math.min(a.r.bottom, b.r.bottom) - Math.max(a.r.top, b.r.top);
        if (w > 2 && h > 2) problems.push(`overlap: ${name(a.el)} and ${name(b.el)}`);
      }
    }

    // Words under a control they do not belong to (a label under a slider).
    for (const el of elements) {
      for (const node of textNodes(el)) {
        const range = document.createRange();
        range.selectNodeContents(node);
        for (const whole of range.getClientRects()) {
          const t = clip(el, whole, true);
          if (!t) continue;
          for (const { el: c, r } of boxes) {
            if (c.contains(el) || el.contains(c) || c.matches('h1, h2')) continue;
            const w = Math.min(t.right, r.right) - Math.max(t.left, r.left);
            const h = Math.min(t.bottom, r.bottom) - Math.max(t.top, r.top);
            if (w > 2 && h > 2) problems.push(`text under a control: "${node.textContent!.trim().slice(0, 30)}" and ${name(c)}`);
          }
        }
      }
    }

    // Controls past the window's edge with nothing to scroll them into view.
    for (const { el, full: r } of boxes) {
      if (r.right <= innerWidth + 1 && r.bottom <= innerHeight + 1) continue;
      let p = el.parentElement;
      while (p && !scrolls(p)) p = p.parentElement;
      if (!p) problems.push(`out of reach: ${name(el)} at ${Math.round(r.left)},${Math.round(r.top)}`);
    }
    return problems;
  }, within);
}

test('at 200 % text the start view, the editor and the batch form keep every word and control usable', async ({ shellPage: page, bridge }, testInfo) => {
  test.setTimeout(90_000);
  await doubleTheText(page);
  await expect(page.getByTestId('workspace-empty')).toBeVisible();
  await shot(page, testInfo, 'text-200-start');
  expect(await layoutProblems(page), 'start view').toEqual([]);

  const file = path.join(await photoFolder(testInfo), 'scratched.png');
  await writeFile(file, await readFile(sharedData('damaged/bopb_old_photos/old_w_scratch/a.png')));
  await openThroughDialog(page, bridge, file);
  await shot(page, testInfo, 'text-200-editor');
  expect(await layoutProblems(page), 'editor').toEqual([]);

  await page.getByTestId('export').click();
  await expect(page.getByTestId('export-dialog')).toBeVisible();
  expect(await layoutProblems(page), 'export dialog').toEqual([]);
  await page.keyboard.press('Escape');

  await page.getByTestId('mode-batch').click();
  await expect(page.getByTestId('batch-view')).toBeVisible();
  await shot(page, testInfo, 'text-200-batch');
  // The form column only: a finished batch's status column (with a long report path) still crowds out its queue at 200 %.
  expect(await layoutProblems(page, '[data-testid="batch-setup"]'), 'batch form').toEqual([]);
});

test('at 200 % text a finished batch with a long report path leaves its queue in view', async ({ shellPage: page, bridge }, testInfo) => {
  test.setTimeout(120_000);
  // A long output path: the status names the report file by it.
  const input = testInfo.outputPath('scans');
  const output = testInfo.outputPath('restored', 'family archive', 'boxes from the attic', 'second shoebox', 'scanned in december');
  await mkdir(input, { recursive: true });
  for (let i = 1; i <= 4; i++) {
    await sharp({ create: { width: 320, height: 240, channels: 3, background: { r: 100 + i * 20, g: 90, b: 80 } } })
      .jpeg()
      .toFile(path.join(input, `p${i}.jpg`));
  }
  const m = Buffer.alloc(320 * 240);
  for (let x = 40; x < 280; x++) for (let t = 0; t < 3; t++) m[(100 + t) * 320 + x] = 255;
  const mask = testInfo.outputPath('scratch.png');
  await sharp(m, { raw: { width: 320, height: 240, channels: 1 } }).png().toFile(mask);

  await doubleTheText(page);
  await page.getByTestId('mode-batch').click();
  bridge.dialogs.queueChooseFolder(input);
  await page.getByTestId('batch-input-folder-choose').click();
  await page.getByTestId('batch-mask-mode').selectOption('file');
  bridge.dialogs.queueOpenImage([mask]);
  await page.getByTestId('batch-mask-path-choose').click();
  bridge.dialogs.queueChooseFolder(output);
  await page.getByTestId('batch-output-folder-choose').click();
  await page.getByTestId('batch-start').click();
  await expect(page.getByTestId('batch-state')).toHaveAttribute('data-state', 'finished', { timeout: 90_000 });
  await shot(page, testInfo, 'text-200-batch-finished');

  // The queue keeps room for rows (at least two at this size), and its first row shows.
  const queue = page.getByTestId('batch-queue');
  const room = await queue.evaluate((el) => el.getBoundingClientRect().height / parseFloat(getComputedStyle(document.documentElement).fontSize));
  expect(room).toBeGreaterThan(6);
  await expect(page.getByTestId('batch-item').first()).toBeInViewport();
  expect(await layoutProblems(page, '[data-testid="batch-view"]'), 'finished batch').toEqual([]);
});
