import { intersectRect, isEmpty, rectHeight, rectWidth, type Rect } from '../geometry';
import { outlineOf } from './outline';

/** What the overlay needs of each layer, bottom to top. */
export interface OverlayLayer {
  readonly color: string;
  readonly visible: boolean;
  /** The layer's mask: width*height bytes, 1 = masked (MaskBitmap.data). */
  readonly data: Uint8Array;
}

const TILE = 512;

/**
 * 'fill': marks are tinted with their layer's colour (drawn at the overlay
 * opacity). 'outline': the high-contrast review mode: only a band `width`
 * photo px wide along each mark's edge, dashed in the layer colour and
 * black, so it reads on sepia, on faces and on pale garments alike, and the
 * photo under the marks stays visible.
 */
export type OverlayStyle = { readonly mode: 'fill' } | { readonly mode: 'outline'; readonly width: number };

/**
 * The coloured mask overlay at full photo resolution, kept as 512 px tile
 * canvases created only where some layer has pixels. Each overlay pixel is
 * the colour of the topmost visible layer masking it (opaque), or clear; the
 * overlay's opacity is applied when it is drawn. Updating a stroke's
 * rectangle costs about that rectangle; drawing costs the tiles on screen.
 */
export class OverlayTiles {
  private readonly tiles = new Map<number, HTMLCanvasElement>();
  private readonly tilesX: number;
  style: OverlayStyle = { mode: 'fill' };

  constructor(
    readonly width: number,
    readonly height: number,
    private readonly createCanvas: (w: number, h: number) => HTMLCanvasElement = defaultCanvas,
  ) {
    this.tilesX = Math.ceil(width / TILE);
  }

  /** Recomputes the overlay inside `rect` (image space) from the layers. */
  update(rect: Rect, layers: readonly OverlayLayer[]): void {
    const r = intersectRect(rect, { x0: 0, y0: 0, x1: this.width, y1: this.height });
    if (isEmpty(r)) return;
    const colours = layers.map((l) => parseColour(l.color));
    const visible = layers.map((l, i) => ({ data: l.data, rgba: colours[i]!, on: l.visible })).filter((l) => l.on).reverse();
    for (let ty = Math.floor(r.y0 / TILE); ty <= Math.floor((r.y1 - 1) / TILE); ty++) {
      for (let tx = Math.floor(r.x0 / TILE); tx <= Math.floor((r.x1 - 1) / TILE); tx++) {
        const tileRect = { x0: tx * TILE, y0: ty * TILE, x1: Math.min(this.width, (tx + 1) * TILE), y1: Math.min(this.height, (ty + 1) * TILE) };
        this.updateTile(ty * this.tilesX + tx, tileRect, intersectRect(r, tileRect), visible);
      }
    }
  }

  /**
   * Draws the tiles overlapping `view` (image space) onto ctx, which is
   * already transformed so that one unit is one photo pixel.
   */
  draw(ctx: CanvasRenderingContext2D, view: Rect): void {
    for (const [index, canvas] of this.tiles) {
      const x = (index % this.tilesX) * TILE;
      const y = Math.floor(index / this.tilesX) * TILE;
      if (x >= view.x1 || y >= view.y1 || x + canvas.width <= view.x0 || y + canvas.height <= view.y0) continue;
      ctx.drawImage(canvas, x, y);
    }
  }

  get tileCount(): number {
    return this.tiles.size;
  }

  clear(): void {
    this.tiles.clear();
  }

  private updateTile(index: number, tileRect: Rect, r: Rect, layers: readonly { data: Uint8Array; rgba: Rgba }[]): void {
    const w = rectWidth(r);
    const h = rectHeight(r);
    const image = new ImageData(w, h);
    const px = new Uint32Array(image.data.buffer);
    const style = this.style;
    // Outline mode: which pixels of r lie on a mark's edge (r-sized, 1 = edge).
    const edge = style.mode === 'outline' ? outlineOf(layers.map((l) => l.data), this.width, this.height, r, style.width) : null;
    const dash = style.mode === 'outline' ? 4 * style.width : 0;
    let any = false;
    for (let y = r.y0; y < r.y1; y++) {
      const src = y * this.width;
      const dst = (y - r.y0) * w - r.x0;
      for (let x = r.x0; x < r.x1; x++) {
        if (edge && !edge[dst + x]) continue;
        for (const layer of layers) {
          if (layer.data[src + x]) {
            px[dst + x] = edge && Math.floor((x + y) / dash) % 2 === 1 ? BLACK : layer.rgba;
            any = true;
            break;
          }
        }
      }
    }
    let canvas = this.tiles.get(index);
    if (!canvas) {
      if (!any) return;
      canvas = this.createCanvas(rectWidth(tileRect), rectHeight(tileRect));
      this.tiles.set(index, canvas);
    }
    canvas.getContext('2d')!.putImageData(image, r.x0 - tileRect.x0, r.y0 - tileRect.y0);
  }
}

type Rgba = number;

const BLACK: Rgba = 0xff000000;

/** "#rrggbb" -> an opaque RGBA pixel as a little-endian Uint32 (ImageData byte order R, G, B, A). */
function parseColour(hex: string): Rgba {
  const v = Number.parseInt(hex.slice(1), 16);
  const r = (v >> 16) & 255;
  const g = (v >> 8) & 255;
  const b = v & 255;
  return ((255 << 24) | (b << 16) | (g << 8) | r) >>> 0;
}

function defaultCanvas(w: number, h: number): HTMLCanvasElement {
  const canvas = document.createElement('canvas');
  canvas.width = w;
  canvas.height = h;
  return canvas;
}
