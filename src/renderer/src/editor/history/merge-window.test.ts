import { describe, expect, it } from 'vitest';
import { Editor } from '../editor';
import { Refusal } from '../refusal';

describe('MaskEdit.mergeWindow', () => {
  it('marks a window’s set pixels at its place, clipped to the photo, as one undo step', () => {
    const editor = new Editor(20, 10);
    editor.addLayer();
    const edit = editor.beginEdit();
    if (edit instanceof Refusal) throw new Error(edit.reason);
    // 4 x 3 window at (17, 8): only its top-left 3 x 2 lies on the photo.
    const data = new Uint8Array([255, 0, 255, 255, 0, 255, 0, 255, 255, 255, 255, 255]);
    const rect = edit.mergeWindow({ x: 17, y: 8, width: 4, height: 3, data });
    expect(rect).toEqual({ x0: 17, y0: 8, x1: 20, y1: 10 });
    editor.endEdit(edit, 'Snap stroke');
    const mask = editor.mask(editor.activeLayer!.id);
    const at = (x: number, y: number) => mask.data[y * 20 + x];
    expect([at(17, 8), at(18, 8), at(19, 8), at(17, 9), at(18, 9), at(19, 9)]).toEqual([1, 0, 1, 0, 1, 0]);
    expect(mask.count()).toBe(3);
    expect(editor.undoLabel).toBe('Snap stroke');
    editor.undo();
    expect(mask.count()).toBe(0);
  });
});
