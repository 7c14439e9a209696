import type { Editor } from '../editor';
import type { Refusal } from '../refusal';
import { EditorScene, type CompareMode } from '../fabric/editor-scene';
import { attachPointerInput } from '../fabric/pointer-adapter';
import { EMPTY_RECT, isEmpty, rectHeight, rectWidth, unionRect, type Point, type Rect } from '../geometry';
import type { MaskEdit } from '../history/mask-edit';
import { OverlayTiles, type OverlayStyle } from '../render/overlay-tiles';
import { ToneFilter } from '../render/tone-filter';
import { createTool } from '../tools/create-tool';
import type { SnapGesture, Tool, ToolHost, ToolId, ToolPreview } from '../tools/tool';
import { clampZoom, constrainPan, fitView, steppedZoom, zoomAt, type Size, type View } from '../view/viewport';

export interface CanvasCallbacks {
  viewChanged(view: View): void;
  refused(reason: string): void;
  hover(at: Point | null): void;
  panningChanged(panning: boolean): void;
  /** A gesture or command changed the document (history, coverage). */
  edited(): void;
  /** The overlay was shown again because someone painted while it was hidden. */
  overlayShown(): void;
  spaceHeld(): boolean;
  brushWheel(direction: 1 | -1): void;
  /** A snap-mode brush gesture ended: find the damage under it (see ToolHost.snap). */
  snap(gesture: SnapGesture): void;
}

/** The most "next mark" zooms in: enough to judge a speck, not so much that its surroundings vanish. */
const MAX_REVIEW_ZOOM = 4;

/** Outline band in photo px for a zoom: about two screen pixels, at most 16 photo pixels. */
function outlineWidth(zoom: number): number {
  return Math.max(1, Math.min(16, Math.round(2 / zoom)));
}

/**
 * Connects one open photo's Editor (the document) to its EditorScene (the
 * fabric canvas): feeds pointer input to the active tool, redraws the
 * overlay where the document changed, owns the view transform. Plain
 * TypeScript; the session mirrors what components need in runes.
 */
export class CanvasController implements ToolHost {
  readonly scene: EditorScene;
  private readonly tiles: OverlayTiles;
  private tool: Tool;
  private view: View = { zoom: 1, panX: 0, panY: 0 };
  private viewport: Size = { width: 0, height: 0 };
  private fitted = false;
  /** The view is Fit's, untouched since: a resize fits again instead of keeping the zoom. */
  private showingFit = false;
  /** Brush diameter in photo pixels. */
  brushSize = 20;
  /** The brush snaps to damage ("Snap to damage"); the eraser never does. */
  snapMode = false;
  private readonly detach: () => void;
  private readonly unsubscribe: () => void;
  private layerStyle = '';
  /** Content bounds at the last restyle, so pixels of a deleted layer get cleared too. */
  private lastContent: Rect = EMPTY_RECT;
  overlayVisible = true;
  private overlayMode: OverlayStyle['mode'] = 'fill';
  private readonly toneFilter = new ToneFilter();

  constructor(
    readonly editor: Editor,
    element: HTMLCanvasElement,
    private readonly callbacks: CanvasCallbacks,
  ) {
    this.tiles = new OverlayTiles(editor.width, editor.height);
    this.scene = new EditorScene(element, editor.width, editor.height, this.tiles);
    this.tool = createTool('brush', this);
    this.unsubscribe = editor.subscribe((change) => {
      const style = this.styleKey();
      let full = change.layers || change.image;
      if (style !== this.layerStyle) {
        this.layerStyle = style;
        const now = this.editor.contentBounds();
        this.redrawOverlay(unionRect(this.lastContent, now));
        this.lastContent = now;
        full = true;
      }
      for (const p of change.pixels) {
        this.redrawOverlay(p.rect);
        // Strokes redraw only where they painted; everything else redraws the view.
        if (!full) this.scene.renderRegion(this.overlayReach(p.rect));
      }
      if (change.layers) this.scene.setOverlay(this.overlayVisible, this.overlayOpacity());
      else if (full) this.scene.render();
    });
    this.layerStyle = this.styleKey();
    this.lastContent = editor.contentBounds();
    this.redrawOverlay(this.lastContent);
    this.detach = attachPointerInput(this.scene, {
      tool: (event) => this.tool.handle(event),
      pan: (dx, dy) => this.setView({ ...this.view, panX: this.view.panX + dx, panY: this.view.panY + dy }),
      zoomAt: (factor, at) => this.setView(zoomAt(this.view, clampZoom(this.view.zoom * factor), at)),
      brushWheel: (d) => callbacks.brushWheel(d),
      hover: (at) => callbacks.hover(at),
      panningChanged: (p) => callbacks.panningChanged(p),
      spaceHeld: () => callbacks.spaceHeld(),
    });
  }

  get toolId(): ToolId {
    return this.tool.id;
  }

  get toolState(): string {
    return this.tool.state;
  }

  get currentView(): View {
    return this.view;
  }

  setTool(id: ToolId): void {
    if (id === this.tool.id) return;
    this.tool.handle({ type: 'cancel' });
    this.tool = createTool(id, this);
  }

  /** Escape: rolls back a gesture in progress; false when there was none. */
  cancelGesture(): boolean {
    if (this.tool.state === 'idle') return false;
    this.tool.handle({ type: 'cancel' });
    return true;
  }

  // ---- view -------------------------------------------------------------------

  /**
   * The canvas changed size (window resize, panels shown or hidden). A fitted
   * photo is fitted again; otherwise what was in the middle stays in the middle.
   */
  setViewportSize(width: number, height: number): void {
    if (width <= 0 || height <= 0) return;
    const old = this.viewport;
    this.viewport = { width, height };
    this.scene.resize(width, height);
    if (!this.fitted || this.showingFit) {
      this.fitted = true;
      this.fit();
    } else {
      const v = this.view;
      this.setView({ zoom: v.zoom, panX: v.panX + (width - old.width) / 2, panY: v.panY + (height - old.height) / 2 });
    }
  }

  fit(): void {
    this.setView(fitView({ width: this.editor.width, height: this.editor.height }, this.viewport), false);
    this.showingFit = true;
  }

  /** 100 %, centred on the middle of the viewport. */
  actualSize(): void {
    this.zoomTo(1);
  }

  zoomStep(direction: 1 | -1): void {
    this.zoomTo(steppedZoom(this.view.zoom, direction));
  }

  zoomTo(zoom: number): void {
    this.setView(zoomAt(this.view, zoom, { x: this.viewport.width / 2, y: this.viewport.height / 2 }));
  }

  setView(view: View, constrain = true): void {
    this.showingFit = false;
    this.view = constrain ? constrainPan(view, { width: this.editor.width, height: this.editor.height }, this.viewport) : view;
    this.scene.setView(this.view);
    this.applyOverlayStyle(false);
    this.callbacks.viewChanged(this.view);
  }

  /** Zooms to a region with room around it (at least fit, at most 400 %) and centres it. */
  showRect(r: Rect): void {
    if (isEmpty(r)) return;
    const margin = Math.max(24, 0.5 * Math.max(rectWidth(r), rectHeight(r)));
    const fit = fitView({ width: this.editor.width, height: this.editor.height }, this.viewport).zoom;
    const wanted = Math.min(this.viewport.width / (rectWidth(r) + 2 * margin), this.viewport.height / (rectHeight(r) + 2 * margin));
    const zoom = clampZoom(Math.max(fit, Math.min(MAX_REVIEW_ZOOM, wanted)));
    const cx = (r.x0 + r.x1) / 2;
    const cy = (r.y0 + r.y1) / 2;
    this.setView({ zoom, panX: this.viewport.width / 2 - cx * zoom, panY: this.viewport.height / 2 - cy * zoom });
  }

  // ---- display ------------------------------------------------------------------

  setOverlay(visible: boolean): void {
    this.overlayVisible = visible;
    this.scene.setOverlay(visible, this.overlayOpacity());
  }

  /** 'outline': the high-contrast review mode (see OverlayStyle). */
  setOverlayStyle(mode: OverlayStyle['mode']): void {
    this.overlayMode = mode;
    this.applyOverlayStyle(true);
  }

  /** The live tone preview's colour matrix (restore/tone-preview.ts) over the photo; null: none. */
  setToneMatrix(matrix: readonly number[] | null): void {
    this.scene.setPhotoFilter(this.toneFilter.set(matrix));
  }

  setCompare(mode: CompareMode, split?: number): void {
    this.scene.setCompare(mode, split);
  }

  setCursor(cursor: string): void {
    this.scene.setCursor(cursor);
  }

  // ---- ToolHost ---------------------------------------------------------------------

  beginEdit(): MaskEdit | Refusal {
    return this.editor.beginEdit();
  }

  painted(edit: MaskEdit, rect: Rect): void {
    if (!this.overlayVisible) {
      this.setOverlay(true);
      this.callbacks.overlayShown();
    }
    this.editor.notifyEditing(edit, rect);
  }

  commit(edit: MaskEdit, label: string): void {
    if (this.editor.endEdit(edit, label)) this.callbacks.edited();
  }

  cancel(edit: MaskEdit): void {
    this.editor.cancelEdit(edit);
  }

  refuse(refusal: Refusal): void {
    this.callbacks.refused(refusal.reason);
  }

  preview(preview: ToolPreview): void {
    this.scene.setPreview(preview);
  }

  brushRadius(): number {
    return this.brushSize / 2;
  }

  minStep(): number {
    return 2 / this.view.zoom;
  }

  snapping(): boolean {
    return this.snapMode;
  }

  snap(gesture: SnapGesture): void {
    this.callbacks.snap(gesture);
  }

  dispose(): void {
    this.detach();
    this.unsubscribe();
    this.scene.dispose();
    this.tiles.clear();
    this.toneFilter.dispose();
  }

  // ---- internals ----------------------------------------------------------------------

  /** Recomposites the overlay for the view's zoom: the outline band stays about two screen pixels wide. */
  private applyOverlayStyle(force: boolean): void {
    const style: OverlayStyle = this.overlayMode === 'outline' ? { mode: 'outline', width: outlineWidth(this.view.zoom) } : { mode: 'fill' };
    const now = this.tiles.style;
    if (!force && style.mode === now.mode && (style.mode === 'fill' || (now.mode === 'outline' && now.width === style.width))) return;
    this.tiles.style = style;
    this.redrawOverlay(this.editor.contentBounds());
    this.scene.setOverlay(this.overlayVisible, this.overlayOpacity());
  }

  /** Outlines are drawn opaque: a half-transparent outline would lose the contrast it is for. */
  private overlayOpacity(): number {
    return this.overlayMode === 'outline' ? 1 : this.editor.overlayOpacity;
  }

  /** What a change of `rect` can alter on the overlay: outlines reach their band width beyond it. */
  private overlayReach(rect: Rect): Rect {
    const style = this.tiles.style;
    if (style.mode === 'fill' || isEmpty(rect)) return rect;
    const b = style.width;
    return { x0: rect.x0 - b, y0: rect.y0 - b, x1: rect.x1 + b, y1: rect.y1 + b };
  }

  private redrawOverlay(rect: Rect): void {
    if (isEmpty(rect)) return;
    this.tiles.update(
      this.overlayReach(rect),
      this.editor.layers.map((l) => ({ color: l.color, visible: l.visible, data: this.editor.mask(l.id).data })),
    );
  }

  /** Layer order, colours and visibility: when these change the whole overlay is recomposited. */
  private styleKey(): string {
    return this.editor.layers.map((l) => `${l.id}:${l.color}:${l.visible ? 1 : 0}`).join('|');
  }
}
