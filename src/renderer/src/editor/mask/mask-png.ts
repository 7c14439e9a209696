/*
 * PNG encoding of masks for the engine and the project file, with no canvas:
 * a 1-bit greyscale PNG (white = fill) deflated by the platform's
 * CompressionStream. A 24 MP mask is 3 MB of bits before compression and
 * usually a few kilobytes after, so it travels cheaply; and PNG is what
 * restore:run and project:save take (any reader, sharp included, decodes it).
 */

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/**
 * mask: width*height bytes, row-major, nonzero = fill.
 * Returns PNG bytes: 1-bit greyscale, white where the mask is set.
 */
export async function encodeMaskPng(mask: Uint8Array, width: number, height: number): Promise<Uint8Array<ArrayBuffer>> {
  if (mask.length !== width * height) throw new Error(`encodeMaskPng: ${mask.length} bytes for ${width}x${height}`);
  const stride = Math.ceil(width / 8);
  // Each scanline: filter byte 0 (None), then the row's bits, most significant bit first.
  const raw = new Uint8Array((stride + 1) * height);
  for (let y = 0; y < height; y++) {
    const rowStart = y * (stride + 1) + 1;
    const src = y * width;
    for (let x = 0; x < width; x++) {
      if (mask[src + x]) raw[rowStart + (x >> 3)]! |= 0x80 >> (x & 7);
    }
  }
  const idat = await deflate(raw);
  const ihdr = new Uint8Array(13);
  const view = new DataView(ihdr.buffer);
  view.setUint32(0, width);
  view.setUint32(4, height);
  ihdr[8] = 1; // bit depth
  ihdr[9] = 0; // colour type: greyscale
  return concat([new Uint8Array(PNG_SIGNATURE), chunk('IHDR', ihdr), chunk('IDAT', idat), chunk('IEND', new Uint8Array(0))]);
}

async function deflate(bytes: Uint8Array): Promise<Uint8Array> {
  // 'deflate' is the zlib format (RFC 1950), which is what IDAT holds.
  const stream = new Blob([bytes as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new CompressionStream('deflate'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i);
  out.set(data, 8);
  view.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)));
  return out;
}

let crcTable: Uint32Array | undefined;

function crc32(bytes: Uint8Array): number {
  if (!crcTable) {
    crcTable = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c >>> 0;
    }
  }
  let c = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) c = crcTable[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function concat(parts: readonly Uint8Array[]): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

/**
 * A raw mask main serves (project masks, detected damage): width*height
 * bytes, 0 = not masked, anything else = masked. Returns 0/1 bytes in place.
 */
export function rawMaskToBits(raw: Uint8Array, width: number, height: number): Uint8Array {
  if (raw.length !== width * height) throw new Error(`Mask has ${raw.length} bytes, expected ${width * height}`);
  for (let i = 0; i < raw.length; i++) raw[i] = raw[i] ? 1 : 0;
  return raw;
}
