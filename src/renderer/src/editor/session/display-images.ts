import type { DisplayImage } from '@shared/ipc/documents';

export interface LoadedImage {
  /**
   * Decoded pixels that stay decoded. An <img> of a 24 MP scan may be
   * discarded by the browser's decode cache and decoded again on a later
   * draw (hundreds of ms, mid-stroke); an ImageBitmap is not.
   */
  readonly element: ImageBitmap;
  readonly width: number;
  readonly height: number;
  readonly level: 'preview' | 'full';
}

/**
 * Image elements for a document's versions, loaded by URL (patina:// in
 * Electron, the bridge's http route in tests): a preview for every version,
 * the full view only when someone zooms in past the preview's detail. Each
 * is decoded once and kept while the document is open.
 */
export class DisplayImages {
  private readonly cache = new Map<string, Promise<LoadedImage>>();

  constructor(
    /** Asks main for a version's display image (document:view). */
    private readonly describe: (version: number, level: 'preview' | 'full') => Promise<DisplayImage>,
  ) {}

  /** Registers a display image main already described (open, commit), so it is not asked for again. */
  seed(version: number, level: 'preview' | 'full', image: DisplayImage): void {
    const key = `${version}:${level}`;
    if (!this.cache.has(key)) this.cache.set(key, decode(image, level));
  }

  get(version: number, level: 'preview' | 'full'): Promise<LoadedImage> {
    const key = `${version}:${level}`;
    let loading = this.cache.get(key);
    if (!loading) {
      loading = this.describe(version, level).then((image) => decode(image, level));
      // A failed load may succeed later (main re-makes evicted images): do not cache failures.
      loading.catch(() => this.cache.delete(key));
      this.cache.set(key, loading);
    }
    return loading;
  }

  has(version: number, level: 'preview' | 'full'): boolean {
    return this.cache.has(`${version}:${level}`);
  }

  clear(): void {
    for (const loading of this.cache.values()) void loading.then((image) => image.element.close(), () => undefined);
    this.cache.clear();
  }
}

async function decode(image: DisplayImage, level: 'preview' | 'full'): Promise<LoadedImage> {
  const img = new Image();
  img.decoding = 'async';
  img.src = image.url;
  await img.decode();
  const element = await createImageBitmap(img);
  return { element, width: element.width, height: element.height, level };
}
