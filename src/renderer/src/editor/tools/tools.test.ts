import { describe, expect, it } from 'vitest';
import { Editor } from '../editor';
import type { Refusal } from '../refusal';
import type { Point, Rect } from '../geometry';
import type { MaskEdit } from '../history/mask-edit';
import { createTool } from './create-tool';
import type { SnapGesture, ToolEvent, ToolHost, ToolPreview } from './tool';

/** A host over a real Editor, recording what tools asked for. */
function setup(width = 100, height = 100, radius = 3) {
  const editor = new Editor(width, height);
  editor.addLayer();
  const log = { refusals: [] as string[], previews: [] as ToolPreview[], painted: [] as Rect[] };
  const host: ToolHost = {
    beginEdit: () => editor.beginEdit(),
    painted: (edit: MaskEdit, rect: Rect) => {
      log.painted.push(rect);
      editor.notifyEditing(edit, rect);
    },
    commit: (edit, label) => editor.endEdit(edit, label),
    cancel: (edit) => editor.cancelEdit(edit),
    refuse: (r: Refusal) => log.refusals.push(r.reason),
    preview: (p) => log.previews.push(p),
    brushRadius: () => radius,
    minStep: () => 1,
  };
  const count = () => editor.mask(editor.activeLayer!.id).count();
  return { editor, host, log, count };
}

const down = (x: number, y: number, alt = false, shift = false): ToolEvent => ({ type: 'down', point: { x, y }, modifiers: { alt, shift } });
const move = (...points: [number, number][]): ToolEvent => ({ type: 'move', points: points.map(([x, y]): Point => ({ x, y })) });
const up = (x: number, y: number): ToolEvent => ({ type: 'up', point: { x, y } });

describe('BrushTool', () => {
  it('Idle -> Painting -> Idle; the whole stroke is one undo step', () => {
    const { editor, host, count } = setup();
    const brush = createTool('brush', host);
    expect(brush.state).toBe('idle');
    brush.handle(down(10, 10));
    expect(brush.state).toBe('painting');
    brush.handle(move([20, 10], [30, 10]));
    brush.handle(move([40, 10]));
    brush.handle(up(50, 10));
    expect(brush.state).toBe('idle');
    // A capsule from x=10 to 50 of radius 3: about 40*6 + a disc.
    expect(count()).toBeGreaterThan(240);
    expect(editor.historyEntries().map((e) => e.label)).toEqual(['Add layer', 'Brush']);
    editor.undo();
    expect(count()).toBe(0);
  });

  it('paints while moving (before the stroke ends), so the overlay can follow the pointer', () => {
    const { host, log, count } = setup();
    const brush = createTool('brush', host);
    brush.handle(down(10, 10));
    brush.handle(move([60, 60]));
    expect(count()).toBeGreaterThan(100);
    expect(log.painted.length).toBe(2);
  });

  it('cancel (Escape) rolls the stroke back and records nothing', () => {
    const { editor, host, count } = setup();
    const brush = createTool('brush', host);
    brush.handle(down(10, 10));
    brush.handle(move([90, 90]));
    brush.handle({ type: 'cancel' });
    expect(brush.state).toBe('idle');
    expect(count()).toBe(0);
    expect(editor.historyEntries().map((e) => e.label)).toEqual(['Add layer']);
    brush.handle(up(5, 5));
    expect(editor.historyEntries()).toHaveLength(1);
  });

  it('the eraser paints zeros; Shift-click draws a straight line from the last stroke', () => {
    const { host, count } = setup();
    const brush = createTool('brush', host);
    brush.handle(down(10, 50));
    brush.handle(up(10, 50));
    const dot = count();
    brush.handle(down(90, 50, false, true));
    brush.handle(up(90, 50));
    expect(count()).toBeGreaterThan(dot + 70 * 6);
    const eraser = createTool('eraser', host);
    eraser.handle(down(0, 50));
    eraser.handle(move([100, 50]));
    eraser.handle(up(100, 50));
    expect(count()).toBe(0);
  });

  it('stays Idle and says why on a locked layer', () => {
    const { editor, host, log } = setup();
    editor.setLocked(editor.activeLayer!.id, true);
    const brush = createTool('brush', host);
    brush.handle(down(10, 10));
    expect(brush.state).toBe('idle');
    expect(log.refusals[0]).toMatch(/locked/);
  });
});

describe('LassoTool', () => {
  it('previews the path while drawing and fills the closed shape on release', () => {
    const { editor, host, log, count } = setup();
    const lasso = createTool('lasso', host);
    lasso.handle(down(10, 10));
    lasso.handle(move([60, 10], [60, 60]));
    expect(lasso.state).toBe('drawing');
    expect(count()).toBe(0);
    expect(log.previews.at(-1)).toMatchObject({ kind: 'polygon', points: [{ x: 10, y: 10 }, { x: 60, y: 10 }, { x: 60, y: 60 }] });
    lasso.handle(up(10, 60));
    expect(log.previews.at(-1)).toBeNull();
    expect(count()).toBe(50 * 50);
    expect(editor.undoLabel).toBe('Lasso');
  });

  it('Alt erases; two points or a cancel fill nothing', () => {
    const { host, count } = setup();
    const rect = createTool('rect', host);
    rect.handle(down(0, 0));
    rect.handle(up(100, 100));
    const lasso = createTool('lasso', host);
    lasso.handle(down(0, 0, true));
    lasso.handle(move([50, 0]));
    lasso.handle(up(50, 100));
    expect(count()).toBe(10000 - 2500);
    lasso.handle(down(0, 0));
    lasso.handle(up(100, 100));
    expect(count()).toBe(7500);
    lasso.handle(down(0, 0));
    lasso.handle(move([100, 0], [100, 100]));
    lasso.handle({ type: 'cancel' });
    expect(lasso.state).toBe('idle');
    expect(count()).toBe(7500);
  });
});

describe('RectTool', () => {
  it('Idle -> Dragging -> Idle fills the dragged rectangle; a click fills nothing', () => {
    const { editor, host, log, count } = setup();
    const rect = createTool('rect', host);
    rect.handle(down(30, 40));
    expect(rect.state).toBe('dragging');
    rect.handle(move([35, 45], [10, 20]));
    expect(log.previews.at(-1)).toEqual({ kind: 'rect', a: { x: 30, y: 40 }, b: { x: 10, y: 20 }, erase: false });
    rect.handle(up(10, 20));
    expect(count()).toBe(20 * 20);
    rect.handle(down(5, 5));
    rect.handle(up(5, 5));
    expect(count()).toBe(400);
    expect(editor.historyEntries().map((e) => e.label)).toEqual(['Add layer', 'Rectangle']);
  });
});

describe('BrushTool in snap mode', () => {
  function snapSetup() {
    const s = setup();
    const gestures: SnapGesture[] = [];
    const host: ToolHost = { ...s.host, snapping: () => true, snap: (g) => gestures.push(g) };
    return { ...s, host, gestures };
  }

  it('shows the stroke while drawn, then rolls it back and hands its centre line on: no undo step of its own', () => {
    const { editor, host, count, gestures } = snapSetup();
    const brush = createTool('brush', host);
    brush.handle(down(10, 10));
    brush.handle(move([20, 12], [30, 14]));
    expect(count()).toBeGreaterThan(100);
    brush.handle(up(40, 16));
    expect(brush.state).toBe('idle');
    expect(count()).toBe(0);
    expect(editor.historyEntries().map((e) => e.label)).toEqual(['Add layer']);
    expect(gestures).toEqual([{ kind: 'stroke', points: [{ x: 10, y: 10 }, { x: 20, y: 12 }, { x: 30, y: 14 }, { x: 40, y: 16 }], width: 6 }]);
  });

  it('a click that does not move is a spot; Shift+click is a line from the last stroke', () => {
    const { host, gestures } = snapSetup();
    const brush = createTool('brush', host);
    brush.handle(down(50, 50));
    brush.handle(move([50.5, 50]));
    brush.handle(up(50.5, 50));
    expect(gestures.at(-1)).toEqual({ kind: 'spot', points: [{ x: 50, y: 50 }], width: 6 });
    brush.handle(down(80, 60, false, true));
    brush.handle(up(80, 60));
    expect(gestures.at(-1)).toEqual({ kind: 'stroke', points: [{ x: 50.5, y: 50 }, { x: 80, y: 60 }], width: 6 });
  });

  it('leaves the eraser alone, and Escape sends nothing', () => {
    const { host, count, gestures } = snapSetup();
    const brush = createTool('brush', host);
    brush.handle(down(10, 10));
    brush.handle(move([60, 10]));
    brush.handle({ type: 'cancel' });
    expect(gestures).toEqual([]);
    const plain = createTool('brush', { ...host, snapping: () => false });
    plain.handle(down(10, 10));
    plain.handle(up(60, 10));
    const painted = count();
    expect(painted).toBeGreaterThan(200);
    const eraser = createTool('eraser', host);
    eraser.handle(down(10, 10));
    eraser.handle(up(60, 10));
    expect(gestures).toEqual([]);
    expect(count()).toBeLessThan(painted);
  });
});
