import { Refusal } from '../refusal';
import type { Point } from '../geometry';
import type { MaskEdit } from '../history/mask-edit';
import type { Rect } from '../geometry';

export type ToolId = 'brush' | 'eraser' | 'lasso' | 'rect';

export interface Modifiers {
  /** Alt/Option: the lasso and rectangle erase instead of paint. */
  readonly alt: boolean;
  /** Shift: the brush draws a straight line from the end of the last stroke. */
  readonly shift: boolean;
}

/**
 * Input to a tool, already in image space (full-resolution photo pixels):
 * the fabric adapter converts pointer positions before tools see them.
 */
export type ToolEvent =
  | { readonly type: 'down'; readonly point: Point; readonly modifiers: Modifiers }
  /** `points`: every position since the last move (coalesced pointer events), the last one included. */
  | { readonly type: 'move'; readonly points: readonly Point[] }
  | { readonly type: 'up'; readonly point: Point }
  /** Escape, a lost pointer, a tool switch: roll the gesture back. */
  | { readonly type: 'cancel' };

/** Shape a tool shows while a gesture is in progress (drawn on top, not yet in the mask). */
export type ToolPreview =
  | { readonly kind: 'polygon'; readonly points: readonly Point[]; readonly erase: boolean }
  | { readonly kind: 'rect'; readonly a: Point; readonly b: Point; readonly erase: boolean }
  | null;

/**
 * A finished brush gesture in snap mode, in image pixels: a stroke's centre
 * line, or the one point of a click on a spot. `width` is the brush diameter.
 * The host finds the damage under it (asynchronously) and adds only that.
 */
export interface SnapGesture {
  readonly kind: 'stroke' | 'spot';
  readonly points: readonly Point[];
  readonly width: number;
}

/** What tools may do: the editor's edit API plus feedback. Implemented by the editor session. */
export interface ToolHost {
  beginEdit(): MaskEdit | Refusal;
  /** Pixels of a running edit changed (redraw them). */
  painted(edit: MaskEdit, rect: Rect): void;
  commit(edit: MaskEdit, label: string): void;
  cancel(edit: MaskEdit): void;
  refuse(refusal: Refusal): void;
  preview(preview: ToolPreview): void;
  /** Brush radius in image pixels. */
  brushRadius(): number;
  /** Smallest distance, in image pixels, worth recording between lasso points (about 2 screen pixels). */
  minStep(): number;
  /** True while the brush snaps to damage ("Snap to damage" on); absent hosts never snap. */
  snapping?(): boolean;
  /** A snap-mode gesture ended (its painted preview already rolled back): find and add the damage under it. */
  snap?(gesture: SnapGesture): void;
}

/** A tool is a small state machine fed ToolEvents; `state` names where it is. */
export interface Tool {
  readonly id: ToolId;
  readonly state: string;
  handle(event: ToolEvent): void;
}

/**
 * Applies a whole-gesture edit (lasso, rectangle) as one undo step: opens an
 * edit, lets `paint` fill it, redraws and commits under `label`. A refusal
 * (no layer, layer hidden or locked) is reported and nothing changes.
 */
export function paintOnce(host: ToolHost, label: string, paint: (edit: MaskEdit) => Rect): void {
  const edit = host.beginEdit();
  if (edit instanceof Refusal) {
    host.refuse(edit);
    return;
  }
  host.painted(edit, paint(edit));
  host.commit(edit, label);
}
