import type { Point } from '../geometry';
import type { ToolEvent } from '../tools/tool';
import { wheelZoomFactor } from '../view/viewport';
import type { EditorScene } from './editor-scene';

/** Where pointer input goes, already interpreted. */
export interface PointerSink {
  /** Tool input, in image space. */
  tool(event: ToolEvent): void;
  /** Pan by a screen-space delta (CSS px). */
  pan(dx: number, dy: number): void;
  /** Zoom by a factor about a screen point (CSS px in the canvas). */
  zoomAt(factor: number, at: Point): void;
  /** Alt+wheel: +1 grows the brush a step, -1 shrinks it. */
  brushWheel(direction: 1 | -1): void;
  /** Pointer position over the canvas (CSS px), null when it left: drives the brush ring. */
  hover(at: Point | null): void;
  panningChanged(panning: boolean): void;
  /** Space held: left-drag pans instead of using the tool. */
  spaceHeld(): boolean;
}

/**
 * The one place pointer input meets fabric: DOM pointer events on fabric's
 * input canvas become image-space tool events (via fabric's scene-point
 * transform, which is the view transform) or view gestures. Raw pointer
 * events rather than fabric's mouse:* events, for pointer capture (strokes
 * continue outside the canvas), coalesced events (smooth fast strokes) and
 * the middle button.
 */
export function attachPointerInput(scene: EditorScene, sink: PointerSink): () => void {
  const el = scene.inputElement;
  let mode: 'idle' | 'tool' | 'pan' = 'idle';
  let activePointer = -1;
  let last = { x: 0, y: 0 };

  const scenePoint = (e: PointerEvent): Point => {
    const p = scene.canvas.getScenePoint(e);
    return { x: p.x, y: p.y };
  };
  const viewportPoint = (e: MouseEvent): Point => {
    const p = scene.canvas.getViewportPoint(e);
    return { x: p.x, y: p.y };
  };

  const onDown = (e: PointerEvent) => {
    if (mode !== 'idle') return;
    if (e.button === 1 || (e.button === 0 && sink.spaceHeld())) {
      e.preventDefault();
      mode = 'pan';
      last = { x: e.clientX, y: e.clientY };
      sink.panningChanged(true);
    } else if (e.button === 0) {
      mode = 'tool';
      sink.tool({ type: 'down', point: scenePoint(e), modifiers: { alt: e.altKey, shift: e.shiftKey } });
    } else return;
    activePointer = e.pointerId;
    el.setPointerCapture(e.pointerId);
  };

  const onMove = (e: PointerEvent) => {
    sink.hover(viewportPoint(e));
    if (e.pointerId !== activePointer) return;
    if (mode === 'pan') {
      sink.pan(e.clientX - last.x, e.clientY - last.y);
      last = { x: e.clientX, y: e.clientY };
    } else if (mode === 'tool') {
      const events = typeof e.getCoalescedEvents === 'function' ? e.getCoalescedEvents() : [];
      sink.tool({ type: 'move', points: (events.length > 0 ? events : [e]).map(scenePoint) });
    }
  };

  const finish = (e: PointerEvent, cancelled: boolean) => {
    if (e.pointerId !== activePointer) return;
    const was = mode;
    mode = 'idle';
    activePointer = -1;
    if (el.hasPointerCapture(e.pointerId)) el.releasePointerCapture(e.pointerId);
    if (was === 'pan') sink.panningChanged(false);
    if (was === 'tool') sink.tool(cancelled ? { type: 'cancel' } : { type: 'up', point: scenePoint(e) });
  };
  const onUp = (e: PointerEvent) => finish(e, false);
  const onCancel = (e: PointerEvent) => finish(e, true);

  const onWheel = (e: WheelEvent) => {
    e.preventDefault();
    const dy = e.deltaMode === WheelEvent.DOM_DELTA_LINE ? e.deltaY * 16 : e.deltaMode === WheelEvent.DOM_DELTA_PAGE ? e.deltaY * 400 : e.deltaY;
    if (dy === 0) return;
    if (e.altKey) sink.brushWheel(dy < 0 ? 1 : -1);
    else sink.zoomAt(wheelZoomFactor(dy), viewportPoint(e));
  };

  const onLeave = () => sink.hover(null);
  const onContextMenu = (e: Event) => e.preventDefault();
  // Middle-button autoscroll would fight the pan.
  const onAuxDown = (e: MouseEvent) => {
    if (e.button === 1) e.preventDefault();
  };

  // One table for attaching and detaching, so no listener outlives the canvas.
  const listeners: readonly (readonly [keyof HTMLElementEventMap, (e: never) => void, AddEventListenerOptions?])[] = [
    ['pointerdown', onDown],
    ['pointermove', onMove],
    ['pointerup', onUp],
    ['pointercancel', onCancel],
    ['lostpointercapture', onCancel],
    ['pointerleave', onLeave],
    // Not passive: the wheel handler keeps the page from scrolling.
    ['wheel', onWheel, { passive: false }],
    ['contextmenu', onContextMenu],
    ['mousedown', onAuxDown],
  ];
  for (const [type, listener, options] of listeners) el.addEventListener(type, listener as EventListener, options);
  return () => {
    for (const [type, listener] of listeners) el.removeEventListener(type, listener as EventListener);
  };
}
