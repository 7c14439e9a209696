import { Refusal } from '../editor';
import type { Point } from '../geometry';
import type { MaskEdit } from '../history/mask-edit';
import type { Tool, ToolEvent, ToolHost } from './tool';

type State = { readonly name: 'idle' } | { readonly name: 'painting'; readonly edit: MaskEdit; last: Point };

/**
 * Brush (paints 1) and eraser (paints 0): Idle -> Painting on pointer down,
 * each move stamps round-capped segments at full resolution, up commits the
 * whole stroke as one undo step, cancel puts every pixel back.
 */
export class BrushTool implements Tool {
  private current: State = { name: 'idle' };
  /** Where the last committed stroke ended, for Shift-click straight lines. */
  private lastEnd: Point | null = null;

  constructor(
    readonly id: 'brush' | 'eraser',
    private readonly host: ToolHost,
  ) {}

  get state(): string {
    return this.current.name;
  }

  private get value(): 0 | 1 {
    return this.id === 'brush' ? 1 : 0;
  }

  handle(event: ToolEvent): void {
    const s = this.current;
    switch (event.type) {
      case 'down': {
        if (s.name !== 'idle') return;
        const edit = this.host.beginEdit();
        if (edit instanceof Refusal) {
          this.host.refuse(edit);
          return;
        }
        const from = event.modifiers.shift && this.lastEnd ? this.lastEnd : event.point;
        this.host.painted(edit, edit.segment(from, event.point, this.host.brushRadius(), this.value));
        this.current = { name: 'painting', edit, last: event.point };
        return;
      }
      case 'move': {
        if (s.name !== 'painting') return;
        const radius = this.host.brushRadius();
        for (const p of event.points) {
          if (p.x === s.last.x && p.y === s.last.y) continue;
          this.host.painted(s.edit, s.edit.segment(s.last, p, radius, this.value));
          s.last = p;
        }
        return;
      }
      case 'up': {
        if (s.name !== 'painting') return;
        if (event.point.x !== s.last.x || event.point.y !== s.last.y) {
          this.host.painted(s.edit, s.edit.segment(s.last, event.point, this.host.brushRadius(), this.value));
        }
        this.host.commit(s.edit, this.id === 'brush' ? 'Brush' : 'Eraser');
        this.lastEnd = event.point;
        this.current = { name: 'idle' };
        return;
      }
      case 'cancel': {
        if (s.name === 'painting') this.host.cancel(s.edit);
        this.current = { name: 'idle' };
        return;
      }
    }
  }
}
