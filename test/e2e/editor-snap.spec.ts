import { copyFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from '@playwright/test';
import sharp from 'sharp';
import type { Bridge } from '../../src/main/bridge/server';
import { expect, test } from './fixtures';
import { cleanPhotoFolders, drag, maskPixels, openThroughDialog, photoFolder, segmentDistance, setBrushSize, shot, toScreen, type ImagePoint } from './editor-page';
import { sharedData } from './paths';

/*
 * The snapping brush (issue 21 item 4) on a real cracked print: a rough
 * stroke along a crack adds only the crack's pixels to the layer, one undo
 * step; a click on the crack selects the piece under it; a stroke over an
 * undamaged photo adds nothing and says so.
 */

/** 256 x 256 RGBA print with bright cream cracks; one runs from about (170, 77) to (250, 52). */
const PRINT = sharedData('damaged/bopb_old_photos/old_w_scratch/b.png');
const BRUSH = 12;

test.afterEach(cleanPhotoFolders);

test('a snap stroke along a crack marks the crack only, undo takes it back, and a click selects the crack under it', async ({ shellPage: page, bridge }, testInfo) => {
  test.setTimeout(90_000);
  const photo = path.join(await photoFolder(testInfo), 'cracked print.png');
  await copyFile(PRINT, photo);
  await openThroughDialog(page, bridge, photo);
  await setBrushSize(page, BRUSH);
  const snap = page.getByTestId('brush-snap');
  await snap.click();
  await expect(snap).toHaveAttribute('aria-pressed', 'true');

  // Roughly along the crack: a hand's wobble of a pixel or two either side of it.
  const stroke: ImagePoint[] = [
    { x: 176, y: 76 },
    { x: 191, y: 70.5 },
    { x: 206, y: 68 },
    { x: 221, y: 61.5 },
    { x: 236, y: 58 },
  ];
  await drag(page, stroke);
  await expect.poll(() => maskPixels(page)).toBeGreaterThan(0);
  await expect(page.getByTestId('undo')).toHaveAttribute('aria-label', /Snap stroke/);
  await shot(page, testInfo, 'snap-stroke');

  const bright = await brightPlane(photo);
  const marked = await savedMarks(page, bridge, photo);
  expect(marked.length).toBe(await maskPixels(page));
  // On the crack: nearly every column's crack centre is marked.
  const centres = crackCentres(bright, { x: 176, y: 75 }, { x: 236, y: 57 });
  expect(centres.length).toBeGreaterThan(30);
  const set = new Set(marked.map((p) => p.y * 256 + p.x));
  const hit = centres.filter((c) => set.has(c.y * 256 + c.x)).length;
  expect(hit / centres.length).toBeGreaterThanOrEqual(0.9);
  // Only under the brush, where the stroke went (the window landed in place), and nothing 10 px or more off it.
  const off = (p: ImagePoint) => Math.min(...stroke.slice(1).map((b, k) => segmentDistance({ x: p.x + 0.5, y: p.y + 0.5 }, stroke[k]!, b)));
  expect(Math.max(...marked.map(off))).toBeLessThan(BRUSH / 2 + 2);
  expect(marked.filter((p) => off(p) >= 10)).toEqual([]);
  // The crack, not the band: fewer pixels than the brush covered, and brighter than the backdrop.
  const length = stroke.slice(1).reduce((s, b, k) => s + Math.hypot(b.x - stroke[k]!.x, b.y - stroke[k]!.y), 0);
  expect(marked.length).toBeLessThan(0.75 * BRUSH * length);
  const mean = (ps: readonly ImagePoint[]) => ps.reduce((s, p) => s + bright[p.y * 256 + p.x]!, 0) / ps.length;
  const backdrop = stroke.map((p) => ({ x: Math.round(p.x), y: Math.round(p.y) + 10 }));
  expect(mean(marked) - mean(backdrop)).toBeGreaterThan(15);

  // One undo step takes the snapped pixels away.
  await page.getByTestId('undo').click();
  await expect.poll(() => maskPixels(page)).toBe(0);

  // A click on the crack selects the piece of it under the pointer.
  const at = { x: 205.5, y: 68.5 };
  const screen = await toScreen(page, at);
  await page.mouse.click(screen.x, screen.y);
  await expect.poll(() => maskPixels(page)).toBeGreaterThan(5);
  await expect(page.getByTestId('undo')).toHaveAttribute('aria-label', /Snap spot/);
  const spot = await savedMarks(page, bridge, photo);
  expect(Math.min(...spot.map((p) => Math.hypot(p.x + 0.5 - at.x, p.y + 0.5 - at.y)))).toBeLessThan(3);
  expect(Math.max(...spot.map((p) => Math.hypot(p.x + 0.5 - at.x, p.y + 0.5 - at.y)))).toBeLessThanOrEqual(BRUSH / 2 + 2);
  // It is the crack: the crack's centre pixels about the click are in it.
  const spotSet = new Set(spot.map((p) => p.y * 256 + p.x));
  const near = centres.filter((c) => Math.abs(c.x - at.x) <= 3);
  expect(near.length).toBeGreaterThan(3);
  expect(near.filter((c) => spotSet.has(c.y * 256 + c.x)).length).toBeGreaterThanOrEqual(near.length - 1);
  await shot(page, testInfo, 'snap-spot');
});

test('a snap stroke over undamaged photo adds nothing and says so; S turns snapping off and the brush paints again', async ({ shellPage: page, bridge }, testInfo) => {
  // A clean, smooth photo: nothing in it stands out from its surroundings.
  const photo = path.join(await photoFolder(testInfo), 'clean sky.png');
  const sky = Buffer.alloc(256 * 256 * 3);
  for (let y = 0; y < 256; y++) for (let x = 0; x < 256; x++) sky.fill(Math.round(90 + (x + y) / 4), (y * 256 + x) * 3, (y * 256 + x) * 3 + 3);
  await sharp(sky, { raw: { width: 256, height: 256, channels: 3 } }).png().toFile(photo);
  await openThroughDialog(page, bridge, photo);
  await setBrushSize(page, BRUSH);
  await page.getByTestId('canvas').focus();
  await page.keyboard.press('s');
  await expect(page.getByTestId('brush-snap')).toHaveAttribute('aria-pressed', 'true');

  await drag(page, [{ x: 185, y: 83.5 }, { x: 205, y: 78.5 }, { x: 225, y: 73.5 }]);
  await expect(page.getByTestId('notice')).toContainText('No damage found under the stroke');
  expect(await maskPixels(page)).toBe(0);
  await expect(page.getByTestId('undo')).toBeDisabled();

  await page.getByTestId('canvas').focus();
  await page.keyboard.press('s');
  await expect(page.getByTestId('brush-snap')).toHaveAttribute('aria-pressed', 'false');
  await drag(page, [{ x: 185, y: 83.5 }, { x: 225, y: 73.5 }]);
  await expect.poll(() => maskPixels(page)).toBeGreaterThan(300);
});

/** min(R, G, B) of the photo, 0..255, 256 x 256: the plane bright damage is sought in. */
async function brightPlane(file: string): Promise<Uint8Array> {
  const { data, info } = await sharp(file).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  const out = new Uint8Array(info.width * info.height);
  for (let i = 0; i < out.length; i++) out[i] = Math.min(data[3 * i]!, data[3 * i + 1]!, data[3 * i + 2]!);
  return out;
}

/** Per column, the brightest pixel within 3 px of the line a-b, where it stands 30+ levels above its column's band. */
function crackCentres(bright: Uint8Array, a: ImagePoint, b: ImagePoint): ImagePoint[] {
  const at = (x: number, y: number) => bright[y * 256 + x]!;
  const out: ImagePoint[] = [];
  for (let x = a.x; x <= b.x; x++) {
    const yl = Math.round(a.y + ((x - a.x) * (b.y - a.y)) / (b.x - a.x));
    let best = yl;
    for (let y = yl - 3; y <= yl + 3; y++) if (at(x, y) > at(x, best)) best = y;
    const column = [];
    for (let y = yl - 8; y <= yl + 8; y++) column.push(at(x, y));
    const median = column.sort((p, q) => p - q)[8]!;
    if (at(x, best) - median >= 30) out.push({ x, y: best });
  }
  return out;
}

/**
 * The marked pixels of the visible layers, as saved: Ctrl+S writes the
 * project beside the photo, which is read back through the backend's own
 * project:open (and closed again).
 */
async function savedMarks(page: Page, bridge: Bridge, photo: string): Promise<ImagePoint[]> {
  const sidecar = photo.replace(/\.png$/, '.patina');
  const before = await stat(sidecar).then((s) => s.mtimeMs, () => 0);
  await page.getByTestId('canvas').focus();
  await page.keyboard.press('Control+s');
  await expect.poll(() => stat(sidecar).then((s) => s.mtimeMs, () => 0)).toBeGreaterThan(before);
  const ctx = { callerId: 'editor-snap-spec', emit: () => undefined };
  const opened = await bridge.backend.router.dispatch('project:open', { grant: bridge.backend.grants.grant(sidecar, 'read').grant }, ctx);
  if (!opened.ok) throw new Error(opened.error.message);
  const project = opened.value as { document: { id: string; width: number }; state: { layers: { id: string; visible: boolean }[] }; masks: { layerId: string; url: string }[] };
  try {
    const union = new Set<number>();
    for (const m of project.masks) {
      if (!project.state.layers.find((l) => l.id === m.layerId)?.visible) continue;
      const bytes = new Uint8Array(await (await fetch(new URL(m.url, bridge.origin))).arrayBuffer());
      for (let i = 0; i < bytes.length; i++) if (bytes[i]) union.add(i);
    }
    const width = project.document.width;
    return [...union].map((i) => ({ x: i % width, y: Math.floor(i / width) }));
  } finally {
    await bridge.backend.router.dispatch('document:close', { id: project.document.id }, ctx);
  }
}
