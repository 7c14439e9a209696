import type { TonePreviewResult } from '@shared/ipc/tone-preview';
import { request } from '../../lib/ipc';

/**
 * Auto tone's maps for the image version on screen (`tone:preview`), asked
 * once per version while tone is on; every slider move after that is drawn
 * from them without asking main again (restore/tone-preview.ts).
 */
export class TonePreview {
  /** The maps of the version asked for last; null while main works on them, or when that failed. */
  maps = $state<TonePreviewResult | null>(null);
  private key: string | null = null;

  async load(documentId: string, version: number): Promise<void> {
    const key = `${documentId}@${version}`;
    if (key === this.key) return;
    this.key = key;
    this.maps = null;
    try {
      const maps = await request('tone:preview', { id: documentId, version });
      if (this.key === key) this.maps = maps;
    } catch {
      // No live preview then; Restore and Export still apply the tone (and say so if they fail).
      if (this.key === key) this.key = null;
    }
  }

  clear(): void {
    this.key = null;
    this.maps = null;
  }
}
