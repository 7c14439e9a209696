import { stat } from 'node:fs/promises';
import { decodePhoto } from '../imaging/decode';
import { planesOf, type Planes } from './raster';

/**
 * The last few photos the snapping brush worked on, kept as the two planes it
 * reads (src/main/defects/raster.ts: 8-bit, width*height each, one shared
 * plane for grey photos). Decoding a scan is the slow part of a snap (a
 * 12 MP PNG takes about half a second); a stroke on a photo already here
 * costs only its own band. An entry is keyed by path and stays valid while
 * the file's size and modification time do: a document version is a file
 * of its own, and a granted file changed on disk is decoded again.
 */
export class SnapPhotoCache {
  private readonly entries = new Map<string, { readonly stamp: string; readonly planes: Promise<Planes>; bytes: number }>();

  constructor(
    private readonly maxEntries = 2,
    /** Planes are 1 or 2 bytes a pixel: about 24 MB for a 12 MP colour scan. */
    private readonly maxBytes = 512 * 1024 * 1024,
    private readonly decode: (file: string) => Promise<Planes> = decodePlanes,
  ) {}

  /** The planes of the photo at `file`; rejects like decodePhoto (IMAGE_UNREADABLE, IMAGE_UNSUPPORTED). */
  async planes(file: string): Promise<{ readonly planes: Planes; readonly cached: boolean }> {
    const stamp = await stampOf(file);
    const hit = this.entries.get(file);
    if (hit && hit.stamp === stamp) {
      // Most recently used last: Map order is the eviction order.
      this.entries.delete(file);
      this.entries.set(file, hit);
      return { planes: await hit.planes, cached: true };
    }
    const entry = { stamp, planes: this.decode(file), bytes: 0 };
    this.entries.delete(file);
    this.entries.set(file, entry);
    try {
      const planes = await entry.planes;
      entry.bytes = planes.bright.data.byteLength + (planes.dark === planes.bright ? 0 : planes.dark.data.byteLength);
      this.evict();
      return { planes, cached: false };
    } catch (err) {
      if (this.entries.get(file) === entry) this.entries.delete(file);
      throw err;
    }
  }

  get size(): number {
    return this.entries.size;
  }

  clear(): void {
    this.entries.clear();
  }

  private evict(): void {
    let bytes = 0;
    for (const e of this.entries.values()) bytes += e.bytes;
    for (const [key, e] of this.entries) {
      if (this.entries.size <= 1 || (this.entries.size <= this.maxEntries && bytes <= this.maxBytes)) break;
      this.entries.delete(key);
      bytes -= e.bytes;
    }
  }
}

async function decodePlanes(file: string): Promise<Planes> {
  return planesOf(await decodePhoto(file));
}

/**
 * Size and modification time: a cached answer for a file stands while this does (this cache's and
 * basis-cache.ts's). A missing file fails later, in decode, with the engine's own message.
 */
export async function stampOf(file: string): Promise<string> {
  try {
    const s = await stat(file);
    return `${s.size}:${s.mtimeMs}`;
  } catch {
    return 'missing';
  }
}
