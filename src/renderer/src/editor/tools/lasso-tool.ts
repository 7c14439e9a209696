import type { Point } from '../geometry';
import { ShapeTool, type ShapeSpec } from './shape-tool';
import type { ToolHost } from './tool';

/**
 * Freehand polygon, filled on release: Idle -> Drawing on down, points are
 * recorded (thinned to about 2 screen pixels) and previewed, up fills the
 * closed shape as one undo step. Alt erases. Fewer than 3 points, or a
 * cancel, changes nothing.
 */
const LASSO: ShapeSpec<Point[]> = {
  id: 'lasso',
  activeState: 'drawing',
  label: 'Lasso',
  begin: (start) => [start],
  extend(points, moved, host) {
    const step = host.minStep();
    for (const p of moved) {
      const last = points[points.length - 1]!;
      if (Math.hypot(p.x - last.x, p.y - last.y) >= step) points.push(p);
    }
    return true;
  },
  preview: (points, erase) => ({ kind: 'polygon', points, erase }),
  finish(points, end) {
    const closed = [...points, end];
    return closed.length < 3 ? null : (edit, value) => edit.polygon(closed, value);
  },
};

export class LassoTool extends ShapeTool<Point[]> {
  constructor(host: ToolHost) {
    super(host, LASSO);
  }
}
