import { FabricObject } from 'fabric';
import type { Rect } from '../geometry';
import type { OverlayTiles } from '../render/overlay-tiles';

/*
 * The two kinds of things the canvas shows, as fabric objects in image
 * space (scene units = full-resolution photo pixels, origin at the photo's
 * top-left). They draw bitmaps the session owns; no state lives in them.
 */

const INERT = {
  left: 0,
  top: 0,
  strokeWidth: 0,
  selectable: false,
  evented: false,
  hasControls: false,
  hasBorders: false,
  objectCaching: false,
} as const;

/**
 * A photo version: an image element of any size (a downscaled preview or
 * the full view) stretched over the photo's full-resolution extent, with an
 * optional clip to the part left of `clipX` (the split compare view).
 */
export class BitmapObject extends FabricObject {
  source: CanvasImageSource | null = null;
  sourceWidth = 0;
  sourceHeight = 0;
  /** Image-space x right of which nothing is drawn; null: no clip. */
  clipX: number | null = null;
  /** Nearest-neighbour when zoomed in far, so pixels look like pixels. */
  smooth = true;
  /** A CSS filter drawn through (the live tone preview, render/tone-filter.ts); null: none. */
  filter: string | null = null;

  constructor(width: number, height: number) {
    super({ ...INERT, width, height });
  }

  setSource(source: CanvasImageSource, width: number, height: number): void {
    this.source = source;
    this.sourceWidth = width;
    this.sourceHeight = height;
  }

  override _render(ctx: CanvasRenderingContext2D): void {
    if (!this.source) return;
    const w = this.width;
    const h = this.height;
    ctx.translate(-w / 2, -h / 2);
    if (this.clipX !== null) {
      ctx.beginPath();
      ctx.rect(0, 0, Math.max(0, Math.min(w, this.clipX)), h);
      ctx.clip();
    }
    ctx.imageSmoothingEnabled = this.smooth;
    ctx.imageSmoothingQuality = 'high';
    if (this.filter) ctx.filter = this.filter;
    ctx.drawImage(this.source, 0, 0, this.sourceWidth, this.sourceHeight, 0, 0, w, h);
  }
}

/** The mask overlay: full-resolution tiles, drawn where they are on screen, at the overlay opacity. */
export class OverlayObject extends FabricObject {
  /** Image-space rectangle currently on screen (set by the scene before each render). */
  viewRect: Rect = { x0: 0, y0: 0, x1: 0, y1: 0 };

  constructor(
    width: number,
    height: number,
    private readonly tiles: OverlayTiles,
  ) {
    super({ ...INERT, width, height });
  }

  override _render(ctx: CanvasRenderingContext2D): void {
    ctx.translate(-this.width / 2, -this.height / 2);
    // Mask edges stay crisp when zoomed in; smoothing only softens them when zoomed out.
    ctx.imageSmoothingEnabled = this.smoothing;
    this.tiles.draw(ctx, this.viewRect);
  }

  smoothing = true;
}
