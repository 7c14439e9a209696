import type { PhotoFormatName } from '@shared/photo-formats';

/** Interleaved samples: 8-bit photos use Uint8Array, 16-bit photos Uint16Array. */
export type PixelArray = Uint8Array | Uint16Array;

/**
 * Rec. 601 luma weights (R, G, B), the ones sharp's greyscale uses: a grey photo's fill, the
 * grain estimate and the tone analysis all weigh colour into brightness with these.
 */
export const LUMA = [0.299, 0.587, 0.114] as const;

/** A format the engine decodes and encodes: one of PHOTO_FORMATS (src/shared/photo-formats.ts). */
export type PhotoFormat = PhotoFormatName;

/**
 * How a photo was decoded. Encoding re-decodes the original with exactly these
 * settings and applies the pixel changes as an XOR delta, so every sample the
 * engine did not change comes back bit for bit, and the original's EXIF, ICC,
 * XMP and DPI ride along untouched.
 */
export interface DecodePlan {
  /** sharp colourspace of the working pixels: the file's own, never an ICC-converted one. */
  readonly space: 'srgb' | 'rgb16' | 'b-w' | 'grey16';
  /** sharp raw depth: 'uchar' for 8-bit, 'ushort' for 16-bit. */
  readonly depth: 'uchar' | 'ushort';
  /**
   * True when the file's colour space (CMYK, Lab, ...) was converted to get
   * here: its ICC profile then no longer describes the pixels and is not kept.
   */
  readonly converted: boolean;
}

export interface PhotoSource {
  readonly path: string;
  readonly format: PhotoFormat;
  readonly plan: DecodePlan;
  /** Pixels per inch from the file, when it states one. */
  readonly density?: number;
  /** JPEG chroma subsampling of the input, e.g. '4:4:4'. */
  readonly chromaSubsampling?: string;
  /** True when a WebP input is lossless (VP8L), so the output stays lossless. */
  readonly webpLossless?: boolean;
  /** EXIF orientation tag of the file (1 when absent); pixels are already upright. */
  readonly orientation: number;
}

/**
 * A decoded photo in memory.
 * data: interleaved samples, row-major, top-left origin, EXIF orientation
 * applied; channels = colour (1 grey or 3 RGB) + 1 when there is alpha.
 * Values are the file's own code values (0..255 or 0..65535), in the file's
 * own colour space (no ICC conversion).
 */
export interface Photo {
  readonly width: number;
  readonly height: number;
  readonly channels: 1 | 2 | 3 | 4;
  readonly colourChannels: 1 | 3;
  readonly hasAlpha: boolean;
  readonly bitDepth: 8 | 16;
  readonly data: PixelArray;
  readonly source: PhotoSource;
}

/**
 * A photo's interleaved pixels and their layout, without where they came from: channels = colour
 * (1 grey or 3 RGB) + 1 when there is alpha; 8- or 16-bit samples. What the damage detector and
 * the face finder read.
 */
export type PhotoPixels = Pick<Photo, 'width' | 'height' | 'channels' | 'colourChannels' | 'bitDepth' | 'data'>;

export function maxSampleValue(photo: Pick<Photo, 'bitDepth'>): number {
  return photo.bitDepth === 16 ? 65535 : 255;
}

/** A zeroed array of the photo's sample type and size. */
export function allocLike(photo: Photo): PixelArray {
  // Large zeroed allocations come from calloc/mmap, so untouched pages of a
  // sparse delta cost no resident memory.
  return photo.bitDepth === 16 ? new Uint16Array(photo.data.length) : new Uint8Array(photo.data.length);
}
