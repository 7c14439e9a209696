import { describe, expect, it } from 'vitest';
import { MAX_LAYERS } from '@shared/ipc/project';
import { detectionLayer } from './document/layer-ops';
import { Editor, type EditorChange } from './editor';
import { Refusal } from './refusal';
import type { MaskEdit } from './history/mask-edit';

function paint(editor: Editor, x: number, y: number, r = 5): void {
  const edit = editor.beginEdit() as MaskEdit;
  expect(edit).not.toBeInstanceOf(Refusal);
  editor.notifyEditing(edit, edit.segment({ x, y }, { x: x + 20, y }, r, 1));
  editor.endEdit(edit, 'Brush');
}

function layerIds(editor: Editor): string[] {
  return editor.layers.map((l) => l.name);
}

describe('Editor layers', () => {
  it('adds layers above the active one with distinct names and colours, each an undo step', () => {
    const editor = new Editor(100, 80);
    const a = editor.addLayer();
    const b = editor.addLayer();
    expect(layerIds(editor)).toEqual(['Mask 1', 'Mask 2']);
    if (a instanceof Refusal || b instanceof Refusal) throw new Error('refused');
    expect(a.color).not.toBe(b.color);
    expect(editor.activeLayer?.id).toBe(b.id);
    editor.setActive(a.id);
    editor.addLayer('Dust');
    expect(layerIds(editor)).toEqual(['Mask 1', 'Dust', 'Mask 2']);
    editor.undo();
    expect(layerIds(editor)).toEqual(['Mask 1', 'Mask 2']);
    editor.redo();
    expect(layerIds(editor)).toEqual(['Mask 1', 'Dust', 'Mask 2']);
  });

  it('renames, hides, locks, recolours and reorders with undo, refusing nonsense', () => {
    const editor = new Editor(50, 50);
    const a = editor.addLayer() as { id: string };
    const b = editor.addLayer() as { id: string };
    expect(editor.renameLayer(a.id, '  Scratches ')).toBeNull();
    expect(editor.renameLayer(a.id, '   ')).toBeInstanceOf(Refusal);
    expect(editor.setColor(a.id, 'red')).toBeInstanceOf(Refusal);
    editor.setColor(a.id, '#123456');
    editor.setVisible(a.id, false);
    editor.setLocked(b.id, true);
    editor.moveLayer(b.id, 0);
    expect(editor.layers.map((l) => [l.name, l.visible, l.locked])).toEqual([
      ['Mask 2', true, true],
      ['Scratches', false, false],
    ]);
    expect(editor.layers[1]!.color).toBe('#123456');
    for (let i = 0; i < 4; i++) editor.undo();
    expect(editor.layers.map((l) => [l.name, l.visible, l.locked, l.color === '#123456'])).toEqual([
      ['Scratches', true, false, false],
      ['Mask 2', true, false, false],
    ]);
  });

  it('deletes a layer and brings it back, pixels included, on undo', () => {
    const editor = new Editor(60, 40);
    const a = editor.addLayer() as { id: string };
    paint(editor, 10, 10);
    const painted = editor.mask(a.id).count();
    expect(painted).toBeGreaterThan(0);
    editor.deleteLayer(a.id);
    expect(editor.layers).toEqual([]);
    expect(editor.restoreMaskCount()).toBe(0);
    editor.undo();
    expect(editor.layers.map((l) => l.id)).toEqual([a.id]);
    expect(editor.mask(a.id).count()).toBe(painted);
    expect(editor.activeLayer?.id).toBe(a.id);
  });

  it('merges down as one step (pixels ORed, upper removed) and refuses locked layers', () => {
    const editor = new Editor(80, 40);
    const lower = editor.addLayer() as { id: string };
    paint(editor, 5, 5, 3);
    const upper = editor.addLayer() as { id: string };
    paint(editor, 5, 30, 3);
    const total = editor.mask(lower.id).count() + editor.mask(upper.id).count();
    editor.setLocked(lower.id, true);
    expect(editor.mergeDown(upper.id)).toBeInstanceOf(Refusal);
    editor.undo();
    expect(editor.mergeDown(lower.id)).toBeInstanceOf(Refusal);
    expect(editor.mergeDown(upper.id)).toBeNull();
    expect(editor.layers.map((l) => l.id)).toEqual([lower.id]);
    expect(editor.mask(lower.id).count()).toBe(total);
    editor.undo();
    expect(editor.layers.map((l) => l.id)).toEqual([lower.id, upper.id]);
    expect(editor.mask(lower.id).count() + editor.mask(upper.id).count()).toBe(total);
  });
});

describe('Editor mask edits and the restore mask', () => {
  it('the restore mask is the union of visible layers only', () => {
    const editor = new Editor(64, 64);
    const a = editor.addLayer() as { id: string };
    paint(editor, 5, 10);
    editor.addLayer();
    paint(editor, 10, 10); // overlaps layer a
    const both = editor.restoreMask();
    expect(both.count).toBe(editor.restoreMaskCount());
    expect(both.count).toBeLessThan(editor.mask(a.id).count() * 2);
    editor.setVisible(editor.activeLayer!.id, false);
    expect(editor.restoreMaskCount()).toBe(editor.mask(a.id).count());
    editor.setVisible(a.id, false);
    const none = editor.restoreMask();
    expect(none.count).toBe(0);
    expect(none.data.every((v) => v === 0)).toBe(true);
  });

  it('undo and redo replay strokes exactly, clear and invert included', () => {
    const editor = new Editor(300, 300);
    const a = editor.addLayer() as { id: string };
    paint(editor, 20, 20);
    const afterFirst = editor.mask(a.id).data.slice();
    paint(editor, 200, 250, 30);
    const afterSecond = editor.mask(a.id).data.slice();
    editor.invertLayer();
    editor.clearLayer();
    expect(editor.mask(a.id).count()).toBe(0);
    editor.undo();
    editor.undo();
    expect(same(editor.mask(a.id).data, afterSecond)).toBe(true);
    editor.undo();
    expect(same(editor.mask(a.id).data, afterFirst)).toBe(true);
    editor.redo();
    expect(same(editor.mask(a.id).data, afterSecond)).toBe(true);
    expect(editor.undoLabel).toBe('Brush');
    expect(editor.redoLabel).toBe('Invert layer');
  });

  it('refuses edits without a layer, on a locked layer and on a hidden one', () => {
    const editor = new Editor(10, 10);
    expect(editor.beginEdit()).toBeInstanceOf(Refusal);
    const a = editor.addLayer() as { id: string };
    editor.setLocked(a.id, true);
    expect((editor.beginEdit() as Refusal).reason).toMatch(/locked/);
    editor.setLocked(a.id, false);
    editor.setVisible(a.id, false);
    expect((editor.beginEdit() as Refusal).reason).toMatch(/hidden/);
    expect(editor.clearLayer()).toBeInstanceOf(Refusal);
  });

  it('tells listeners which pixels changed', () => {
    const editor = new Editor(100, 100);
    editor.addLayer();
    const changes: EditorChange[] = [];
    editor.subscribe((c) => changes.push(c));
    paint(editor, 50, 50, 2);
    const pixelRects = changes.flatMap((c) => c.pixels.map((p) => p.rect));
    expect(pixelRects[0]).toEqual({ x0: 48, y0: 48, x1: 72, y1: 52 });
    changes.length = 0;
    editor.undo();
    expect(changes[0]!.pixels[0]!.rect).toEqual({ x0: 0, y0: 0, x1: 100, y1: 100 });
  });

  it('adds detected damage as a new layer in one undo step', () => {
    const editor = new Editor(20, 10);
    const bits = new Uint8Array(200);
    bits[15] = 1;
    bits[199] = 1;
    const layer = editor.addLayerWithMask('Detected damage', bits);
    if (layer instanceof Refusal) throw new Error(layer.reason);
    expect(editor.mask(layer.id).count()).toBe(2);
    expect(editor.restoreMaskCount()).toBe(2);
    editor.undo();
    expect(editor.layers).toEqual([]);
    editor.redo();
    expect(editor.mask(layer.id).count()).toBe(2);
  });
});

/** A restore of what is marked now, as the restore flow commits it. */
function restore(editor: Editor, version: number, options: { everything?: boolean } = {}): number {
  const sent = editor.restoreMask(options);
  editor.commitRestore(version, sent.data);
  return sent.count;
}

describe('Editor restore runs', () => {
  it('each run is one undo step that switches the image version and consumes the marks it filled', () => {
    const editor = new Editor(40, 40);
    editor.addLayer();
    paint(editor, 5, 5);
    const first = restore(editor, 1);
    expect(first).toBeGreaterThan(0);
    expect(editor.restoreMaskCount()).toBe(0);
    // The record layer keeps what was filled, hidden and locked, at the bottom of the stack.
    const record = editor.restoredLayer!;
    expect([record.name, record.visible, record.locked, editor.layers[0]!.id]).toEqual(['Restored', false, true, record.id]);
    expect(editor.mask(record.id).count()).toBe(first);

    // The next restore fills only what was marked since.
    paint(editor, 5, 25);
    const second = restore(editor, 2);
    expect(second).toBeLessThan(first + 10);
    expect(editor.mask(record.id).count()).toBeGreaterThan(first);
    expect(editor.layers.filter((l) => l.role === 'restored')).toHaveLength(1);
    expect([editor.snapshot.imageVersion, editor.snapshot.restoreRuns]).toEqual([2, 2]);
    expect(editor.undoLabel).toBe('Restore');

    // Undo brings the image and the marks back together.
    editor.undo();
    expect(editor.snapshot.imageVersion).toBe(1);
    expect(editor.restoreMaskCount()).toBe(second);
    editor.undo();
    editor.undo();
    expect(editor.snapshot.imageVersion).toBe(0);
    expect(editor.restoreMaskCount()).toBe(first);
    expect(editor.restoredLayer).toBeUndefined();
    editor.redo();
    expect(editor.snapshot.imageVersion).toBe(1);
    expect(editor.restoreMaskCount()).toBe(0);
    expect(editor.mask(editor.restoredLayer!.id).count()).toBe(first);
  });

  it('a tone-only run (nothing filled) switches the version in one undo step and adds no record layer', () => {
    const editor = new Editor(40, 40);
    editor.addLayer();
    expect(restore(editor, 1)).toBe(0);
    expect(editor.restoredLayer).toBeUndefined();
    expect([editor.snapshot.imageVersion, editor.snapshot.restoreRuns, editor.layers.length]).toEqual([1, 1, 1]);
    editor.undo();
    expect(editor.snapshot.imageVersion).toBe(0);
  });

  it('"restore everything again" sends every mark ever restored plus the new ones', () => {
    const editor = new Editor(40, 40);
    editor.addLayer();
    paint(editor, 5, 5);
    const first = restore(editor, 1);
    paint(editor, 5, 25);
    const fresh = editor.restoreMaskCount();
    expect(editor.restoreMaskCount({ everything: true })).toBe(first + fresh);
    expect(restore(editor, 2, { everything: true })).toBe(first + fresh);
    expect(editor.restoreMaskCount()).toBe(0);
    expect(editor.mask(editor.restoredLayer!.id).count()).toBe(first + fresh);
  });

  it('keeps the marks when every layer slot is taken and the record has no room', () => {
    const editor = new Editor(40, 40);
    for (let i = 0; i < MAX_LAYERS; i++) editor.addLayer();
    paint(editor, 5, 5);
    const marked = editor.restoreMaskCount();
    restore(editor, 1);
    expect([editor.snapshot.imageVersion, editor.restoredLayer, editor.restoreMaskCount()]).toEqual([1, undefined, marked]);
    editor.undo();
    expect(editor.snapshot.imageVersion).toBe(0);
  });

  it('leaves hidden layers alone: they were not restored', () => {
    const editor = new Editor(40, 40);
    const kept = editor.addLayer() as { id: string };
    paint(editor, 5, 5);
    editor.setVisible(kept.id, false);
    editor.addLayer();
    paint(editor, 5, 25);
    restore(editor, 1);
    expect(editor.mask(kept.id).count()).toBeGreaterThan(0);
  });

  it('round-trips through the project state, the record layer included', () => {
    const editor = new Editor(30, 20);
    const a = editor.addLayer('Scratches') as { id: string };
    paint(editor, 2, 2, 2);
    editor.setOverlayOpacity(0.8);
    restore(editor, 3);
    const state = editor.projectState();
    const masks = new Map(editor.layers.map((l) => [l.id, editor.mask(l.id).data.slice()]));
    const reopened = new Editor(30, 20);
    reopened.load(state, masks, 1);
    expect(reopened.projectState()).toEqual(state);
    expect(reopened.mask(a.id).data).toEqual(editor.mask(a.id).data);
    expect(reopened.restoredLayer?.role).toBe('restored');
    expect(reopened.restoreMaskCount({ everything: true })).toBeGreaterThan(0);
    expect(reopened.snapshot.imageVersion).toBe(1);
    expect(reopened.canUndo).toBe(false);
  });
});

describe('Editor detection layers and edges', () => {
  const bits = (w: number, h: number, x0: number, x1: number) => {
    const b = new Uint8Array(w * h);
    for (let y = 2; y < 6; y++) for (let x = x0; x < x1; x++) b[y * w + x] = 1;
    return b;
  };

  it('replaces a layer with a new detection in one undo step, showing it again', () => {
    const editor = new Editor(30, 10);
    const found = editor.addLayerWithMask('Detected damage', bits(30, 10, 2, 10), 'detected') as { id: string; role?: string };
    expect(found.role).toBe('detected');
    editor.setVisible(found.id, false);
    expect(editor.replaceLayerMask(found.id, bits(30, 10, 15, 28), 'Find damage again')).toBeNull();
    expect(editor.layers).toHaveLength(1);
    expect(editor.layers[0]!.visible).toBe(true);
    expect(editor.mask(found.id).count()).toBe(4 * 13);
    expect(editor.mask(found.id).data[3 * 30 + 5]).toBe(0);
    editor.undo();
    expect(editor.mask(found.id).count()).toBe(4 * 8);
    expect(editor.layers[0]!.visible).toBe(false);
  });

  it('a new detection goes to the topmost unlocked detected layer; locking one keeps it', () => {
    const editor = new Editor(30, 10);
    expect(detectionLayer(editor.layers)).toBeUndefined();
    const first = editor.addLayerWithMask('Detected damage', bits(30, 10, 2, 10), 'detected') as { id: string };
    editor.addLayer();
    expect(detectionLayer(editor.layers)?.id).toBe(first.id);
    editor.setLocked(first.id, true);
    expect(detectionLayer(editor.layers)).toBeUndefined();
  });

  it('grows and shrinks the active layer by whole pixels, each an undo step, refusing locked layers', () => {
    const editor = new Editor(30, 30);
    const layer = editor.addLayer() as { id: string };
    const edit = editor.beginEdit() as MaskEdit;
    edit.rect({ x: 10, y: 10 }, { x: 20, y: 20 }, 1);
    editor.endEdit(edit, 'Rectangle');
    expect(editor.mask(layer.id).count()).toBe(100);
    editor.growLayer(2);
    expect(editor.undoLabel).toBe('Grow layer 2 px');
    expect(editor.mask(layer.id).count()).toBe(14 * 14 - 4 * 3);
    editor.growLayer(-9);
    expect(editor.undoLabel).toBe('Shrink layer 5 px');
    editor.undo();
    editor.undo();
    expect(editor.mask(layer.id).count()).toBe(100);
    editor.setLocked(layer.id, true);
    expect(editor.growLayer(1)).toBeInstanceOf(Refusal);
  });
});

function same(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}
