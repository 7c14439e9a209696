import type { ShellState } from '../../lib/shell.svelte';
import type { ViewActions } from '../commands/editor-commands';
import type { Editor } from '../editor';
import type { CompareMode } from '../fabric/editor-scene';
import type { Point, Rect } from '../geometry';
import { markRegions, stepRegion } from '../mask/regions';
import { zoomLabel, type View } from '../view/viewport';
import type { CanvasController } from './canvas-controller';

/** What the view needs of the session: the open photo's core, and the ways to tell the person. */
export interface ViewHost {
  readonly shell: ShellState;
  readonly core: Editor | null;
  notify(kind: 'info' | 'error', text: string): void;
}

/**
 * How the open photo is shown, apart from its pixels: zoom and pan, the
 * before/after compare, the mask overlay (shown or not, tinted or outlined),
 * the pointer (hover, panning, Space held) and the "next mark" tour. Display
 * state only: none of it is undo history or saved in the project. The
 * session attaches the canvas controller that draws it.
 */
export class ViewState implements ViewActions {
  view = $state<View>({ zoom: 1, panX: 0, panY: 0 });
  overlayVisible = $state(true);
  /** High-contrast outlines instead of tinted marks (display only, kept while the app runs). */
  overlayOutline = $state(false);
  compare = $state<CompareMode>('off');
  split = $state(0.5);
  spaceDown = $state(false);
  panning = $state(false);
  hover = $state<Point | null>(null);
  readonly zoomText = $derived(zoomLabel(this.view.zoom));

  private controller: CanvasController | null = null;
  /** Index of the region "next mark" last showed (-1: none yet). */
  private markCursor = -1;

  constructor(private readonly host: ViewHost) {}

  /** The canvas that draws the view (null once it is gone); it takes the overlay as it stands. */
  attach(controller: CanvasController | null): void {
    this.controller = controller;
    controller?.setOverlay(this.overlayVisible);
    controller?.setOverlayStyle(this.overlayOutline ? 'outline' : 'fill');
  }

  /** A newly opened photo: no compare, its marks shown, the mark tour from the start. */
  reset(): void {
    this.compare = 'off';
    this.overlayVisible = true;
    this.markCursor = -1;
  }

  zoomIn(): void {
    this.controller?.zoomStep(1);
  }

  zoomOut(): void {
    this.controller?.zoomStep(-1);
  }

  zoomFit(): void {
    this.controller?.fit();
  }

  zoomActual(): void {
    this.controller?.actualSize();
  }

  panHold(on: boolean): void {
    this.spaceDown = on;
  }

  compareHold(on: boolean): void {
    if (on && this.compare === 'off') this.setCompare('hold');
    else if (!on && this.compare === 'hold') this.setCompare('off');
  }

  toggleSplit(): void {
    this.setCompare(this.compare === 'split' ? 'off' : 'split');
  }

  setCompare(mode: CompareMode): void {
    this.compare = mode;
    this.controller?.setCompare(mode, this.split);
  }

  setSplit(position: number): void {
    this.split = Math.max(0, Math.min(1, position));
    if (this.compare === 'split') this.controller?.setCompare('split', this.split);
  }

  toggleOverlay(): void {
    this.setOverlayVisible(!this.overlayVisible);
  }

  setOverlayVisible(visible: boolean): void {
    this.overlayVisible = visible;
    this.controller?.setOverlay(visible);
  }

  toggleOverlayOutline(): void {
    this.overlayOutline = !this.overlayOutline;
    this.controller?.setOverlayStyle(this.overlayOutline ? 'outline' : 'fill');
    this.setOverlayVisible(true);
  }

  /** Steps through the marked regions (union of visible layers) in reading order, zooming to each. */
  nextMark(direction: 1 | -1): void {
    const editor = this.host.core;
    if (!editor || !this.controller) return;
    const mask = editor.restoreMask();
    const regions = markRegions(mask.data, editor.width, editor.contentBounds());
    if (regions.length === 0) return this.host.notify('info', 'Nothing marked to review');
    const step = stepRegion(regions, this.markCursor, direction);
    this.markCursor = step.index;
    this.showMark(step.rect, `Mark ${step.index + 1} of ${regions.length}`);
  }

  /** Zooms to a marked region and shows the marks, saying which one it is (next mark, the face warning). */
  showMark(rect: Rect, label: string): void {
    this.controller?.showRect(rect);
    this.setOverlayVisible(true);
    this.host.shell.status = label;
  }
}
