/**
 * Contact sheet of the detectors on real damaged photos (no ground truth):
 * one row per photo: the photo, then one column per detector setting
 * (method@sensitivity) with its mask overlaid in red, each scaled to a common
 * height. Prints the share of pixels each flags.
 *
 *   npm run defects:sheet -- [--dir ../shared/data/damaged]
 *     [--out .agents/defects-contact-sheet.jpg] [--columns classical@0.5,classical@0.8,learned@0.5] [--height 220]
 */
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import sharp from 'sharp';
import { detectDefects, type DetectMethod } from '../../src/main/defects/detect';
import { decodePhoto } from '../../src/main/imaging/decode';
import type { Photo } from '../../src/main/imaging/photo';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
const { values } = parseArgs({
  options: {
    dir: { type: 'string', default: path.resolve(root, '../shared/data/damaged') },
    out: { type: 'string', default: path.join(root, '.agents/defects-contact-sheet.jpg') },
    height: { type: 'string', default: '220' },
    columns: { type: 'string', default: 'classical@0.5,classical@0.8,learned@0.5' },
  },
});
const rowHeight = Number(values.height);
const columns = values.columns.split(',').map((c) => {
  const [method, sensitivity] = c.split('@');
  return { label: c, method: method as DetectMethod, sensitivity: Number(sensitivity ?? 0.5) };
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
const rows: { input: Buffer; width: number }[] = [];
const gap = 6;
for (const file of files) {
  const photo = await decodePhoto(file);
  const rgb = toRgb8(photo);
  const tiles = [await tile(rgb, null, photo.width, photo.height)];
  const shares: string[] = [];
  for (const { label, method, sensitivity } of columns) {
    const mask = await detectDefects(photo, { method, sensitivity });
    shares.push(`${label} ${(100 * (mask.stats.flaggedPixels / (photo.width * photo.height))).toFixed(1)}%`);
    tiles.push(await tile(rgb, mask.data, photo.width, photo.height));
  }
  console.log(`${path.relative(values.dir, file)} (${photo.width}x${photo.height}): ${shares.join(', ')}`);
  const width = tiles.reduce((a, t) => a + t.width + gap, -gap);
  const composite = tiles.map((t, i) => ({ input: t.data, raw: { width: t.width, height: rowHeight, channels: 3 as const }, left: tiles.slice(0, i).reduce((a, u) => a + u.width + gap, 0), top: 0 }));
  const row = await sharp({ create: { width, height: rowHeight, channels: 3, background: "#202020" } }).composite(composite).removeAlpha().raw().toBuffer();
  rows.push({ input: row, width });
}
const sheetWidth = Math.max(...rows.map((r) => r.width));
const sheetHeight = rows.length * (rowHeight + gap) - gap;
await sharp({ create: { width: sheetWidth, height: sheetHeight, channels: 3, background: '#202020' } })
  .composite(rows.map((r, i) => ({ input: r.input, raw: { width: r.width, height: rowHeight, channels: 3 as const }, left: 0, top: i * (rowHeight + gap) })))
  .jpeg({ quality: 85 })
  .toFile(values.out);
console.log(`wrote ${values.out} (${sheetWidth}x${sheetHeight}; columns: photo | ${columns.map((c) => c.label).join(' | ')})`);

/** 8-bit interleaved RGB of a decoded photo (grey repeated, alpha dropped, 16-bit reduced). */
function toRgb8(photo: Photo): Buffer {
  const n = photo.width * photo.height;
  const out = Buffer.alloc(n * 3);
  const shift = photo.bitDepth === 16 ? 8 : 0;
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < 3; c++) out[i * 3 + c] = photo.data[i * photo.channels + (photo.colourChannels === 3 ? c : 0)]! >> shift;
  }
  return out;
}

/** The photo (uint8 RGB) with mask (255 = damage) painted red, scaled to rowHeight. */
async function tile(rgb: Buffer, mask: Uint8Array | null, width: number, height: number): Promise<{ data: Buffer; width: number }> {
  const px = Buffer.from(rgb);
  // Thin strokes would vanish when the tile is scaled down: paint them wider by half the scale.
  const r = Math.max(0, Math.floor(height / rowHeight / 2));
  if (mask) {
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        if (!mask[y * width + x]) continue;
        for (let dy = -r; dy <= r; dy++) {
          for (let dx = -r; dx <= r; dx++) {
            const xx = x + dx;
            const yy = y + dy;
            if (xx < 0 || yy < 0 || xx >= width || yy >= height) continue;
            const i = (yy * width + xx) * 3;
            px[i] = 255;
            px[i + 1] = 0;
            px[i + 2] = 0;
          }
        }
      }
    }
  }
  const w = Math.round((width * rowHeight) / height);
  const data = await sharp(px, { raw: { width, height, channels: 3 } }).resize(w, rowHeight).raw().toBuffer();
  return { data, width: w };
}
