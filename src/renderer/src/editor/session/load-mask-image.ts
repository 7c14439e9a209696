/**
 * A mask image main serves by URL (detected damage: an 8-bit grey PNG of the
 * photo's size, white = damage) decoded to 0/1 bytes, width*height,
 * row-major. Fetched (not an <img>) so the bitmap is never cross-origin
 * tainted and its pixels can be read; decoded without colour management so
 * grey values stay as written.
 */
export async function loadMaskImage(url: string, width: number, height: number): Promise<Uint8Array> {
  const grey = await loadGreyImage(url, width, height);
  for (let i = 0; i < grey.length; i++) grey[i] = grey[i]! > 127 ? 1 : 0;
  return grey;
}

/**
 * An 8-bit grey PNG main serves by URL (a mask, or detection's preview
 * scores) as its grey values, width*height bytes, row-major.
 */
export async function loadGreyImage(url: string, width: number, height: number): Promise<Uint8Array> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`Could not load the detected mask (HTTP ${response.status})`);
  const bitmap = await createImageBitmap(await response.blob(), { colorSpaceConversion: 'none', premultiplyAlpha: 'none' });
  try {
    if (bitmap.width !== width || bitmap.height !== height) {
      throw new Error(`The detected mask is ${bitmap.width}x${bitmap.height}, not ${width}x${height}`);
    }
    const bits = new Uint8Array(width * height);
    const canvas = new OffscreenCanvas(width, 1);
    const ctx = canvas.getContext('2d', { willReadFrequently: true });
    if (!ctx) throw new Error('No 2D canvas available to read the mask');
    // Row bands keep the RGBA scratch small even for a 100 MP scan.
    const band = Math.max(1, Math.floor((16 * 1024 * 1024) / (width * 4)));
    canvas.height = Math.min(band, height);
    for (let y0 = 0; y0 < height; y0 += band) {
      const rows = Math.min(band, height - y0);
      ctx.clearRect(0, 0, width, canvas.height);
      ctx.drawImage(bitmap, 0, y0, width, rows, 0, 0, width, rows);
      const rgba = ctx.getImageData(0, 0, width, rows).data;
      for (let i = 0, o = y0 * width; i < rows * width; i++, o++) bits[o] = rgba[i * 4]!;
    }
    return bits;
  } finally {
    bitmap.close();
  }
}
