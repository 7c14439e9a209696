import { Refusal } from '../refusal';
import type { Point } from '../geometry';
import type { MaskEdit } from '../history/mask-edit';
import type { SnapGesture, Tool, ToolEvent, ToolHost } from './tool';

type State =
  | { readonly name: 'idle' }
  | {
      readonly name: 'painting';
      readonly edit: MaskEdit;
      last: Point;
      /** Snap mode: the centre line so far (the stroke shows as painted, then goes to the host). */
      readonly snap: { readonly points: Point[]; readonly line: boolean } | null;
    };

/**
 * Brush (paints 1) and eraser (paints 0): Idle -> Painting on pointer down,
 * each move stamps round-capped segments at full resolution, up commits the
 * whole stroke as one undo step, cancel puts every pixel back.
 *
 * In snap mode (the brush only) the stroke paints as usual while it is
 * drawn; on release the paint is rolled back and the centre line goes to the
 * host (ToolHost.snap), which adds only the damaged pixels under it. A click
 * that does not move is a spot: the host selects the damage under that point.
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
        const line = event.modifiers.shift && this.lastEnd !== null;
        const from = line ? this.lastEnd! : event.point;
        this.host.painted(edit, edit.segment(from, event.point, this.host.brushRadius(), this.value));
        const snapping = this.id === 'brush' && this.host.snapping?.() === true;
        const snap = snapping ? { points: line ? [from, event.point] : [event.point], line } : null;
        this.current = { name: 'painting', edit, last: event.point, snap };
        return;
      }
      case 'move': {
        if (s.name !== 'painting') return;
        const radius = this.host.brushRadius();
        for (const p of event.points) {
          if (p.x === s.last.x && p.y === s.last.y) continue;
          this.host.painted(s.edit, s.edit.segment(s.last, p, radius, this.value));
          s.snap?.points.push(p);
          s.last = p;
        }
        return;
      }
      case 'up': {
        if (s.name !== 'painting') return;
        if (event.point.x !== s.last.x || event.point.y !== s.last.y) {
          this.host.painted(s.edit, s.edit.segment(s.last, event.point, this.host.brushRadius(), this.value));
          s.snap?.points.push(event.point);
        }
        this.current = { name: 'idle' };
        this.lastEnd = event.point;
        if (s.snap) {
          this.host.cancel(s.edit);
          this.host.snap?.(this.gestureOf(s.snap));
          return;
        }
        this.host.commit(s.edit, this.id === 'brush' ? 'Brush' : 'Eraser');
        return;
      }
      case 'cancel': {
        if (s.name === 'painting') this.host.cancel(s.edit);
        this.current = { name: 'idle' };
        return;
      }
    }
  }

  /** A press that stayed within about two screen pixels of where it began is a click on a spot. */
  private gestureOf(snap: { readonly points: readonly Point[]; readonly line: boolean }): SnapGesture {
    const width = 2 * this.host.brushRadius();
    const first = snap.points[0]!;
    const slop = this.host.minStep();
    const still = !snap.line && snap.points.every((p) => Math.abs(p.x - first.x) <= slop && Math.abs(p.y - first.y) <= slop);
    return still ? { kind: 'spot', points: [first], width } : { kind: 'stroke', points: snap.points, width };
  }
}
