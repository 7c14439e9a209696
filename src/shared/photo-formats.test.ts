import { describe, expect, it } from 'vitest';
import { formatOfExtension, PHOTO_EXTENSIONS, PHOTO_FORMATS, writtenExtension } from './photo-formats';

describe('photo formats', () => {
  it('reads every extension of a format, in any case, with or without its dot', () => {
    expect(['jpg', '.JPEG', 'Jpg', 'png', '.webp', 'TIF', '.tiff'].map(formatOfExtension)).toEqual(['jpeg', 'jpeg', 'jpeg', 'png', 'webp', 'tiff', 'tiff']);
    expect(['gif', 'heic', '', 'jpg.bak'].map(formatOfExtension)).toEqual([undefined, undefined, undefined, undefined]);
  });

  it('writes one extension per format, one the formats read back', () => {
    expect(PHOTO_FORMATS.map(writtenExtension)).toEqual(['jpg', 'png', 'webp', 'tif']);
    for (const f of PHOTO_FORMATS) expect(formatOfExtension(writtenExtension(f))).toBe(f);
    expect([...PHOTO_EXTENSIONS].sort()).toEqual(['jpeg', 'jpg', 'png', 'tif', 'tiff', 'webp']);
  });
});
