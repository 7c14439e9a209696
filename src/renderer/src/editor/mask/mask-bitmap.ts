import { EMPTY_RECT, isEmpty, rectHeight, rectWidth, type Rect } from '../geometry';

/**
 * One mask layer's pixels at the photo's full resolution.
 * data: Uint8Array of width*height, row-major, top-left origin, image space
 * (EXIF orientation applied, same grid as the engine's BinaryMask);
 * 1 = masked (to be filled), 0 = not.
 * 24 MP costs 24 MB per layer; the overlay on screen is drawn from this, never the reverse.
 */
export class MaskBitmap {
  readonly data: Uint8Array;

  constructor(
    readonly width: number,
    readonly height: number,
    data?: Uint8Array,
  ) {
    if (data && data.length !== width * height) throw new Error(`Mask data has ${data.length} pixels, expected ${width * height}`);
    this.data = data ?? new Uint8Array(width * height);
  }

  /** Copies a rectangle out, row-major, rectWidth*rectHeight bytes. */
  readRect(r: Rect): Uint8Array {
    const w = rectWidth(r);
    const out = new Uint8Array(w * rectHeight(r));
    for (let y = r.y0; y < r.y1; y++) out.set(this.data.subarray(y * this.width + r.x0, y * this.width + r.x1), (y - r.y0) * w);
    return out;
  }

  /** Writes a rectangle read with readRect back. */
  writeRect(r: Rect, bytes: Uint8Array): void {
    const w = rectWidth(r);
    if (bytes.length !== w * rectHeight(r)) throw new Error('writeRect: size mismatch');
    for (let y = r.y0; y < r.y1; y++) this.data.set(bytes.subarray((y - r.y0) * w, (y - r.y0 + 1) * w), y * this.width + r.x0);
  }

  /** Masked pixels inside r (whole mask by default). */
  count(r?: Rect): number {
    let n = 0;
    if (!r) {
      for (let i = 0; i < this.data.length; i++) n += this.data[i]!;
      return n;
    }
    for (let y = r.y0; y < r.y1; y++) {
      const row = y * this.width;
      for (let x = r.x0; x < r.x1; x++) n += this.data[row + x]!;
    }
    return n;
  }

  /** Smallest rectangle holding every masked pixel; EMPTY_RECT when none. */
  bounds(): Rect {
    let x0 = this.width;
    let y0 = this.height;
    let x1 = 0;
    let y1 = 0;
    for (let y = 0; y < this.height; y++) {
      const row = this.data.subarray(y * this.width, (y + 1) * this.width);
      const first = row.indexOf(1);
      if (first < 0) continue;
      const last = row.lastIndexOf(1);
      if (y < y0) y0 = y;
      y1 = y + 1;
      if (first < x0) x0 = first;
      if (last + 1 > x1) x1 = last + 1;
    }
    const r = { x0, y0, x1, y1 };
    return isEmpty(r) ? EMPTY_RECT : r;
  }

  clone(): MaskBitmap {
    return new MaskBitmap(this.width, this.height, this.data.slice());
  }
}
