import type { DocumentInfo } from '@shared/ipc/documents';
import { imageIdOf } from '@shared/ipc/documents';
import { detectionLayer } from '../document/layer-ops';
import { previewBits } from '../detect/score-map';
import type { Editor } from '../editor';
import { Refusal } from '../refusal';
import type { MaskEdit } from '../history/mask-edit';
import { request } from '../../lib/ipc';
import type { DetectRunner } from './detect-runner.svelte';
import { loadMaskImage } from './load-mask-image';

/** What the live sensitivity needs of the session. */
export interface LiveSensitivityHost {
  readonly core: Editor | null;
  readonly doc: DocumentInfo | null;
  readonly detectRunner: DetectRunner;
  /** Mirrors the core into the UI (mask counts, undo labels). */
  sync(): void;
  say(text: string): void;
  fail(text: string): void;
  /** Shows the marks overlay. */
  showMarks(): void;
}

/** How long the slider rests before main re-thresholds (keyboard steps arrive one by one). */
const SETTLE_MS = 250;

/**
 * The sensitivity slider over a "Detected damage" layer. While it moves, the
 * layer shows the detection's preview scores thresholded in the page
 * (../detect/score-map.ts), as a live edit outside history; once it rests,
 * main re-thresholds the detection it kept (`defects:rethreshold`: no network
 * run) and the exact mask replaces the layer as one undo step. Without
 * scores (the classical detector) there is no preview, only that last step.
 */
export class LiveSensitivity {
  private live: { readonly editor: Editor; readonly edit: MaskEdit } | null = null;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private asking = false;
  /** A sensitivity that arrived while main was answering an earlier one. */
  private pending = false;

  constructor(private readonly host: LiveSensitivityHost) {}

  /** The slider moved to `sensitivity` (already set on the detect runner). */
  moved(sensitivity: number): void {
    const editor = this.host.core;
    const doc = this.host.doc;
    // A running Find damage catches up with the slider itself when it ends (flows.ts).
    if (!editor || !doc || this.host.detectRunner.running) return;
    const layer = detectionLayer(editor.layers);
    if (!layer) return;
    const scores = this.host.detectRunner.scoresFor(doc.id, editor.snapshot.imageVersion);
    if (scores) {
      const edit = this.editOf(editor, layer.id);
      if (edit) {
        const rect = edit.replace({ data: previewBits(scores, sensitivity, editor.width, editor.height) }, { x0: 0, y0: 0, x1: editor.width, y1: editor.height });
        editor.notifyEditing(edit, rect);
        this.host.sync();
      }
    }
    this.settle();
  }

  /** Re-threshold in main shortly, unless the slider moves again first (also: the slider was released). */
  settle(delay = SETTLE_MS): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.commit(), delay);
  }

  /** Drops a preview that was not committed (undo, close, a new detection), putting the layer back. */
  cancel(): void {
    clearTimeout(this.timer);
    const live = this.live;
    this.live = null;
    if (live) live.editor.cancelEdit(live.edit);
  }

  private editOf(editor: Editor, layerId: string): MaskEdit | null {
    if (this.live && this.live.editor === editor && this.live.edit.layerId === layerId) return this.live.edit;
    this.cancel();
    const edit = editor.beginLayerEdit(layerId);
    if (edit instanceof Refusal) return null;
    this.live = { editor, edit };
    return edit;
  }

  /** Asks main for the exact mask at the slider's value and makes it one undo step. */
  private async commit(): Promise<void> {
    if (this.asking) {
      this.pending = true;
      return;
    }
    const editor = this.host.core;
    const doc = this.host.doc;
    const runner = this.host.detectRunner;
    const layer = editor ? detectionLayer(editor.layers) : undefined;
    if (!editor || !doc || !layer || runner.running) return this.cancel();
    const sensitivity = runner.sensitivity;
    const version = editor.snapshot.imageVersion;
    this.asking = true;
    try {
      const result = await request('defects:rethreshold', { image: { id: imageIdOf(doc.id, version) }, sensitivity, method: runner.method, medium: runner.medium });
      const bits = await loadMaskImage(result.url, editor.width, editor.height);
      // The photo, its version or the layer changed meanwhile: this answer is for something gone.
      if (this.host.core !== editor || editor.snapshot.imageVersion !== version || detectionLayer(editor.layers)?.id !== layer.id) return this.cancel();
      if (this.pending) return;
      const edit = this.editOf(editor, layer.id);
      if (!edit) return;
      edit.replace({ data: bits }, { x0: 0, y0: 0, x1: editor.width, y1: editor.height });
      this.live = null;
      const percent = `${Math.round(sensitivity * 100)} %`;
      const changed = editor.endEdit(edit, `Sensitivity ${percent}`);
      this.host.sync();
      this.host.showMarks();
      if (changed) this.host.say(result.flaggedPixels === 0 ? `No damage found at ${percent} sensitivity` : `${result.flaggedPixels.toLocaleString('en-US')} px marked at ${percent} sensitivity`);
    } catch (err) {
      this.cancel();
      this.host.fail(`Could not update the detected damage: ${err instanceof Error ? err.message : String(err)}`);
    } finally {
      this.asking = false;
      if (this.pending) {
        this.pending = false;
        void this.commit();
      }
    }
  }
}
