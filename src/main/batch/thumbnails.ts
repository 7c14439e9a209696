import { makeDisplayImage } from '../documents/display';
import { Slots } from '../jobs/slots';
import { ResultStore, type ResultReader } from '../jobs/result-store';

/** Longest side of a queue thumbnail, in px. */
export const THUMBNAIL_SIDE = 160;

/**
 * Small previews for the batch queue, made on request (the view asks for the
 * rows it shows) and served by the same transport as restore results, by
 * handle, never as JSON. At most two are made at once, so a long list
 * scrolling by does not starve the batch of cores.
 */
export class BatchThumbnails {
  private readonly store = new ResultStore(600, 48 * 1024 * 1024);
  private readonly handles = new Map<string, string>();
  private readonly slots = new Slots(2);

  constructor(private readonly urlFor: (handle: string) => string) {}

  get reader(): ResultReader {
    return this.store;
  }

  /** URL of a thumbnail of `file`, or null when it cannot be decoded. `key` names it for reuse. */
  async urlOf(key: string, file: string): Promise<string | null> {
    const known = this.handles.get(key);
    if (known && this.store.get(known)) return this.urlFor(known);
    try {
      const image = await this.slots.run(() => makeDisplayImage(file, THUMBNAIL_SIDE, true));
      const handle = this.store.put(image.bytes, image.mime);
      this.handles.set(key, handle);
      return this.urlFor(handle);
    } catch {
      return null;
    }
  }

  clear(): void {
    this.store.clear();
    this.handles.clear();
  }
}
