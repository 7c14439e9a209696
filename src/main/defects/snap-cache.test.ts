import { mkdtemp, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { planesOf, type Planes } from './raster';
import { SnapPhotoCache } from './snap-cache';
import { gradientRgb } from './testing/fixtures';

async function photoFile(dir: string, name: string): Promise<string> {
  const img = gradientRgb(64, 48);
  const file = path.join(dir, name);
  await sharp(img.data, { raw: { width: 64, height: 48, channels: 3 } }).png().toFile(file);
  return file;
}

describe('SnapPhotoCache', () => {
  it('decodes a photo once for many strokes, again when the file changes, and keeps the last few', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'patina-snap-cache-'));
    const [a, b, c] = await Promise.all(['a.png', 'b.png', 'c.png'].map((n) => photoFile(dir, n)));
    const decoded: string[] = [];
    const decode = async (file: string): Promise<Planes> => {
      decoded.push(path.basename(file));
      return planesOf(gradientRgb(64, 48));
    };
    const cache = new SnapPhotoCache(2, 1 << 30, decode);
    expect((await cache.planes(a!)).cached).toBe(false);
    expect((await cache.planes(a!)).cached).toBe(true);
    expect((await cache.planes(a!)).planes.bright.width).toBe(64);
    expect(decoded).toEqual(['a.png']);

    // Rewritten on disk (a new modification time): decoded again.
    await utimes(a!, new Date(), new Date(Date.now() + 5000));
    expect((await cache.planes(a!)).cached).toBe(false);

    // Two entries: b and c push out a (the least recently used).
    await cache.planes(b!);
    await cache.planes(c!);
    expect(cache.size).toBe(2);
    expect((await cache.planes(c!)).cached).toBe(true);
    expect((await cache.planes(a!)).cached).toBe(false);
    expect(decoded).toEqual(['a.png', 'a.png', 'b.png', 'c.png', 'a.png']);
  });

  it('does not keep a photo that failed to decode', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'patina-snap-cache-'));
    const bad = path.join(dir, 'bad.png');
    await writeFile(bad, 'not a photo');
    const cache = new SnapPhotoCache();
    await expect(cache.planes(bad)).rejects.toMatchObject({ code: 'IMAGE_UNREADABLE' });
    expect(cache.size).toBe(0);
    // The real decoder: the planes of the photo the file holds.
    const good = await photoFile(dir, 'good.png');
    const { planes } = await cache.planes(good);
    expect([planes.bright.width, planes.bright.height, planes.dark.data.length]).toEqual([64, 48, 64 * 48]);
  });
});
