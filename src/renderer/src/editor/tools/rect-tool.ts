import type { Point } from '../geometry';
import { paintOnce, type Tool, type ToolEvent, type ToolHost } from './tool';

type State = { readonly name: 'idle' } | { readonly name: 'dragging'; readonly a: Point; b: Point; readonly erase: boolean };

/**
 * Rectangle: Idle -> Dragging on down, the rectangle follows the pointer as
 * a preview, up fills it as one undo step (Alt erases). A click without a
 * drag fills nothing.
 */
export class RectTool implements Tool {
  readonly id = 'rect';
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
        this.current = { name: 'dragging', a: event.point, b: event.point, erase: event.modifiers.alt };
        this.host.preview({ kind: 'rect', a: event.point, b: event.point, erase: event.modifiers.alt });
        return;
      case 'move': {
        if (s.name !== 'dragging' || event.points.length === 0) return;
        s.b = event.points[event.points.length - 1]!;
        this.host.preview({ kind: 'rect', a: s.a, b: s.b, erase: s.erase });
        return;
      }
      case 'up': {
        if (s.name !== 'dragging') return;
        this.current = { name: 'idle' };
        this.host.preview(null);
        paintOnce(this.host, 'Rectangle', (edit) => edit.rect(s.a, event.point, s.erase ? 0 : 1));
        return;
      }
      case 'cancel':
        if (s.name === 'dragging') this.host.preview(null);
        this.current = { name: 'idle' };
        return;
    }
  }
}
