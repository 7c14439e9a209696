#!/usr/bin/env node
// `npm run demo`: the CLI on real scratched scans, for machines where Electron is absent.
// Restores the scans in ../shared/data/damaged/.../old_w_scratch when that folder sits
// beside the checkout (it does in the team's workspace and CI); otherwise draws a
// scratched sample of its own. The learned detector finds the damage (`patina detect`),
// the model fills it (`patina run --mask`, the same fill `--auto-mask` gives), and
// demo-output/contact-sheet.png shows each scan before, with what was found, and after.
// Results land in demo-output/ (git-ignored); the originals are only read.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'demo-output');
const shared = resolve(root, '../shared/data/damaged/bopb_old_photos/old_w_scratch');
const ROW_HEIGHT = 420;

async function drawSample(path) {
  // A 960x640 "print": warm gradient, a few shapes, and bright and dark scratches.
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="960" height="640">
    <defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1">
      <stop offset="0" stop-color="#b89b72"/><stop offset="1" stop-color="#5e4a33"/></linearGradient></defs>
    <rect width="960" height="640" fill="url(#g)"/>
    <circle cx="330" cy="300" r="150" fill="#7a6448"/><rect x="560" y="180" width="260" height="300" fill="#d2bf9c"/>
    <path d="M40 90 C 300 140, 600 60, 930 200" stroke="#f4efe4" stroke-width="3" fill="none"/>
    <path d="M120 600 L 520 20" stroke="#f8f4ea" stroke-width="2" fill="none"/>
    <path d="M700 630 C 640 420, 780 300, 720 40" stroke="#1d150d" stroke-width="3" fill="none"/>
  </svg>`;
  await sharp(Buffer.from(svg)).png().toFile(path);
}

function patina(args) {
  console.log(`patina ${args.join(' ')}`);
  const res = spawnSync(process.execPath, ['bin/patina.js', ...args], { cwd: root, stdio: 'inherit' });
  if (res.status !== 0) process.exit(res.status ?? 1);
}

/** One tile at ROW_HEIGHT, with a caption strip under it. */
async function tile(input, caption) {
  const img = await sharp(input).resize({ height: ROW_HEIGHT }).removeAlpha().toColourspace('srgb').png().toBuffer();
  const { width } = await sharp(img).metadata();
  const label = Buffer.from(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="28"><rect width="100%" height="100%" fill="#1b1b1b"/>` +
      `<text x="8" y="19" font-family="DejaVu Sans" font-size="15" fill="#eee">${caption}</text></svg>`,
  );
  return sharp({ create: { width, height: ROW_HEIGHT + 28, channels: 3, background: '#1b1b1b' } })
    .composite([
      { input: img, top: 0, left: 0 },
      { input: label, top: ROW_HEIGHT, left: 0 },
    ])
    .png()
    .toBuffer();
}

/** The photo with the detected mask painted over it in magenta. */
async function maskOverlay(photo, mask) {
  const { width, height } = await sharp(photo).metadata();
  const alpha = await sharp(mask).resize(width, height, { kernel: 'nearest' }).extractChannel(0).toBuffer();
  const magenta = await sharp({ create: { width, height, channels: 3, background: '#ff00ff' } })
    .joinChannel(alpha)
    .png()
    .toBuffer();
  return sharp(photo).removeAlpha().toColourspace('srgb').composite([{ input: magenta }]).png().toBuffer();
}

async function row(name, photo, mask, restored) {
  const tiles = [await tile(photo, `${name}: scan`), await tile(await maskOverlay(photo, mask), 'damage found'), await tile(restored, 'restored')];
  const widths = await Promise.all(tiles.map(async (t) => (await sharp(t).metadata()).width));
  const gap = 6;
  const width = widths.reduce((a, b) => a + b, 0) + gap * (tiles.length - 1);
  let left = 0;
  const layers = tiles.map((input, i) => {
    const layer = { input, top: 0, left };
    left += widths[i] + gap;
    return layer;
  });
  return sharp({ create: { width, height: ROW_HEIGHT + 28, channels: 3, background: '#000' } }).composite(layers).png().toBuffer();
}

async function contactSheet(photos, masks, restored, path) {
  const rows = [];
  for (const photo of photos) {
    const stem = basename(photo, extname(photo));
    rows.push(await row(basename(photo), photo, join(masks, `${stem}.png`), join(restored, basename(photo))));
  }
  const widths = await Promise.all(rows.map(async (r) => (await sharp(r).metadata()).width));
  const width = Math.max(...widths);
  const height = rows.length * (ROW_HEIGHT + 28 + 6);
  await sharp({ create: { width, height, channels: 3, background: '#000' } })
    .composite(rows.map((input, i) => ({ input, top: i * (ROW_HEIGHT + 34), left: 0 })))
    .png()
    .toFile(path);
}

mkdirSync(out, { recursive: true });
let input = shared;
if (!existsSync(shared)) {
  input = join(out, 'sample');
  mkdirSync(input, { recursive: true });
  await drawSample(join(input, 'scratched-print.png'));
}
const masks = join(out, 'masks');
const restored = join(out, 'restored');
patina(['detect', '--image', input, '--method', 'learned', '--output', masks, '--overwrite']);
patina(['run', '--image', input, '--mask', masks, '--output', restored, '--overwrite']);
const photos = readdirSync(input)
  .filter((f) => /\.(png|jpe?g|tiff?|webp)$/i.test(f))
  .sort()
  .map((f) => join(input, f));
const sheet = join(out, 'contact-sheet.png');
await contactSheet(photos, masks, restored, sheet);
console.log(`\nRestored photos are in ${restored}; before, damage found and after side by side: ${sheet}`);
