import type { ToolActions } from '../commands/editor-commands';
import type { ToolId } from '../tools/tool';
import type { CanvasController } from './canvas-controller';

const BRUSH_MIN = 1;
const BRUSH_MAX = 2000;

/**
 * The marking tools as the person has set them: which tool, the brush's
 * size, "Snap to damage", and how far Grow and Shrink move a layer's edge.
 * The session attaches the canvas controller whose tools draw with them.
 */
export class ToolState implements ToolActions {
  active = $state<ToolId>('brush');
  /** Brush diameter in photo pixels. */
  brushSize = $state(20);
  /** "Snap to damage": a brush stroke adds only the damaged pixels under it (see ../snap/snap-flow.ts). */
  snapMode = $state(false);
  /** How far Grow and Shrink move a layer's edge, 1 to MAX_GROW px. */
  growStep = $state(1);

  private controller: CanvasController | null = null;

  /** `snapTurnedOn`: the snapping brush was switched on (the session warms its engine). */
  constructor(private readonly snapTurnedOn: () => void) {}

  /** The canvas whose tools draw with these settings (null once it is gone). */
  attach(controller: CanvasController | null): void {
    this.controller = controller;
    if (!controller) return;
    controller.brushSize = this.brushSize;
    controller.snapMode = this.snapMode;
    controller.setTool(this.active);
  }

  /** A newly opened photo: a brush about a sixtieth of its short side. */
  fitBrushTo(width: number, height: number): void {
    this.brushSize = Math.max(4, Math.round(Math.min(width, height) / 60));
  }

  setTool(tool: ToolId): void {
    this.active = tool;
    this.controller?.setTool(tool);
  }

  setBrushSize(size: number): void {
    this.brushSize = Math.round(Math.max(BRUSH_MIN, Math.min(BRUSH_MAX, size)));
    if (this.controller) this.controller.brushSize = this.brushSize;
  }

  brushStep(direction: 1 | -1): void {
    const next = direction > 0 ? Math.max(this.brushSize + 1, this.brushSize * 1.2) : Math.min(this.brushSize - 1, this.brushSize / 1.2);
    this.setBrushSize(next);
  }

  /** Turns "Snap to damage" on or off; on, it picks the brush (the mode is the brush's). */
  toggleSnap(): void {
    this.snapMode = !this.snapMode;
    if (this.controller) this.controller.snapMode = this.snapMode;
    if (this.snapMode && this.active !== 'brush') this.setTool('brush');
    if (this.snapMode) this.snapTurnedOn();
  }

  /** A pointer gesture is being drawn on the canvas (the snap flow waits for it to end). */
  gestureActive(): boolean {
    return (this.controller?.toolState ?? 'idle') !== 'idle';
  }

  /** Drops the gesture in progress, if any; true when there was one. */
  cancelGesture(): boolean {
    return this.controller?.cancelGesture() ?? false;
  }
}
