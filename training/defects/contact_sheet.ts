/**
 * Contact sheet of the detectors on real damaged photos (no ground truth):
 * one row per photo: the photo, then one column per detector setting
 * (method@sensitivity) with its mask overlaid in red, each scaled to a common
 * height. Prints the share of pixels each flags.
 *
 *   npm run defects:sheet -- [--dir ../shared/data/damaged]
 *     [--out .agents/defects-contact-sheet.jpg] [--columns classical@0.5,classical@0.8,learned@0.5] [--height 220]
 *     [--models DIR]   (a models folder holding defects/: a candidate detector; or per column,
 *     learned@0.5@DIR)
 */
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { detectDefects, type DetectMethod } from '../../src/main/defects/detect';
import { decodePhoto } from '../../src/main/imaging/decode';
import { RED, tile, toRgb8, writeSheet, type Tile } from './sheet-tiles';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
const { values } = parseArgs({
  options: {
    dir: { type: 'string', default: path.resolve(root, '../shared/data/damaged') },
    out: { type: 'string', default: path.join(root, '.agents/defects-contact-sheet.jpg') },
    height: { type: 'string', default: '220' },
    columns: { type: 'string', default: 'classical@0.5,classical@0.8,learned@0.5' },
    // A models folder holding defects/ (a candidate detector); default the app's.
    models: { type: 'string', default: '' },
  },
});
const rowHeight = Number(values.height);
// A column is method@sensitivity, optionally @modelsDir (a candidate beside the shipped model).
const columns = values.columns.split(',').map((c) => {
  const [method, sensitivity, models] = c.split('@');
  return {
    label: c,
    method: method as DetectMethod,
    sensitivity: Number(sensitivity ?? 0.5),
    modelsDir: models ? path.resolve(models) : values.models ? path.resolve(values.models) : undefined,
  };
});

async function list(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...(await list(p)));
    else if (/\.(png|jpe?g|tiff?|webp)$/i.test(e.name)) out.push(p);
  }
  return out.sort();
}

const files = await list(values.dir);
const rows: Tile[][] = [];
for (const file of files) {
  const photo = await decodePhoto(file);
  const rgb = toRgb8(photo);
  const tiles = [await tile(rgb, photo.width, photo.height, rowHeight)];
  const shares: string[] = [];
  for (const { label, method, sensitivity, modelsDir } of columns) {
    const mask = await detectDefects(photo, { method, sensitivity, modelsDir });
    shares.push(`${label} ${(100 * (mask.stats.flaggedPixels / (photo.width * photo.height))).toFixed(1)}%`);
    tiles.push(await tile(rgb, photo.width, photo.height, rowHeight, [{ mask: mask.data, colour: RED }]));
  }
  console.log(`${path.relative(values.dir, file)} (${photo.width}x${photo.height}): ${shares.join(', ')}`);
  rows.push(tiles);
}
const size = await writeSheet(rows, rowHeight, values.out);
console.log(`wrote ${values.out} (${size.width}x${size.height}; columns: photo | ${columns.map((c) => c.label).join(' | ')})`);
