import { Canvas } from 'fabric';
import { EMPTY_RECT, intersectRect, isEmpty, unionRect, type Point, type Rect } from '../geometry';
import type { OverlayTiles } from '../render/overlay-tiles';
import type { ToolPreview } from '../tools/tool';
import { toScreen, type View } from '../view/viewport';
import { BitmapObject, OverlayObject } from './scene-objects';

export type CompareMode = 'off' | 'hold' | 'split';

/**
 * The fabric canvas of one open photo. It displays what the session tells
 * it (photo versions, the mask overlay, a tool's preview, the view
 * transform) and never holds document state. Scene coordinates are image
 * coordinates, so fabric's viewport transform is the whole view.
 */
export class EditorScene {
  readonly canvas: Canvas;
  private readonly photo: BitmapObject;
  private readonly before: BitmapObject;
  private readonly overlay: OverlayObject;
  private view: View = { zoom: 1, panX: 0, panY: 0 };
  private preview: ToolPreview = null;
  private compare: CompareMode = 'off';
  private splitX = 0.5;
  private overlayWanted = true;
  /** Image-space area waiting for a partial redraw, and its frame. */
  private dirty: Rect = EMPTY_RECT;
  private regionFrame = 0;

  constructor(
    element: HTMLCanvasElement,
    readonly width: number,
    readonly height: number,
    tiles: OverlayTiles,
  ) {
    this.canvas = new Canvas(element, {
      selection: false,
      skipTargetFind: true,
      enableRetinaScaling: true,
      renderOnAddRemove: false,
      stopContextMenu: true,
      fireMiddleClick: false,
      defaultCursor: 'default',
      hoverCursor: 'default',
      backgroundColor: '',
    });
    this.photo = new BitmapObject(width, height);
    this.before = new BitmapObject(width, height);
    this.before.visible = false;
    this.overlay = new OverlayObject(width, height, tiles);
    this.canvas.add(this.photo, this.before, this.overlay);
    this.canvas.on('after:render', () => this.drawPreview());
  }

  /** The element fabric listens on (the upper canvas): where pointer input comes from. */
  get inputElement(): HTMLCanvasElement {
    return this.canvas.upperCanvasEl;
  }

  /** CSS cursor over the canvas (fabric resets the element's own style, so set it through fabric). */
  setCursor(cursor: string): void {
    this.canvas.defaultCursor = cursor;
    this.canvas.hoverCursor = cursor;
    this.canvas.moveCursor = cursor;
    this.canvas.setCursor(cursor);
  }

  resize(cssWidth: number, cssHeight: number): void {
    this.canvas.setDimensions({ width: cssWidth, height: cssHeight });
    this.render();
  }

  setView(view: View): void {
    this.view = view;
    this.canvas.setViewportTransform([view.zoom, 0, 0, view.zoom, view.panX, view.panY]);
    // Past 2 screen pixels per photo pixel, show pixels as squares (as photo editors do).
    const smooth = view.zoom * (window.devicePixelRatio || 1) < 2;
    this.photo.smooth = smooth;
    this.before.smooth = smooth;
    this.overlay.smoothing = smooth;
    this.render();
  }

  setPhoto(source: CanvasImageSource, width: number, height: number): void {
    this.photo.setSource(source, width, height);
    this.render();
  }

  /** Draws the photo (not the original compared with it) through a CSS filter: the live tone preview. */
  setPhotoFilter(filter: string | null): void {
    if (filter === this.photo.filter) return;
    this.photo.filter = filter;
    this.render();
  }

  setBefore(source: CanvasImageSource, width: number, height: number): void {
    this.before.setSource(source, width, height);
    this.render();
  }

  setOverlay(visible: boolean, opacity: number): void {
    this.overlayWanted = visible;
    this.overlay.visible = visible && this.compare === 'off';
    this.overlay.opacity = opacity;
    this.render();
  }

  /** 'hold': the original everywhere; 'split': the original left of splitX (0-1 of the photo width). */
  setCompare(mode: CompareMode, splitX = this.splitX): void {
    this.compare = mode;
    this.splitX = splitX;
    this.before.visible = mode !== 'off';
    this.before.clipX = mode === 'split' ? splitX * this.width : null;
    // While comparing, the mask would hide exactly what is being compared.
    this.overlay.visible = this.overlayWanted && mode === 'off';
    this.render();
  }

  setPreview(preview: ToolPreview): void {
    this.preview = preview;
    this.drawPreview();
  }

  /** Schedules one full redraw on the next animation frame (many calls in a frame cost one render). */
  render(): void {
    this.dirty = EMPTY_RECT;
    this.overlay.viewRect = this.visibleImageRect();
    this.canvas.requestRenderAll();
  }

  /**
   * Schedules a redraw of just `rect` (image space) on the next frame: what a
   * brush stroke changed. Cost follows the rectangle, not the photo, which
   * keeps strokes on a 24 MP scan within a frame. A pending full render
   * covers it.
   */
  renderRegion(rect: Rect): void {
    if (isEmpty(rect)) return;
    this.dirty = unionRect(this.dirty, rect);
    if (this.regionFrame !== 0) return;
    this.regionFrame = requestAnimationFrame(() => {
      this.regionFrame = 0;
      const region = this.dirty;
      this.dirty = EMPTY_RECT;
      if (!isEmpty(region) && !this.fullRenderPending()) this.drawRegion(region);
    });
  }

  /** The part of the photo on screen, image space, whole pixels. */
  visibleImageRect(): Rect {
    const { zoom, panX, panY } = this.view;
    const w = this.canvas.getWidth();
    const h = this.canvas.getHeight();
    return intersectRect(
      { x0: Math.floor(-panX / zoom), y0: Math.floor(-panY / zoom), x1: Math.ceil((w - panX) / zoom), y1: Math.ceil((h - panY) / zoom) },
      { x0: 0, y0: 0, x1: this.width, y1: this.height },
    );
  }

  /**
   * Redraws the photo, the original (when comparing) and the overlay inside
   * `rect` only, with fabric's own object renderers on its canvas, clipped;
   * the same pixels a full render would produce there.
   */
  private drawRegion(rect: Rect): void {
    // One extra photo pixel around the edges covers smoothing bleed, plus a screen pixel when zoomed out.
    const pad = 1 + 1 / this.view.zoom;
    const r = intersectRect(
      { x0: Math.floor(rect.x0 - pad), y0: Math.floor(rect.y0 - pad), x1: Math.ceil(rect.x1 + pad), y1: Math.ceil(rect.y1 + pad) },
      this.visibleImageRect(),
    );
    if (isEmpty(r)) return;
    const ctx = this.canvas.getContext();
    const { zoom, panX, panY } = this.view;
    ctx.save();
    ctx.transform(zoom, 0, 0, zoom, panX, panY);
    ctx.beginPath();
    ctx.rect(r.x0, r.y0, r.x1 - r.x0, r.y1 - r.y0);
    ctx.clip();
    ctx.clearRect(r.x0, r.y0, r.x1 - r.x0, r.y1 - r.y0);
    this.overlay.viewRect = r;
    for (const object of [this.photo, this.before, this.overlay]) if (object.visible) object.render(ctx);
    this.overlay.viewRect = this.visibleImageRect();
    ctx.restore();
  }

  private fullRenderPending(): boolean {
    // fabric keeps the id of its scheduled frame here; no public getter exists.
    return Boolean((this.canvas as unknown as { nextRenderHandle?: number }).nextRenderHandle);
  }

  dispose(): void {
    cancelAnimationFrame(this.regionFrame);
    void this.canvas.dispose();
  }

  /** Lasso path or rectangle on fabric's top canvas, in screen space over the view. */
  private drawPreview(): void {
    const ctx = this.canvas.contextTop;
    this.canvas.clearContext(ctx);
    const p = this.preview;
    if (!p) return;
    const pts: Point[] =
      p.kind === 'rect'
        ? [p.a, { x: p.b.x, y: p.a.y }, p.b, { x: p.a.x, y: p.b.y }].map((q) => toScreen(this.view, q))
        : p.points.map((q) => toScreen(this.view, q));
    if (pts.length === 0) return;
    ctx.save();
    ctx.beginPath();
    ctx.moveTo(pts[0]!.x, pts[0]!.y);
    for (const q of pts.slice(1)) ctx.lineTo(q.x, q.y);
    ctx.closePath();
    ctx.fillStyle = p.erase ? 'rgb(20 20 24 / 35%)' : 'rgb(216 164 74 / 18%)';
    ctx.fill();
    // Marching-ants style outline readable on any photo: dark under light.
    ctx.lineWidth = 3;
    ctx.strokeStyle = 'rgb(0 0 0 / 70%)';
    ctx.stroke();
    ctx.lineWidth = 1.25;
    ctx.setLineDash([6, 4]);
    ctx.strokeStyle = p.erase ? '#ffffff' : '#f0c56a';
    ctx.stroke();
    ctx.restore();
  }
}
