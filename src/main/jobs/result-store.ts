import { randomBytes } from 'node:crypto';

export interface StoredResult {
  readonly bytes: Uint8Array;
  readonly mime: string;
}

/** Read side, for the transports that serve results (patina:// protocol, bridge http route). */
export interface ResultReader {
  get(handle: string): StoredResult | undefined;
}

/**
 * Restored images waiting to be shown, addressed by unguessable handles. The
 * renderer gets a URL with the handle, never the pixels in JSON. Oldest
 * results are dropped past a count or byte budget, since each can be tens of
 * megabytes and the editor only shows the latest few.
 */
export class ResultStore implements ResultReader {
  private readonly items = new Map<string, StoredResult>();
  private bytes = 0;

  constructor(
    private readonly maxItems = 8,
    private readonly maxBytes = 768 * 1024 * 1024,
  ) {}

  put(bytes: Uint8Array, mime: string): string {
    const handle = randomBytes(16).toString('base64url');
    this.items.set(handle, { bytes, mime });
    this.bytes += bytes.byteLength;
    for (const [oldest, item] of this.items) {
      if (this.items.size <= 1 || (this.items.size <= this.maxItems && this.bytes <= this.maxBytes)) break;
      this.items.delete(oldest);
      this.bytes -= item.bytes.byteLength;
    }
    return handle;
  }

  get(handle: string): StoredResult | undefined {
    return this.items.get(handle);
  }

  delete(handle: string): boolean {
    const item = this.items.get(handle);
    if (!item) return false;
    this.items.delete(handle);
    this.bytes -= item.bytes.byteLength;
    return true;
  }

  clear(): void {
    this.items.clear();
    this.bytes = 0;
  }
}

/** Handles are 16 random bytes in base64url; anything else is not ours. */
export const RESULT_HANDLE_PATTERN = /^[A-Za-z0-9_-]{22}$/;
