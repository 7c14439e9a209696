#!/usr/bin/env node
// `npm run demo`: the CLI on a sample, for machines where Electron is absent.
// Restores the real scratched scans in ../shared/data/damaged/.../old_w_scratch
// when that folder sits beside the checkout (it does in the team's workspace and
// CI); otherwise draws a scratched sample of its own. Masks come from automatic
// damage detection, so no input but the photo is needed. Results land in
// demo-output/ (git-ignored); the originals are only read.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'demo-output');
const shared = resolve(root, '../shared/data/damaged/bopb_old_photos/old_w_scratch');

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

mkdirSync(out, { recursive: true });
let input = shared;
if (!existsSync(shared)) {
  input = join(out, 'sample', 'scratched-print.png');
  mkdirSync(dirname(input), { recursive: true });
  await drawSample(input);
}
// The classical detector: on these four heavily cracked scans it and the learned default each find
// part of the cracks (0.9 / 0.7 / 0.1 / 0.5 % of a-d against 0.3 / 0.8 / 2.0 / 1.0 %), but the learned
// one also marks the white border of c.png (training/defects/contact_sheet.ts shows both).
const args = ['bin/patina.js', 'run', '--image', input, '--auto-mask', '--method', 'classical', '--output', join(out, 'restored'), '--overwrite'];
console.log(`patina ${args.slice(1).join(' ')}`);
const res = spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit' });
if (res.status === 0) console.log(`\nRestored photos are in ${join(out, 'restored')}`);
process.exit(res.status ?? 1);
