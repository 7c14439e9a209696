import type { Photo } from '../photo';

/** An in-memory photo of interleaved samples (no alpha) for tests of the fill's passes: grain, texture. */
export function syntheticPhoto(width: number, height: number, channels: 1 | 3, bits: 8 | 16, data: Uint8Array | Uint16Array): Photo {
  return {
    width,
    height,
    channels,
    colourChannels: channels,
    hasAlpha: false,
    bitDepth: bits,
    data,
    source: { path: 'synthetic', format: 'png', plan: { space: 'srgb', depth: 'uchar', converted: false }, orientation: 1 },
  } as Photo;
}
