/**
 * Grey-level morphology with flat square structuring elements on single-
 * channel images: Uint8Array of width*height, row-major, values 0..255.
 *
 * Erosion and dilation are separable for a square, and each 1-D pass uses the
 * van Herk / Gil-Werman scheme (block prefix and suffix extrema), so the cost
 * is about three comparisons per pixel whatever the radius. The vertical pass
 * works on whole rows at a time, which keeps memory access sequential.
 * Outside the image, erosion sees 255 and dilation sees 0 (neutral values), so
 * an opening never exceeds its input and a closing is never below it.
 */

export interface GreyImage {
  readonly width: number;
  readonly height: number;
  readonly data: Uint8Array;
}

type Extremum = 'min' | 'max';

// Branch-free minimum and maximum of two 0..255 samples: on photo noise a comparison's branch
// is mispredicted often, and these passes make a few per pixel.
const lower = (a: number, b: number): number => b + ((a - b) & ((a - b) >> 31));
const higher = (a: number, b: number): number => a - ((a - b) & ((a - b) >> 31));

/** Square erosion (min filter) with a (2r+1)x(2r+1) window. */
export function erode(src: GreyImage, r: number): GreyImage {
  return separable(src, r, 'min');
}

/** Square dilation (max filter) with a (2r+1)x(2r+1) window. */
export function dilate(src: GreyImage, r: number): GreyImage {
  return separable(src, r, 'max');
}

export function open(src: GreyImage, r: number): GreyImage {
  return dilate(erode(src, r), r);
}

export function close(src: GreyImage, r: number): GreyImage {
  return erode(dilate(src, r), r);
}

/** White top-hat, src - open(src): bright details narrower than 2r+1 px. */
export function whiteTopHat(src: GreyImage, r: number): GreyImage {
  const opened = open(src, r);
  const out = opened.data;
  const s = src.data;
  for (let i = 0; i < out.length; i++) out[i] = s[i]! - out[i]!;
  return opened;
}

/** Black top-hat, close(src) - src: dark details narrower than 2r+1 px. */
export function blackTopHat(src: GreyImage, r: number): GreyImage {
  const closed = close(src, r);
  const out = closed.data;
  const s = src.data;
  for (let i = 0; i < out.length; i++) out[i] = out[i]! - s[i]!;
  return closed;
}

function separable(src: GreyImage, r: number, op: Extremum): GreyImage {
  const radius = Math.max(0, Math.round(r));
  if (radius === 0) return { width: src.width, height: src.height, data: src.data.slice() };
  const horizontal = rowsPass(src, radius, op);
  return columnsPass(horizontal, radius, op);
}

/** 1-D van Herk along each row; the row is padded with the neutral value. */
function rowsPass(src: GreyImage, r: number, op: Extremum): GreyImage {
  const { width, height, data } = src;
  const k = 2 * r + 1;
  const neutral = op === 'min' ? 255 : 0;
  const padded = width + 2 * r;
  // Round the padded length up to whole blocks so every block has k samples.
  const len = Math.ceil(padded / k) * k;
  const line = new Uint8Array(len);
  const g = new Uint8Array(len);
  const h = new Uint8Array(len);
  const out = new Uint8Array(width * height);
  const isMin = op === 'min';
  for (let y = 0; y < height; y++) {
    const row = y * width;
    line.fill(neutral);
    line.set(data.subarray(row, row + width), r);
    for (let b = 0; b < len; b += k) {
      let acc = line[b]!;
      g[b] = acc;
      for (let i = b + 1; i < b + k; i++) {
        const v = line[i]!;
        acc = isMin ? lower(v, acc) : higher(v, acc);
        g[i] = acc;
      }
      acc = line[b + k - 1]!;
      h[b + k - 1] = acc;
      for (let i = b + k - 2; i >= b; i--) {
        const v = line[i]!;
        acc = isMin ? lower(v, acc) : higher(v, acc);
        h[i] = acc;
      }
    }
    // Window [x, x + k - 1] in padded coordinates is centred on pixel x.
    for (let x = 0; x < width; x++) {
      const a = h[x]!;
      const c = g[x + k - 1]!;
      out[row + x] = isMin ? lower(a, c) : higher(a, c);
    }
  }
  return { width, height, data: out };
}

/** 1-D van Herk down the columns, done a whole row at a time. */
function columnsPass(src: GreyImage, r: number, op: Extremum): GreyImage {
  const { width, height, data } = src;
  const k = 2 * r + 1;
  const isMin = op === 'min';
  const neutral = op === 'min' ? 255 : 0;
  const padded = height + 2 * r;
  const len = Math.ceil(padded / k) * k;
  // g: prefix extremum within each block; h: suffix extremum. Rows are padded rows.
  const g = new Uint8Array(len * width);
  const h = new Uint8Array(len * width);
  const rowOf = (p: number): number => p - r; // padded row -> image row (may be out of range)
  for (let b = 0; b < len; b += k) {
    for (let i = b; i < b + k; i++) {
      const y = rowOf(i);
      const dst = i * width;
      const inside = y >= 0 && y < height;
      if (i === b) {
        if (inside) g.set(data.subarray(y * width, y * width + width), dst);
        else g.fill(neutral, dst, dst + width);
        continue;
      }
      const prev = dst - width;
      if (!inside) {
        // Outside the image the neutral value changes nothing: carry the prefix on.
        g.copyWithin(dst, prev, prev + width);
        continue;
      }
      const s = y * width;
      for (let x = 0; x < width; x++) {
        const v = data[s + x]!;
        const a = g[prev + x]!;
        g[dst + x] = isMin ? lower(v, a) : higher(v, a);
      }
    }
    for (let i = b + k - 1; i >= b; i--) {
      const y = rowOf(i);
      const dst = i * width;
      const inside = y >= 0 && y < height;
      if (i === b + k - 1) {
        if (inside) h.set(data.subarray(y * width, y * width + width), dst);
        else h.fill(neutral, dst, dst + width);
        continue;
      }
      const next = dst + width;
      if (!inside) {
        h.copyWithin(dst, next, next + width);
        continue;
      }
      const s = y * width;
      for (let x = 0; x < width; x++) {
        const v = data[s + x]!;
        const a = h[next + x]!;
        h[dst + x] = isMin ? lower(v, a) : higher(v, a);
      }
    }
  }
  const out = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    // Padded window [y, y + k - 1] is centred on image row y.
    const hs = y * width;
    const gs = (y + k - 1) * width;
    const o = y * width;
    for (let x = 0; x < width; x++) {
      const a = h[hs + x]!;
      const c = g[gs + x]!;
      out[o + x] = isMin ? lower(a, c) : higher(a, c);
    }
  }
  return { width, height, data: out };
}
