/**
 * Grain levels of real scans and of clean photos, to set AUTO_GRAIN_SIGMA (docs/GRAIN.md):
 *   node training/run-ts.mjs bench/grain/levels.ts <file or folder>...
 * Each photo is measured as the engine measures the ring around holes, with the holes a
 * sparse grid of single pixels, so the rings cover the whole photo.
 */
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { decodePhoto } from '../../src/main/imaging/decode';
import { estimateGrain } from '../../src/main/imaging/grain';

async function files(args: string[]): Promise<string[]> {
  const out: string[] = [];
  for (const a of args) {
    if ((await stat(a)).isDirectory()) {
      for (const f of (await readdir(a)).sort()) if (/\.(png|jpe?g|webp|tiff?)$/i.test(f)) out.push(path.join(a, f));
    } else out.push(a);
  }
  return out;
}

for (const file of await files(process.argv.slice(2))) {
  const photo = await decodePhoto(file);
  const mask = { width: photo.width, height: photo.height, data: new Uint8Array(photo.width * photo.height) };
  for (let y = 16; y < photo.height; y += 64) for (let x = 16; x < photo.width; x += 64) mask.data[y * photo.width + x] = 1;
  const g = estimateGrain(photo, mask);
  console.log(`${g.sigma.toFixed(2)}\t${g.blurPx}\t${photo.width}x${photo.height}\t${file}`);
}
