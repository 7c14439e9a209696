/**
 * Contact sheet of the face finder on real scans, through the engine's own
 * path (decodePhoto, findFaces):
 *
 *   node training/run-ts.mjs training/faces/contact_sheet.ts \
 *     [--dir ../shared/data/damaged] [--out docs/results/faces-real-scans.jpg] [--min-score 0.5]
 *
 * Each tile is one photo with its face boxes (green, with the score) and its
 * file name; one line per photo goes to stdout. Counting the faces found and
 * missed is done by looking at the sheet: there are no face labels.
 */
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { decodePhoto } from '../../src/main/imaging/decode';
import { findFaces, loadFaceModel } from '../../src/main/faces/faces';

const args = process.argv.slice(2);
const option = (name: string, fallback: string): string => {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] ? args[i + 1]! : fallback;
};
const root = path.resolve(import.meta.dirname, '../..');
const dir = path.resolve(option('--dir', path.join(root, '../shared/data/damaged')));
const out = path.resolve(option('--out', path.join(root, 'docs/results/faces-real-scans.jpg')));
const minScore = Number(option('--min-score', 'NaN'));
const sizes = option('--sizes', '').split(',').filter(Boolean).map(Number);

const TILE = 300;
const COLUMNS = 6;

async function photosUnder(folder: string): Promise<string[]> {
  const entries = await readdir(folder, { withFileTypes: true, recursive: true });
  return entries
    .filter((e) => e.isFile() && /\.(png|jpe?g|tiff?|webp)$/i.test(e.name))
    .map((e) => path.join(e.parentPath, e.name))
    .sort();
}

const model = await loadFaceModel(path.join(root, 'models'));
const files = await photosUnder(dir);
const tiles: sharp.OverlayOptions[] = [];
let total = 0;
for (const [index, file] of files.entries()) {
  const photo = await decodePhoto(file);
  const started = performance.now();
  const faces = await findFaces(model, photo, { ...(Number.isFinite(minScore) ? { minScore } : {}), ...(sizes.length ? { sizes } : {}) });
  const ms = performance.now() - started;
  total += faces.length;
  const name = path.relative(dir, file);
  console.log(`${name}\t${photo.width}x${photo.height}\t${faces.length} face(s)\t${faces.map((f) => f.score.toFixed(2)).join(' ')}\t${ms.toFixed(0)} ms`);
  const k = Math.min(TILE / photo.width, (TILE - 20) / photo.height);
  const w = Math.round(photo.width * k);
  const h = Math.round(photo.height * k);
  const boxes = faces
    .map(
      (f) =>
        `<rect x="${f.x * k}" y="${f.y * k + 20}" width="${f.width * k}" height="${f.height * k}" fill="none" stroke="#00e060" stroke-width="3"/>` +
        `<text x="${f.x * k + 3}" y="${f.y * k + 36}" font-size="14" font-family="sans-serif" fill="#00e060">${f.score.toFixed(2)}</text>`,
    )
    .join('');
  const label = `<text x="4" y="15" font-size="13" font-family="sans-serif" fill="#fff">${name} · ${faces.length}</text>`;
  const svg = Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="${TILE}" height="${TILE}">${label}${boxes}</svg>`);
  const thumb = await sharp(file).rotate().resize(w, h).removeAlpha().toBuffer();
  const tile = await sharp({ create: { width: TILE, height: TILE, channels: 3, background: '#222' } })
    .composite([{ input: thumb, left: 0, top: 20 }, { input: svg, left: 0, top: 0 }])
    .png()
    .toBuffer();
  tiles.push({ input: tile, left: (index % COLUMNS) * TILE, top: Math.floor(index / COLUMNS) * TILE });
}
const rows = Math.ceil(files.length / COLUMNS);
await sharp({ create: { width: COLUMNS * TILE, height: rows * TILE, channels: 3, background: '#111' } })
  .composite(tiles)
  .jpeg({ quality: 82 })
  .toFile(out);
console.log(`${files.length} photos, ${total} faces; sheet ${out}`);
