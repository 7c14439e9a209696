import sharp from 'sharp';

/**
 * Benchmark inputs, generated so the bench needs no data files.
 * Photo: 8-bit RGB, smooth gradients plus grain (so JPEG sizes and crops look
 * like a scan, not a flat colour). Mask: white = fill, long thin scratches
 * (3-5 px) crossing the photo plus a sprinkling of dust specks.
 */
export async function writeSyntheticPhoto(file: string, width: number, height: number): Promise<void> {
  const px = new Uint8Array(width * height * 3);
  const colX = new Float32Array(width);
  const rowY = new Float32Array(height);
  for (let x = 0; x < width; x++) colX[x] = Math.sin(x / 211) * 0.25;
  for (let y = 0; y < height; y++) rowY[y] = Math.cos(y / 173) * 0.25;
  let seed = 7;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      seed = (seed * 1103515245 + 12345) >>> 0;
      const grain = ((seed >>> 24) - 128) / 2048;
      const base = 0.5 + colX[x]! + rowY[y]! + grain;
      const i = (y * width + x) * 3;
      px[i] = clamp255(base + 0.08);
      px[i + 1] = clamp255(base);
      px[i + 2] = clamp255(base - 0.1);
    }
  }
  await sharp(px, { raw: { width, height, channels: 3 } }).jpeg({ quality: 92 }).toFile(file);
}

export async function writeScratchMask(file: string, width: number, height: number, scratches: number, dust: number): Promise<void> {
  const m = new Uint8Array(width * height);
  for (let s = 0; s < scratches; s++) {
    // Mostly vertical scratches, as on film, with a slight drift.
    const x0 = Math.round(width * (0.15 + (0.7 * s) / Math.max(1, scratches - 1)));
    const thickness = 3 + (s % 3);
    for (let y = 0; y < height; y++) {
      const xc = Math.round(x0 + Math.sin(y / (height / 3)) * width * 0.03);
      for (let t = 0; t < thickness; t++) {
        const x = xc + t;
        if (x >= 0 && x < width) m[y * width + x] = 255;
      }
    }
  }
  let seed = 99;
  for (let d = 0; d < dust; d++) {
    seed = (seed * 1103515245 + 12345) >>> 0;
    const cx = seed % width;
    seed = (seed * 1103515245 + 12345) >>> 0;
    const cy = seed % height;
    for (let y = cy; y < Math.min(height, cy + 5); y++) for (let x = cx; x < Math.min(width, cx + 5); x++) m[y * width + x] = 255;
  }
  await sharp(m, { raw: { width, height, channels: 1 } }).png({ compressionLevel: 1 }).toFile(file);
}

/** The scan with every masked pixel painted near-white, as scratches and dust on a print look (for --auto-mask). */
export async function paintDamage(scan: string, mask: string, dest: string): Promise<void> {
  const { data, info } = await sharp(scan).raw().toBuffer({ resolveWithObject: true });
  const m = await sharp(mask).greyscale().raw().toBuffer();
  const px = new Uint8Array(data);
  for (let i = 0; i < m.length; i++) if (m[i]! > 127) px[i * 3] = px[i * 3 + 1] = px[i * 3 + 2] = 236;
  await sharp(px, { raw: { width: info.width, height: info.height, channels: 3 } }).jpeg({ quality: 92 }).toFile(dest);
}

function clamp255(v: number): number {
  return Math.max(0, Math.min(255, Math.round(v * 255)));
}
