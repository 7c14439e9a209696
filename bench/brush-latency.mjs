#!/usr/bin/env node
/* global window, document, requestAnimationFrame -- page.evaluate callbacks run in the browser */
// `npm run bench:brush`: brush latency in the editor on a 24 MP photo, in Chromium.
//
// Latency = from the moment a pointermove reaches the page (a capture-phase
// listener on window, which runs before the canvas's own) to the end of the
// animation frame that renders the stroke it painted: the app's handler
// (full-resolution rasterisation, overlay tile update) plus fabric's
// (partial) render. The end is a rAF callback queued after the app's, so it
// runs once that frame's drawing is done. Target (issue 5): p95 under 16 ms,
// i.e. every stroke segment shows in the frame it arrived for.
//
// Also printed: the same from the event's own timestamp. Chromium holds
// mouse/pointer moves until the next frame (rAF-aligned input), so that
// figure adds up to one frame interval of browser-side waiting that no page
// can shorten; it is shown for honesty, not held to the target.
// Needs a build (`npm run build`). Options: --moves N (per run, default 240), --chromium PATH.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';
import sharp from 'sharp';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({
  options: { moves: { type: 'string', default: '240' }, chromium: { type: 'string', default: process.env.PATINA_CHROMIUM ?? '/usr/bin/chromium' } },
});
const MOVES = Number(values.moves);
const WIDTH = 6000;
const HEIGHT = 4000;

const work = await mkdtemp(path.join(tmpdir(), 'patina-brush-bench-'));
const { startRepoBridge } = await import(pathToFileURL(path.join(root, 'out', 'main', 'bridge.js')).href);
const bridge = await startRepoBridge(root);
const browser = await chromium.launch({
  executablePath: values.chromium,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
});
try {
  const photo = path.join(work, 'scan-24mp.jpg');
  process.stderr.write(`making a ${WIDTH} x ${HEIGHT} test photo…\n`);
  await makePhoto(photo);

  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  page.on('pageerror', (e) => process.stderr.write(`page error: ${e.message}\n`));
  await page.goto(bridge.url);
  await page.getByTestId('app-shell').waitFor();
  bridge.dialogs.queueOpenImage([photo]);
  await page.getByTestId('open').click();
  await page.waitForFunction(() => document.querySelector('[data-testid="canvas"]')?.getAttribute('data-zoom'), null, { timeout: 120_000 });
  await page.getByTestId('tool-brush').click();
  await page.evaluate(() => {
    const samples = [];
    window.__brushLatency = samples;
    let dispatched = 0;
    window.addEventListener('pointermove', () => (dispatched = performance.now()), true);
    window.addEventListener('pointermove', (e) => {
      if (!(e.buttons & 1)) return;
      const start = dispatched;
      const stamp = e.timeStamp;
      requestAnimationFrame(() => {
        const end = performance.now();
        samples.push([end - start, end - stamp]);
      });
    });
  });

  const rows = [];
  for (const [label, zoomKey, brushPx] of [
    ['fit to window, 60 px brush', 'Escape', 60],
    ['100 %, 60 px brush', '1', 60],
    ['fit to window, 400 px brush', 'Escape', 400],
  ]) {
    await page.getByTestId('canvas').focus();
    await page.keyboard.press(zoomKey);
    await page.getByTestId('brush-size').fill(String(Math.round(Math.log(brushPx) * 100)));
    await page.waitForTimeout(zoomKey === '1' ? 3000 : 500); // the full-resolution view loads when zoomed in
    const box = await page.getByTestId('canvas').boundingBox();
    await page.evaluate(() => (window.__brushLatency.length = 0));
    const cx = box.x + box.width / 2;
    const cy = box.y + box.height / 2;
    await page.mouse.move(cx - 300, cy);
    await page.mouse.down();
    for (let i = 0; i < MOVES; i++) {
      const a = (i / MOVES) * Math.PI * 4;
      await page.mouse.move(cx - 300 + (i / MOVES) * 600, cy + Math.sin(a) * 200);
    }
    await page.mouse.up();
    await page.waitForTimeout(200);
    const pairs = await page.evaluate(() => [...window.__brushLatency]);
    // The first frames after a zoom change may still be decoding the full view; skip the warm-up.
    const settled = pairs.slice(5);
    rows.push([label, settled.map((p) => p[0]).sort((a, b) => a - b), settled.map((p) => p[1]).sort((a, b) => a - b)]);
    process.stderr.write(`  ${label}: ${settled.length} frames\n`);
  }

  console.log(`Brush latency on a ${WIDTH} x ${HEIGHT} (${(WIDTH * HEIGHT) / 1e6} MP) photo in Chromium ${await browser.version()}`);
  console.log('pointer event dispatched -> frame rendered (target p95 < 16 ms); last column: from the event timestamp, incl. Chromium holding input for the frame');
  console.log('| view | frames | p50 ms | p95 ms | max ms | target | p95 from timestamp ms |');
  console.log('| --- | --- | --- | --- | --- | --- | --- |');
  for (const [label, app, stamp] of rows) {
    const q = (s, f) => s[Math.min(s.length - 1, Math.floor(f * s.length))];
    const p95 = q(app, 0.95);
    console.log(
      `| ${label} | ${app.length} | ${q(app, 0.5).toFixed(1)} | ${p95.toFixed(1)} | ${app.at(-1).toFixed(1)} | ${p95 < 16 ? 'met' : 'NOT met'} | ${q(stamp, 0.95).toFixed(1)} |`,
    );
  }
} finally {
  await browser.close();
  await bridge.close();
  await rm(work, { recursive: true, force: true });
}

/** A textured 24 MP JPEG: gradients plus noise, like a scanned print. */
async function makePhoto(file) {
  const noise = await sharp({ create: { width: WIDTH / 4, height: HEIGHT / 4, channels: 3, noise: { type: 'gaussian', mean: 128, sigma: 40 } } })
    .resize(WIDTH, HEIGHT, { kernel: 'cubic' })
    .raw()
    .toBuffer();
  await sharp(noise, { raw: { width: WIDTH, height: HEIGHT, channels: 3 } })
    .modulate({ saturation: 0.4 })
    .jpeg({ quality: 88 })
    .toFile(file);
}
