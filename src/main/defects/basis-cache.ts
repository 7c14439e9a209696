import type { DetectionBasis } from './detect';
import { stampOf } from './snap-cache';

/**
 * The last few detections' bases (detect.ts: planes, working copy, network
 * probabilities), so `defects:rethreshold` answers a sensitivity change
 * without decoding or running the network again. About 35 MB for a 12 MP
 * colour scan. An entry is keyed by path and settings (method, medium) and stays valid while
 * the file's size and modification time do, as in SnapPhotoCache.
 */
export class DetectionBasisCache {
  private readonly entries = new Map<string, { readonly stamp: string; readonly basis: DetectionBasis }>();

  constructor(private readonly maxEntries = 2) {}

  async get(file: string, method: string): Promise<DetectionBasis | undefined> {
    const key = `${method}\n${file}`;
    const hit = this.entries.get(key);
    if (!hit) return undefined;
    if (hit.stamp !== (await stampOf(file))) {
      this.entries.delete(key);
      return undefined;
    }
    // Most recently used last: Map order is the eviction order.
    this.entries.delete(key);
    this.entries.set(key, hit);
    return hit.basis;
  }

  async put(file: string, method: string, basis: DetectionBasis): Promise<void> {
    const key = `${method}\n${file}`;
    this.entries.delete(key);
    this.entries.set(key, { stamp: await stampOf(file), basis });
    for (const k of this.entries.keys()) {
      if (this.entries.size <= this.maxEntries) break;
      this.entries.delete(k);
    }
  }

  get size(): number {
    return this.entries.size;
  }
}
