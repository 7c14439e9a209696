import type { FaceBox } from '@shared/ipc/defects';
import { imageIdOf } from '@shared/ipc/documents';
import { hasBackend, request } from '../../lib/ipc';
import type { Editor } from '../editor';
import type { Rect } from '../geometry';
import { marksOnFaces } from '../mask/face-marks';
import { markRegions, stepRegion } from '../mask/regions';

/** What the face warning needs of the session. */
export interface FaceWarningHost {
  readonly core: Editor | null;
  /** Zooms the canvas to a rectangle of the photo and shows the marks (as "next mark" does). */
  showMark(rect: Rect, label: string): void;
}

/**
 * "N marks touch a face": the faces main found in the open photo
 * (`defects:faces`, once per opened photo) against the marks a restore
 * would fill (the union of visible layers, in "next mark"'s regions). Only
 * a warning: restoring stays possible. `next()` steps through those marks
 * the way "next mark" steps through all of them.
 */
export class FaceWarning {
  /** The faces found in the open photo (photo pixels). */
  faces = $state<readonly FaceBox[]>([]);
  /** The marks that touch a face, in reading order. */
  marks = $state<readonly Rect[]>([]);
  private documentId: string | null = null;
  private cursor = -1;

  constructor(private readonly host: FaceWarningHost) {}

  get count(): number {
    return this.marks.length;
  }

  /** Looks for faces in a newly opened photo; the warning follows the marks from then on. */
  async load(documentId: string, version: number): Promise<void> {
    this.clear();
    this.documentId = documentId;
    if (!hasBackend()) return;
    try {
      const found = await request('defects:faces', { image: { id: imageIdOf(documentId, version) } });
      if (this.documentId !== documentId) return;
      this.faces = found.faces;
      const editor = this.host.core;
      if (editor) this.update(editor);
    } catch {
      // No faces known: no warning. Finding faces is a help, never a reason to stop editing.
    }
  }

  /** Recounts the marks on faces (after any change of the marks). */
  update(editor: Editor): void {
    if (this.faces.length === 0) {
      if (this.marks.length) this.marks = [];
      return;
    }
    const mask = editor.restoreMask();
    const regions = markRegions(mask.data, editor.width, editor.contentBounds());
    this.marks = marksOnFaces(mask.data, editor.width, regions, this.faces);
    if (this.cursor >= this.marks.length) this.cursor = -1;
  }

  /** Zooms to the next mark on a face. */
  next(): void {
    const step = stepRegion(this.marks, this.cursor, 1);
    if (step.index < 0) return;
    this.cursor = step.index;
    this.host.showMark(step.rect, `Mark on a face ${step.index + 1} of ${this.marks.length}`);
  }

  clear(): void {
    this.documentId = null;
    this.faces = [];
    this.marks = [];
    this.cursor = -1;
  }
}
