import type { Point, Rect } from '../geometry';
import type { MaskEdit } from '../history/mask-edit';
import { paintOnce, type Tool, type ToolEvent, type ToolHost, type ToolId, type ToolPreview } from './tool';

/**
 * What one whole-gesture shape tool (lasso, rectangle) adds to the skeleton:
 * the shape a pointer-down starts, how moves change it, its preview, and how
 * it fills the mask on release.
 */
export interface ShapeSpec<S> {
  readonly id: ToolId;
  /** The state's name while the pointer is down ('drawing', 'dragging'). */
  readonly activeState: string;
  /** The undo step's label. */
  readonly label: string;
  begin(start: Point): S;
  /** The pointer moved through `points` (image pixels, the last one where it is now); false: nothing to redraw. */
  extend(shape: S, points: readonly Point[], host: ToolHost): boolean;
  preview(shape: S, erase: boolean): ToolPreview;
  /** The fill at release (`end`: where the pointer came up), or null when the shape is too small to fill. */
  finish(shape: S, end: Point): ((edit: MaskEdit, value: 0 | 1) => Rect) | null;
}

/**
 * The skeleton of a shape tool: Idle -> active on down (Alt erases), the
 * preview follows each move, up fills the shape as one undo step, and a
 * cancel (Escape, a lost pointer, a tool switch) changes nothing.
 */
export class ShapeTool<S> implements Tool {
  readonly id: ToolId;
  private shape: { readonly value: S; readonly erase: boolean } | null = null;

  constructor(
    private readonly host: ToolHost,
    private readonly spec: ShapeSpec<S>,
  ) {
    this.id = spec.id;
  }

  get state(): string {
    return this.shape ? this.spec.activeState : 'idle';
  }

  handle(event: ToolEvent): void {
    const s = this.shape;
    switch (event.type) {
      case 'down':
        if (s) return;
        this.shape = { value: this.spec.begin(event.point), erase: event.modifiers.alt };
        this.host.preview(this.spec.preview(this.shape.value, this.shape.erase));
        return;
      case 'move':
        if (!s) return;
        if (this.spec.extend(s.value, event.points, this.host)) this.host.preview(this.spec.preview(s.value, s.erase));
        return;
      case 'up': {
        if (!s) return;
        this.shape = null;
        this.host.preview(null);
        const fill = this.spec.finish(s.value, event.point);
        if (fill) paintOnce(this.host, this.spec.label, (edit) => fill(edit, s.erase ? 0 : 1));
        return;
      }
      case 'cancel':
        if (s) this.host.preview(null);
        this.shape = null;
        return;
    }
  }
}
