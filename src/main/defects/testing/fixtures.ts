import path from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import type { PixelSource } from '../raster';

/** A real photo from the shared training data (read in place): a portrait, mostly smooth skin and dark hair. */
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');
export const PORTRAIT = path.resolve(REPO_ROOT, '../shared/data/train/celebahq_faces/ref_female_048197.jpg');
/** A real old print with a dense network of cream cracks (shared/data/damaged, 400x256). */
export const CRACKED_PRINT = path.resolve(REPO_ROOT, '../shared/data/damaged/bopb_old_photos/old_w_scratch/d.png');
/** Its hand-drawn damage mask (training/defects/labels/PROTOCOL.md): white = damage. */
export const CRACKED_PRINT_LABEL = path.resolve(REPO_ROOT, 'training/defects/labels/prints/bopb_old_photos__old_w_scratch__d.png');

/** Interleaved 8-bit RGB of `file`, resized to width x height (fill). */
export async function loadRgb(file: string, width: number, height: number): Promise<PixelSource & { data: Uint8Array }> {
  const data = await sharp(file).resize(width, height, { fit: 'fill' }).removeAlpha().raw().toBuffer();
  return { width, height, channels: 3, colourChannels: 3, bitDepth: 8, data: new Uint8Array(data) };
}

/** 8-bit RGB: a smooth diagonal gradient with slight deterministic grain (no edges, nothing to find). */
export function gradientRgb(width: number, height: number): PixelSource & { data: Uint8Array } {
  const data = new Uint8Array(width * height * 3);
  let seed = 42;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      seed = (seed * 1103515245 + 12345) >>> 0;
      const grain = ((seed >>> 24) % 5) - 2;
      const base = 70 + (90 * x) / width + (40 * y) / height + grain;
      const i = (y * width + x) * 3;
      data[i] = Math.round(base + 10);
      data[i + 1] = Math.round(base);
      data[i + 2] = Math.round(base - 15);
    }
  }
  return { width, height, channels: 3, colourChannels: 3, bitDepth: 8, data };
}

/**
 * Tears off the bottom-left corner of an 8-bit RGB photo: a ragged triangle (legs of about 70 px)
 * showing near-white backing (238). Returns its truth mask (1 = torn), width*height.
 */
export function paintTornCorner(img: PixelSource & { data: Uint8Array }): Uint8Array {
  const { width, height } = img;
  const truth = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (x + (height - 1 - y) < 70 + 8 * Math.sin(x / 5)) {
        const i = y * width + x;
        truth[i] = 1;
        img.data.fill(238, i * 3, i * 3 + 3);
      }
    }
  }
  return truth;
}

/**
 * Paints a straight stroke of `thickness` px from (x0, y0) to (x1, y1) in
 * grey `value` at opacity `alpha` onto 8-bit RGB pixels, and marks it in the
 * returned truth mask (Uint8Array width*height, 1 = painted).
 */
export function paintStroke(
  img: { width: number; height: number; data: Uint8Array },
  from: readonly [number, number],
  to: readonly [number, number],
  thickness: number,
  value: number,
  alpha: number,
  truth: Uint8Array = new Uint8Array(img.width * img.height),
): Uint8Array {
  const [x0, y0] = from;
  const [x1, y1] = to;
  const len = Math.hypot(x1 - x0, y1 - y0);
  const nx = -(y1 - y0) / len;
  const ny = (x1 - x0) / len;
  const half = thickness / 2;
  for (let y = 0; y < img.height; y++) {
    for (let x = 0; x < img.width; x++) {
      const px = x + 0.5 - x0;
      const py = y + 0.5 - y0;
      const along = (px * (x1 - x0) + py * (y1 - y0)) / len;
      if (along < 0 || along > len) continue;
      if (Math.abs(px * nx + py * ny) > half) continue;
      paint(img, y * img.width + x, value, alpha);
      truth[y * img.width + x] = 1;
    }
  }
  return truth;
}

/** Paints a filled disc (a dust speck) and marks it in `truth`. */
export function paintSpeck(
  img: { width: number; height: number; data: Uint8Array },
  cx: number,
  cy: number,
  radius: number,
  value: number,
  truth: Uint8Array,
): void {
  for (let y = Math.floor(cy - radius); y <= Math.ceil(cy + radius); y++) {
    for (let x = Math.floor(cx - radius); x <= Math.ceil(cx + radius); x++) {
      if (x < 0 || y < 0 || x >= img.width || y >= img.height) continue;
      if ((x - cx) ** 2 + (y - cy) ** 2 > radius * radius) continue;
      paint(img, y * img.width + x, value, 1);
      truth[y * img.width + x] = 1;
    }
  }
}

function paint(img: { data: Uint8Array }, pixel: number, value: number, alpha: number): void {
  for (let c = 0; c < 3; c++) {
    const i = pixel * 3 + c;
    img.data[i] = Math.round(img.data[i]! * (1 - alpha) + value * alpha);
  }
}

/** Counts of a 255/0 mask against a 1/0 truth; `near` forgives a miss by `tolerance` px around the truth. */
export function compare(mask: Uint8Array, truth: Uint8Array, width: number, height: number, tolerance = 1) {
  let hit = 0;
  let truthCount = 0;
  let flagged = 0;
  let farFromTruth = 0;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      if (truth[i]) {
        truthCount++;
        if (mask[i]) hit++;
      }
      if (!mask[i]) continue;
      flagged++;
      let near = false;
      for (let dy = -tolerance; dy <= tolerance && !near; dy++) {
        for (let dx = -tolerance; dx <= tolerance; dx++) {
          const xx = x + dx;
          const yy = y + dy;
          if (xx >= 0 && yy >= 0 && xx < width && yy < height && truth[yy * width + xx]) {
            near = true;
            break;
          }
        }
      }
      if (!near) farFromTruth++;
    }
  }
  return { recall: hit / Math.max(1, truthCount), flagged, farFromTruth, truthCount };
}

/**
 * A 240 x 160 gradientRgb photo with one 2 px stroke of `value` from `from` to
 * `to`, written as `scratched.png` in `dir`; returns its path and the stroke's truth mask.
 */
export async function writeScratchedPhoto(
  dir: string,
  from: readonly [number, number],
  to: readonly [number, number],
  value: number,
): Promise<{ photo: string; truth: Uint8Array }> {
  const img = gradientRgb(240, 160);
  const truth = paintStroke(img, from, to, 2, value, 0.9);
  const photo = path.join(dir, 'scratched.png');
  await sharp(img.data, { raw: { width: 240, height: 160, channels: 3 } }).png().toFile(photo);
  return { photo, truth };
}

/**
 * A film-like frame (grain on grey) with two faint line scratches, 2 px wide and 7 levels off the
 * grey, 500 rows long: what --medium film is for. Returns the scratches' columns.
 */
export async function writeLineScratchedFrame(file: string): Promise<number[]> {
  const [w, h] = [480, 640];
  const data = new Uint8Array(w * h * 3);
  let seed = 11;
  const columns = [150, 330];
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      seed = (seed * 1103515245 + 12345) >>> 0;
      let v = 100 + (((seed >>> 16) % 13) - 6);
      if (y >= 70 && y < 570 && (x === columns[0] || x === columns[0]! + 1)) v += 7;
      if (y >= 70 && y < 570 && (x === columns[1] || x === columns[1]! + 1)) v -= 7;
      data.fill(v, (y * w + x) * 3, (y * w + x) * 3 + 3);
    }
  }
  await sharp(data, { raw: { width: w, height: h, channels: 3 } }).png().toFile(file);
  return columns;
}
