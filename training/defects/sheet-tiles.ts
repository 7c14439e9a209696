/**
 * Tiles of the detector contact sheets: a photo scaled to a row height with
 * masks painted over it (widened first, so thin strokes survive the scaling),
 * and rows of tiles joined into one JPEG.
 */
import sharp from 'sharp';
import type { Photo } from '../../src/main/imaging/photo';

export type Rgb = readonly [number, number, number];
export interface Tile {
  readonly data: Buffer;
  readonly width: number;
}
export const RED: Rgb = [255, 0, 0];
export const GREEN: Rgb = [0, 220, 0];
const GAP = 6;

/** 8-bit interleaved RGB of a decoded photo (grey repeated, alpha dropped, 16-bit reduced). */
export function toRgb8(photo: Photo): Buffer {
  const n = photo.width * photo.height;
  const out = Buffer.alloc(n * 3);
  const shift = photo.bitDepth === 16 ? 8 : 0;
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < 3; c++) out[i * 3 + c] = photo.data[i * photo.channels + (photo.colourChannels === 3 ? c : 0)]! >> shift;
  }
  return out;
}

/** The photo (uint8 RGB) with each mask (nonzero = damage) painted in its colour, in order, scaled to rowHeight. */
export async function tile(
  rgb: Buffer,
  width: number,
  height: number,
  rowHeight: number,
  layers: readonly { readonly mask: Uint8Array; readonly colour: Rgb }[] = [],
): Promise<Tile> {
  const px = Buffer.from(rgb);
  // Thin strokes would vanish when the tile is scaled down: paint them wider by half the scale.
  const r = Math.max(0, Math.floor(height / rowHeight / 2));
  for (const { mask, colour } of layers) {
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        if (!mask[y * width + x]) continue;
        for (let yy = Math.max(0, y - r); yy <= Math.min(height - 1, y + r); yy++) {
          for (let xx = Math.max(0, x - r); xx <= Math.min(width - 1, x + r); xx++) px.set(colour, (yy * width + xx) * 3);
        }
      }
    }
  }
  const w = Math.round((width * rowHeight) / height);
  const data = await sharp(px, { raw: { width, height, channels: 3 } }).resize(w, rowHeight).raw().toBuffer();
  return { data, width: w };
}

/** Tiles side by side, rows one under another, on dark grey; written as JPEG. */
export async function writeSheet(rows: readonly (readonly Tile[])[], rowHeight: number, out: string): Promise<{ width: number; height: number }> {
  const joined: Tile[] = [];
  for (const tiles of rows) {
    const width = tiles.reduce((a, t) => a + t.width + GAP, -GAP);
    let left = 0;
    const composite = tiles.map((t) => {
      const c = { input: t.data, raw: { width: t.width, height: rowHeight, channels: 3 as const }, left, top: 0 };
      left += t.width + GAP;
      return c;
    });
    const data = await sharp({ create: { width, height: rowHeight, channels: 3, background: '#202020' } }).composite(composite).removeAlpha().raw().toBuffer();
    joined.push({ data, width });
  }
  const width = Math.max(...joined.map((r) => r.width));
  const height = joined.length * (rowHeight + GAP) - GAP;
  await sharp({ create: { width, height, channels: 3, background: '#202020' } })
    .composite(joined.map((r, i) => ({ input: r.data, raw: { width: r.width, height: rowHeight, channels: 3 as const }, left: 0, top: i * (rowHeight + GAP) })))
    .jpeg({ quality: 85 })
    .toFile(out);
  return { width, height };
}
