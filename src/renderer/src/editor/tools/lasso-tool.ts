import type { Point } from '../geometry';
import { paintOnce, type Tool, type ToolEvent, type ToolHost } from './tool';

type State = { readonly name: 'idle' } | { readonly name: 'drawing'; readonly points: Point[]; readonly erase: boolean };

/**
 * Freehand polygon, filled on release: Idle -> Drawing on down, points are
 * recorded (thinned to about 2 screen pixels) and previewed, up fills the
 * closed shape as one undo step. Alt erases. Fewer than 3 points, or a
 * cancel, changes nothing.
 */
export class LassoTool implements Tool {
  readonly id = 'lasso';
  private current: State = { name: 'idle' };

  constructor(private readonly host: ToolHost) {}

  get state(): string {
    return this.current.name;
  }

  handle(event: ToolEvent): void {
    const s = this.current;
    switch (event.type) {
      case 'down':
        if (s.name !== 'idle') return;
        this.current = { name: 'drawing', points: [event.point], erase: event.modifiers.alt };
        this.host.preview({ kind: 'polygon', points: [event.point], erase: event.modifiers.alt });
        return;
      case 'move': {
        if (s.name !== 'drawing') return;
        const step = this.host.minStep();
        for (const p of event.points) {
          const last = s.points[s.points.length - 1]!;
          if (Math.hypot(p.x - last.x, p.y - last.y) >= step) s.points.push(p);
        }
        this.host.preview({ kind: 'polygon', points: s.points, erase: s.erase });
        return;
      }
      case 'up': {
        if (s.name !== 'drawing') return;
        this.current = { name: 'idle' };
        this.host.preview(null);
        const points = [...s.points, event.point];
        if (points.length < 3) return;
        paintOnce(this.host, 'Lasso', (edit) => edit.polygon(points, s.erase ? 0 : 1));
        return;
      }
      case 'cancel':
        if (s.name === 'drawing') this.host.preview(null);
        this.current = { name: 'idle' };
        return;
    }
  }
}
