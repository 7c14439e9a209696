import type { Point } from '../geometry';
import { ShapeTool, type ShapeSpec } from './shape-tool';
import type { ToolHost } from './tool';

/**
 * Rectangle: Idle -> Dragging on down, the rectangle follows the pointer as
 * a preview, up fills it as one undo step (Alt erases). A click without a
 * drag fills nothing.
 */
const RECT: ShapeSpec<{ readonly a: Point; b: Point }> = {
  id: 'rect',
  activeState: 'dragging',
  label: 'Rectangle',
  begin: (start) => ({ a: start, b: start }),
  extend(corners, moved) {
    if (moved.length === 0) return false;
    corners.b = moved[moved.length - 1]!;
    return true;
  },
  preview: ({ a, b }, erase) => ({ kind: 'rect', a, b, erase }),
  finish: ({ a }, end) => (edit, value) => edit.rect(a, end, value),
};

export class RectTool extends ShapeTool<{ readonly a: Point; b: Point }> {
  constructor(host: ToolHost) {
    super(host, RECT);
  }
}
