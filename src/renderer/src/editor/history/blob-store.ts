/**
 * Pixel data the history refers to, addressed by id, so history entries stay
 * plain JSON-able records. Each blob belongs to exactly one change and is
 * released with it.
 */
export class BlobStore {
  private readonly blobs = new Map<string, Uint8Array>();
  private nextId = 1;
  private total = 0;

  put(bytes: Uint8Array): string {
    const id = `b${this.nextId++}`;
    this.blobs.set(id, bytes);
    this.total += bytes.byteLength;
    return id;
  }

  get(id: string): Uint8Array {
    const bytes = this.blobs.get(id);
    if (!bytes) throw new Error(`History blob ${id} is gone`);
    return bytes;
  }

  size(id: string): number {
    return this.blobs.get(id)?.byteLength ?? 0;
  }

  release(id: string): void {
    const bytes = this.blobs.get(id);
    if (!bytes) return;
    this.blobs.delete(id);
    this.total -= bytes.byteLength;
  }

  get bytes(): number {
    return this.total;
  }

  get count(): number {
    return this.blobs.size;
  }
}
