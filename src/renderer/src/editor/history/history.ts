import type { BlobStore } from './blob-store';
import { blobIdsOf, type Change } from './changes';

export interface HistoryEntry {
  readonly id: number;
  /** What a person would call it: "Brush", "Restore", "Delete layer". */
  readonly label: string;
  readonly changes: readonly Change[];
}

export interface HistoryLimits {
  /** Oldest entries are forgotten past this many. */
  readonly maxEntries: number;
  /** ...or past this many bytes of pixel blobs. */
  readonly maxBytes: number;
}

export const DEFAULT_HISTORY_LIMITS: HistoryLimits = { maxEntries: 200, maxBytes: 768 * 1024 * 1024 };

/**
 * Undo/redo as a list of entries and a head. One entry per gesture or
 * command (a whole brush stroke, a restore run). Pushing after an undo drops
 * the redo branch. Forgotten entries release their blobs.
 */
export class History {
  private entries: HistoryEntry[] = [];
  /** Entries [0, head) are applied. */
  private head = 0;
  private nextId = 1;

  constructor(
    private readonly blobs: BlobStore,
    private readonly limits: HistoryLimits = DEFAULT_HISTORY_LIMITS,
  ) {}

  push(label: string, changes: readonly Change[]): HistoryEntry | null {
    if (changes.length === 0) return null;
    this.drop(this.entries.splice(this.head));
    const entry = { id: this.nextId++, label, changes };
    this.entries.push(entry);
    this.head = this.entries.length;
    this.enforceLimits();
    return entry;
  }

  /** The entry to revert, moving the head back; null at the start. */
  undo(): HistoryEntry | null {
    if (this.head === 0) return null;
    this.head--;
    return this.entries[this.head]!;
  }

  /** The entry to re-apply, moving the head forward; null at the end. */
  redo(): HistoryEntry | null {
    if (this.head === this.entries.length) return null;
    return this.entries[this.head++]!;
  }

  get canUndo(): boolean {
    return this.head > 0;
  }

  get canRedo(): boolean {
    return this.head < this.entries.length;
  }

  /** Id of the newest applied entry (0 at the start): equal marks mean the same document state. */
  get headId(): number {
    return this.head > 0 ? this.entries[this.head - 1]!.id : 0;
  }

  get undoLabel(): string | null {
    return this.head > 0 ? this.entries[this.head - 1]!.label : null;
  }

  get redoLabel(): string | null {
    return this.head < this.entries.length ? this.entries[this.head]!.label : null;
  }

  /** Applied entries, oldest first (for inspection and tests). */
  applied(): readonly HistoryEntry[] {
    return this.entries.slice(0, this.head);
  }

  all(): readonly HistoryEntry[] {
    return this.entries;
  }

  clear(): void {
    this.drop(this.entries);
    this.entries = [];
    this.head = 0;
  }

  private enforceLimits(): void {
    // The newest entry always stays, however big: one undo of the last thing matters most.
    while (this.entries.length > 1 && (this.entries.length > this.limits.maxEntries || this.blobs.bytes > this.limits.maxBytes)) {
      const [oldest] = this.entries.splice(0, 1);
      this.head--;
      this.drop([oldest!]);
    }
  }

  private drop(entries: readonly HistoryEntry[]): void {
    for (const entry of entries) for (const change of entry.changes) for (const id of blobIdsOf(change)) this.blobs.release(id);
  }
}
