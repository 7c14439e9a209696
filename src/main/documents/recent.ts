import { access } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { RECENT_LIMIT, type RecentFile } from '@shared/ipc/documents';
import { readJsonFile, saveJsonAtomically } from './json-file';

const entrySchema = z.object({
  path: z.string().min(1),
  kind: z.enum(['photo', 'project']),
  openedAt: z.string(),
});
const fileSchema = z.object({ files: z.array(entrySchema).max(100) });
type Entry = z.infer<typeof entrySchema>;
/** The list as main keeps it; handlers add each file's read handle (documents/handlers.ts). */
export interface RecentList {
  readonly files: readonly Omit<RecentFile, 'grant'>[];
}

/**
 * Recently opened photos and projects, newest first, remembered in a JSON
 * file (the app's user data folder) or only in memory (tests, the bridge).
 * A broken or missing file is an empty list, never an error.
 */
export class RecentFiles {
  private entries: Entry[] | null = null;
  private readonly listeners = new Set<(list: RecentList) => void>();

  constructor(private readonly file: string | null) {}

  async add(filePath: string, kind: Entry['kind'], now = new Date()): Promise<void> {
    const entries = await this.load();
    const next = [{ path: filePath, kind, openedAt: now.toISOString() }, ...entries.filter((e) => e.path !== filePath)];
    this.entries = next.slice(0, RECENT_LIMIT);
    await this.persist();
    await this.notify();
  }

  /** Calls `listener` with the new list after every change (the app menu's Open Recent); returns the unsubscribe. */
  subscribe(listener: (list: RecentList) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async list(): Promise<RecentList> {
    const entries = await this.load();
    const files: Omit<RecentFile, 'grant'>[] = await Promise.all(
      entries.map(async (e) => ({ ...e, name: path.basename(e.path), exists: await access(e.path).then(() => true, () => false) })),
    );
    return { files };
  }

  async clear(): Promise<RecentList> {
    this.entries = [];
    await this.persist();
    await this.notify();
    return { files: [] };
  }

  private async notify(): Promise<void> {
    if (this.listeners.size === 0) return;
    const list = await this.list();
    for (const listener of this.listeners) listener(list);
  }

  private async load(): Promise<Entry[]> {
    if (this.entries) return this.entries;
    const parsed = this.file ? fileSchema.safeParse(await readJsonFile(this.file)) : null;
    this.entries = parsed?.success ? parsed.data.files.slice(0, RECENT_LIMIT) : [];
    return this.entries;
  }

  private async persist(): Promise<void> {
    if (!this.file) return;
    try {
      await saveJsonAtomically(this.file, { files: this.entries ?? [] });
    } catch (err) {
      // Forgetting recent files is not worth failing an open for.
      console.error('[recent] could not save the recent files list:', err);
    }
  }
}
