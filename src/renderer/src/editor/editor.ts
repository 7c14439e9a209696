import { MAX_LAYERS, type LayerRecord, type ProjectState } from '@shared/ipc/project';
import {
  addLayer,
  DEFAULT_OVERLAY_OPACITY,
  findLayer,
  mergeTarget,
  moveLayer,
  nextLayerColor,
  nextLayerName,
  removeLayer,
  updateLayer,
  type LayerResult,
} from './document/layer-ops';
import { EMPTY_RECT, fullRect, intersectRect, isEmpty, unionRect, type Rect } from './geometry';
import { BlobStore } from './history/blob-store';
import type { Change, DocSnapshot } from './history/changes';
import { History, type HistoryEntry, type HistoryLimits } from './history/history';
import { MaskEdit, tileRect } from './history/mask-edit';
import { MAX_GROW } from './mask/grow';
import { MaskBitmap } from './mask/mask-bitmap';
import { Refusal } from './refusal';

/** What changed, so views redraw only that. */
export interface EditorChange {
  /** Layer records, order, active layer or overlay settings. */
  readonly layers: boolean;
  /** Mask pixels that changed, per layer (image space). */
  readonly pixels: readonly { readonly layerId: string; readonly rect: Rect }[];
  /** The image version shown. */
  readonly image: boolean;
}

/** A command's changes in the making (see Editor.transact). */
export interface EditorTransaction {
  /** The document before the command. */
  readonly doc: DocSnapshot;
  /** The running edit of a layer's mask (one per layer); a layer the command adds gets an empty mask. */
  edit(layerId: string): MaskEdit;
}

/** Overlay colour of the restore record: a quiet grey, since it is normally hidden. */
const RESTORED_COLOR = '#9aa0a8';

/**
 * The editor's document and everything that changes it: layer records,
 * full-resolution layer masks, the shown image version, and the undo
 * history over all of them. Plain TypeScript: no DOM, no fabric, no Svelte;
 * tools and views call in here and subscribe to changes. Every mutation is
 * one history entry (one gesture, one command, one restore run).
 */
export class Editor {
  private doc: DocSnapshot;
  private readonly masks = new Map<string, MaskBitmap>();
  /** Conservative content bounds per layer (never smaller than the truth), to keep unions cheap. */
  private readonly bounds = new Map<string, Rect>();
  private readonly blobs = new BlobStore();
  private readonly history: History;
  private readonly listeners = new Set<(change: EditorChange) => void>();
  private nextLayerSeq = 1;
  /** Display only, not part of undo. */
  overlayOpacity = DEFAULT_OVERLAY_OPACITY;

  constructor(
    readonly width: number,
    readonly height: number,
    limits?: HistoryLimits,
  ) {
    this.history = new History(this.blobs, limits);
    this.doc = { layers: [], activeLayerId: null, imageVersion: 0, restoreRuns: 0 };
  }

  get snapshot(): DocSnapshot {
    return this.doc;
  }

  get layers(): readonly LayerRecord[] {
    return this.doc.layers;
  }

  get activeLayer(): LayerRecord | undefined {
    return findLayer(this.doc, this.doc.activeLayerId);
  }

  mask(layerId: string): MaskBitmap {
    const mask = this.masks.get(layerId);
    if (!mask) throw new Error(`No mask for layer ${layerId}`);
    return mask;
  }

  subscribe(listener: (change: EditorChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  // ---- layers -------------------------------------------------------------

  addLayer(name?: string): LayerRecord | Refusal {
    const layer = this.newLayerRecord(name);
    const next = addLayer(this.doc, layer);
    if (typeof next === 'string') return new Refusal(next);
    this.masks.set(layer.id, new MaskBitmap(this.width, this.height));
    this.bounds.set(layer.id, EMPTY_RECT);
    this.applyDoc('Add layer', next);
    return layer;
  }

  /** Adds a layer holding a ready mask (0/1 bytes, photo size), e.g. detected damage: one undo step. */
  addLayerWithMask(name: string, bits: Uint8Array, role?: LayerRecord['role']): LayerRecord | Refusal {
    const layer = { ...this.newLayerRecord(name), ...(role ? { role } : {}) };
    const source = new MaskBitmap(this.width, this.height, bits);
    const refused = this.transact('Add layer', (tx) => {
      const next = addLayer(tx.doc, layer);
      if (typeof next !== 'string') tx.edit(layer.id).merge(source, source.bounds());
      return next;
    });
    return refused ?? layer;
  }

  /** Replaces a layer's pixels with a ready mask (a new detection) and shows it: one undo step. */
  replaceLayerMask(id: string, bits: Uint8Array, label: string): Refusal | null {
    const source = new MaskBitmap(this.width, this.height, bits);
    return this.transact(label, (tx) => {
      const next = updateLayer(tx.doc, id, { visible: true });
      if (typeof next !== 'string') tx.edit(id).replace(source, unionRect(source.bounds(), this.bounds.get(id) ?? EMPTY_RECT));
      return next;
    });
  }

  deleteLayer(id: string): Refusal | null {
    return this.refusalOf(this.applyDoc('Delete layer', removeLayer(this.doc, id)));
  }

  renameLayer(id: string, name: string): Refusal | null {
    if (findLayer(this.doc, id)?.name === name.trim()) return null;
    return this.refusalOf(this.applyDoc('Rename layer', updateLayer(this.doc, id, { name })));
  }

  setVisible(id: string, visible: boolean): Refusal | null {
    return this.refusalOf(this.applyDoc(visible ? 'Show layer' : 'Hide layer', updateLayer(this.doc, id, { visible })));
  }

  setLocked(id: string, locked: boolean): Refusal | null {
    return this.refusalOf(this.applyDoc(locked ? 'Lock layer' : 'Unlock layer', updateLayer(this.doc, id, { locked })));
  }

  setColor(id: string, color: string): Refusal | null {
    return this.refusalOf(this.applyDoc('Layer colour', updateLayer(this.doc, id, { color })));
  }

  moveLayer(id: string, toIndex: number): Refusal | null {
    return this.refusalOf(this.applyDoc('Reorder layers', moveLayer(this.doc, id, toIndex)));
  }

  /** Selection is session state: it does not make an undo step. */
  setActive(id: string): void {
    if (!findLayer(this.doc, id) || this.doc.activeLayerId === id) return;
    this.doc = { ...this.doc, activeLayerId: id };
    this.emit({ layers: true, pixels: [], image: false });
  }

  setOverlayOpacity(opacity: number): void {
    this.overlayOpacity = Math.max(0, Math.min(1, opacity));
    this.emit({ layers: true, pixels: [], image: false });
  }

  mergeDown(id: string): Refusal | null {
    const target = mergeTarget(this.doc, id);
    if (typeof target === 'string') return new Refusal(target);
    return this.transact('Merge down', (tx) => {
      tx.edit(target.id).merge(this.mask(id), this.bounds.get(id) ?? fullRect(this.width, this.height));
      return { ...(removeLayer(tx.doc, id) as DocSnapshot), activeLayerId: target.id };
    });
  }

  /**
   * Every change of one command as one undo step: the layer records `work`
   * returns (or why it cannot be done) and the mask edits it made through
   * `tx.edit`. A refusal rolls the edits back.
   */
  transact(label: string, work: (tx: EditorTransaction) => LayerResult | Refusal): Refusal | null {
    const edits = new Map<string, MaskEdit>();
    const before = this.doc;
    const tx: EditorTransaction = {
      doc: before,
      edit: (layerId) => {
        let edit = edits.get(layerId);
        if (edit) return edit;
        // A layer this step adds gets its (empty) mask here; ids are never reused.
        if (!this.masks.has(layerId)) {
          this.masks.set(layerId, new MaskBitmap(this.width, this.height));
          this.bounds.set(layerId, EMPTY_RECT);
        }
        edit = new MaskEdit(layerId, this.mask(layerId));
        edits.set(layerId, edit);
        return edit;
      },
    };
    const next = work(tx);
    if (typeof next === 'string' || next instanceof Refusal) {
      for (const edit of edits.values()) edit.cancel();
      return typeof next === 'string' ? new Refusal(next) : next;
    }
    const changes: Change[] = next === before ? [] : [{ kind: 'doc', before, after: next }];
    const pixels: { layerId: string; rect: Rect }[] = [];
    for (const edit of edits.values()) {
      const change = edit.commit(this.blobs);
      if (change) changes.push(change);
      this.growBounds(edit.layerId, edit.dirty);
      pixels.push({ layerId: edit.layerId, rect: edit.dirty });
    }
    this.doc = next;
    this.history.push(label, changes);
    this.collectGarbage();
    this.emit({ layers: true, pixels, image: next.imageVersion !== before.imageVersion });
    return null;
  }

  // ---- mask edits ------------------------------------------------------------

  /** Starts a gesture on the active layer; pixels change live, `endEdit` makes it one undo step. */
  beginEdit(): MaskEdit | Refusal {
    const layer = this.activeLayer;
    if (!layer) return new Refusal('Add a mask layer first');
    return this.beginLayerEdit(layer.id);
  }

  /** Starts an edit of any layer (a detection re-thresholded live, not only the active one); `endEdit` makes it one undo step. */
  beginLayerEdit(id: string): MaskEdit | Refusal {
    const layer = findLayer(this.doc, id);
    if (!layer) return new Refusal('That layer is gone');
    if (layer.locked) return new Refusal(`“${layer.name}” is locked`);
    if (!layer.visible) return new Refusal(`“${layer.name}” is hidden; show it to edit`);
    return new MaskEdit(layer.id, this.mask(layer.id));
  }

  /** Tells views about pixels a running edit just changed. */
  notifyEditing(edit: MaskEdit, rect: Rect): void {
    if (isEmpty(rect)) return;
    this.growBounds(edit.layerId, rect);
    this.emit({ layers: false, pixels: [{ layerId: edit.layerId, rect }], image: false });
  }

  endEdit(edit: MaskEdit, label: string): boolean {
    const change = edit.commit(this.blobs);
    if (!change) return false;
    this.growBounds(edit.layerId, edit.dirty);
    this.history.push(label, [change]);
    this.emit({ layers: true, pixels: [], image: false });
    return true;
  }

  cancelEdit(edit: MaskEdit): void {
    const rect = edit.cancel();
    this.emit({ layers: false, pixels: [{ layerId: edit.layerId, rect }], image: false });
  }

  clearLayer(): Refusal | null {
    return this.wholeLayerEdit('Clear layer', (edit) => edit.clear());
  }

  invertLayer(): Refusal | null {
    return this.wholeLayerEdit('Invert layer', (edit) => edit.invert());
  }

  /** Moves the active layer's edge out (px > 0) or in (px < 0), 1 to MAX_GROW px: one undo step. */
  growLayer(px: number): Refusal | null {
    const r = Math.max(-MAX_GROW, Math.min(MAX_GROW, Math.round(px)));
    if (r === 0) return null;
    return this.wholeLayerEdit(r > 0 ? `Grow layer ${r} px` : `Shrink layer ${-r} px`, (edit) => edit.grow(r));
  }

  // ---- image versions --------------------------------------------------------

  /**
   * A restore run finished: its result (committed by main as `version`)
   * becomes the image, and the marks it filled (`filled`: photo size, 1 =
   * filled, the mask the run was sent) are consumed: cleared from the visible
   * layers and added to the hidden, locked "Restored" record layer, so the
   * next restore fills only what is marked since. One undo step brings the
   * image and the marks back together.
   */
  commitRestore(version: number, filled: Uint8Array): void {
    const source = new MaskBitmap(this.width, this.height, filled);
    const area = source.bounds();
    const existing = this.restoredLayer;
    const record = existing ?? { ...this.newLayerRecord('Restored'), color: RESTORED_COLOR, visible: false, locked: true, role: 'restored' as const };
    // Nothing filled (a tone-only run) leaves no marks to record; with every layer slot taken there
    // is no room for the record: the marks stay, as they would have to be found again.
    if (isEmpty(area) || (!existing && this.doc.layers.length >= MAX_LAYERS)) {
      this.transact('Restore', (tx) => ({ ...tx.doc, imageVersion: version, restoreRuns: tx.doc.restoreRuns + 1 }));
      return;
    }
    this.transact('Restore', (tx) => {
      for (const layer of tx.doc.layers) {
        if (layer.visible && layer.role !== 'restored') tx.edit(layer.id).subtract(source, intersectRect(area, this.bounds.get(layer.id) ?? EMPTY_RECT));
      }
      tx.edit(record.id).merge(source, area);
      // The record sits at the bottom of the stack, out of the way of layers being painted.
      const layers = existing ? tx.doc.layers : [record, ...tx.doc.layers];
      return { ...tx.doc, layers, imageVersion: version, restoreRuns: tx.doc.restoreRuns + 1 };
    });
  }

  /** The record of what restores have filled; undefined before the first restore. */
  get restoredLayer(): LayerRecord | undefined {
    return this.doc.layers.find((l) => l.role === 'restored');
  }

  // ---- history -----------------------------------------------------------------

  get canUndo(): boolean {
    return this.history.canUndo;
  }

  get canRedo(): boolean {
    return this.history.canRedo;
  }

  get undoLabel(): string | null {
    return this.history.undoLabel;
  }

  get redoLabel(): string | null {
    return this.history.redoLabel;
  }

  /** Compare with an earlier mark to know whether anything changed since (unsaved work). */
  get historyMark(): number {
    return this.history.headId;
  }

  historyEntries(): readonly HistoryEntry[] {
    return this.history.applied();
  }

  undo(): boolean {
    const entry = this.history.undo();
    if (!entry) return false;
    this.applyEntry(entry, 'before');
    return true;
  }

  redo(): boolean {
    const entry = this.history.redo();
    if (!entry) return false;
    this.applyEntry(entry, 'after');
    return true;
  }

  // ---- the restore mask and saving ---------------------------------------------

  /** Union of every layer's content bounds, hidden ones too (what the overlay must redraw on a restyle). */
  contentBounds(): Rect {
    return this.doc.layers.reduce((r, l) => unionRect(r, this.bounds.get(l.id) ?? EMPTY_RECT), EMPTY_RECT);
  }

  /**
   * The mask sent to the engine: union of the visible layers, photo size,
   * row-major, 1 = fill. Hidden layers are left out, except the restore
   * record when `everything` asks to restore all that was ever marked again.
   */
  restoreMask(options: { everything?: boolean } = {}): { readonly data: Uint8Array; readonly count: number } {
    const data = new Uint8Array(this.width * this.height);
    const count = this.unionOf(this.restoreLayers(options.everything ?? false), data);
    return { data, count };
  }

  /** Pixels in the restore mask (cheap when the masks are small). */
  restoreMaskCount(options: { everything?: boolean } = {}): number {
    return this.unionOf(this.restoreLayers(options.everything ?? false));
  }

  projectState(): ProjectState {
    const { layers, activeLayerId, restoreRuns } = this.doc;
    return { layers: [...layers], activeLayerId, overlayOpacity: this.overlayOpacity, restoreRuns };
  }

  /** Replaces everything with a saved state (project open); history starts empty there. */
  load(state: ProjectState, masks: ReadonlyMap<string, Uint8Array>, imageVersion: number): void {
    this.history.clear();
    this.masks.clear();
    this.bounds.clear();
    for (const layer of state.layers) {
      const bits = masks.get(layer.id);
      const mask = new MaskBitmap(this.width, this.height, bits);
      this.masks.set(layer.id, mask);
      this.bounds.set(layer.id, mask.bounds());
    }
    this.doc = { layers: [...state.layers], activeLayerId: state.activeLayerId, imageVersion, restoreRuns: state.restoreRuns };
    this.overlayOpacity = state.overlayOpacity;
    this.emit({ layers: true, pixels: state.layers.map((l) => ({ layerId: l.id, rect: fullRect(this.width, this.height) })), image: true });
  }

  // ---- internals -----------------------------------------------------------------

  private newLayerRecord(name?: string): LayerRecord {
    return {
      id: `l${Date.now().toString(36)}${(this.nextLayerSeq++).toString(36)}`,
      name: name?.trim() || nextLayerName(this.doc.layers),
      color: nextLayerColor(this.doc.layers),
      visible: true,
      locked: false,
    };
  }

  private restoreLayers(everything: boolean): LayerRecord[] {
    return this.doc.layers.filter((l) => l.visible || (everything && l.role === 'restored'));
  }

  /** ORs the layers' masks within their content bounds; writes into `out` when given; returns the set pixels. */
  private unionOf(layers: readonly LayerRecord[], out?: Uint8Array): number {
    const area = layers.reduce((r, l) => unionRect(r, this.bounds.get(l.id) ?? EMPTY_RECT), EMPTY_RECT);
    const masks = layers.map((l) => this.mask(l.id).data);
    let count = 0;
    for (let y = area.y0; y < area.y1; y++) {
      for (let i = y * this.width + area.x0, end = y * this.width + area.x1; i < end; i++) {
        let v = 0;
        for (const m of masks) v |= m[i]!;
        if (out) out[i] = v;
        count += v;
      }
    }
    return count;
  }

  private wholeLayerEdit(label: string, run: (edit: MaskEdit) => Rect): Refusal | null {
    const edit = this.beginEdit();
    if (edit instanceof Refusal) return edit;
    const rect = run(edit);
    if (!this.endEdit(edit, label)) return null;
    this.emit({ layers: false, pixels: [{ layerId: edit.layerId, rect }], image: false });
    return null;
  }

  private applyDoc(label: string, next: LayerResult): DocSnapshot | Refusal {
    if (typeof next === 'string') return new Refusal(next);
    if (next === this.doc) return next;
    const before = this.doc;
    this.doc = next;
    this.history.push(label, [{ kind: 'doc', before, after: next }]);
    this.collectGarbage();
    this.emit({ layers: true, pixels: [], image: false });
    return next;
  }

  private refusalOf(result: DocSnapshot | Refusal): Refusal | null {
    return result instanceof Refusal ? result : null;
  }

  private applyEntry(entry: HistoryEntry, side: 'before' | 'after'): void {
    const changes: readonly Change[] = side === 'before' ? [...entry.changes].reverse() : entry.changes;
    const pixels: { layerId: string; rect: Rect }[] = [];
    let image = false;
    for (const change of changes) {
      if (change.kind === 'doc') {
        const target = change[side];
        image ||= target.imageVersion !== this.doc.imageVersion;
        this.doc = target;
        continue;
      }
      const mask = this.mask(change.layerId);
      let rect: Rect = EMPTY_RECT;
      for (const patch of change.tiles) {
        const r = tileRect(mask, patch.tile);
        mask.writeRect(r, this.blobs.get(side === 'before' ? patch.before : patch.after));
        rect = unionRect(rect, r);
      }
      this.growBounds(change.layerId, rect);
      pixels.push({ layerId: change.layerId, rect });
    }
    this.emit({ layers: true, pixels, image });
  }

  private growBounds(layerId: string, rect: Rect): void {
    const grown = unionRect(this.bounds.get(layerId) ?? EMPTY_RECT, rect);
    this.bounds.set(layerId, intersectRect(grown, fullRect(this.width, this.height)));
  }

  /** Masks of layers neither the document nor any history entry can bring back are freed. */
  private collectGarbage(): void {
    const live = new Set(this.doc.layers.map((l) => l.id));
    for (const entry of this.history.all()) {
      for (const change of entry.changes) {
        if (change.kind === 'mask') live.add(change.layerId);
        else for (const l of [...change.before.layers, ...change.after.layers]) live.add(l.id);
      }
    }
    for (const id of [...this.masks.keys()]) {
      if (!live.has(id)) {
        this.masks.delete(id);
        this.bounds.delete(id);
      }
    }
  }

  private emit(change: EditorChange): void {
    for (const listener of this.listeners) listener(change);
  }
}
