import type { Point } from '../geometry';

/**
 * The view transform, as plain numbers: screen = image * zoom + pan, in CSS
 * pixels of the canvas element (fabric's viewport transform is
 * [zoom, 0, 0, zoom, panX, panY]). Zoom 1 is 100 %: one photo pixel per CSS
 * pixel (the canvas renders at device resolution, so it stays crisp on
 * high-DPI screens).
 */
export interface View {
  readonly zoom: number;
  readonly panX: number;
  readonly panY: number;
}

export interface Size {
  readonly width: number;
  readonly height: number;
}

export const MIN_ZOOM = 0.01;
export const MAX_ZOOM = 32;
/** Photo-editor zoom stops for +/- (and the toolbar buttons). */
export const ZOOM_STOPS = [0.02, 0.03, 0.05, 0.0625, 0.0833, 0.125, 0.1667, 0.25, 0.3333, 0.5, 0.6667, 1, 1.5, 2, 3, 4, 6, 8, 12, 16, 24, 32];
/** Space kept around the photo when fitting, CSS px. */
export const FIT_MARGIN = 24;

export function clampZoom(zoom: number): number {
  return Math.min(MAX_ZOOM, Math.max(MIN_ZOOM, zoom));
}

/**
 * How far Fit may enlarge a small scan: a 400 px print fills the window, while a
 * thumbnail-sized crop does not turn into a few giant blocks.
 */
export const MAX_FIT_ZOOM = 8;

/** The whole photo centred in the viewport, as large as fits (small scans enlarged up to MAX_FIT_ZOOM). */
export function fitView(image: Size, viewport: Size, margin = FIT_MARGIN): View {
  const availW = Math.max(1, viewport.width - 2 * margin);
  const availH = Math.max(1, viewport.height - 2 * margin);
  const zoom = clampZoom(Math.min(MAX_FIT_ZOOM, availW / image.width, availH / image.height));
  return centred(image, viewport, zoom);
}

/** The photo at `zoom`, centred. */
export function centred(image: Size, viewport: Size, zoom: number): View {
  return { zoom, panX: (viewport.width - image.width * zoom) / 2, panY: (viewport.height - image.height * zoom) / 2 };
}

/** Zooms to `zoom` keeping the image point under `anchor` (screen px) where it is. */
export function zoomAt(view: View, zoom: number, anchor: Point): View {
  const z = clampZoom(zoom);
  const ix = (anchor.x - view.panX) / view.zoom;
  const iy = (anchor.y - view.panY) / view.zoom;
  return { zoom: z, panX: anchor.x - ix * z, panY: anchor.y - iy * z };
}

/** The next zoom stop above (+1) or below (-1) the current zoom. */
export function steppedZoom(zoom: number, direction: 1 | -1): number {
  const eps = 1e-3;
  if (direction > 0) return ZOOM_STOPS.find((z) => z > zoom * (1 + eps)) ?? MAX_ZOOM;
  return [...ZOOM_STOPS].reverse().find((z) => z < zoom * (1 - eps)) ?? MIN_ZOOM;
}

/** Wheel delta (pixels) to a zoom factor: smooth for trackpads, about 10 % per mouse notch. */
export function wheelZoomFactor(deltaY: number): number {
  return Math.exp(-deltaY * 0.0015);
}

/**
 * Keeps at least `keep` CSS px of the photo on screen, so panning can never
 * lose it off an edge.
 */
export function constrainPan(view: View, image: Size, viewport: Size, keep = 48): View {
  const w = image.width * view.zoom;
  const h = image.height * view.zoom;
  const panX = Math.min(viewport.width - Math.min(keep, w), Math.max(Math.min(keep, w) - w, view.panX));
  const panY = Math.min(viewport.height - Math.min(keep, h), Math.max(Math.min(keep, h) - h, view.panY));
  return { zoom: view.zoom, panX, panY };
}

export function toImage(view: View, screen: Point): Point {
  return { x: (screen.x - view.panX) / view.zoom, y: (screen.y - view.panY) / view.zoom };
}

export function toScreen(view: View, image: Point): Point {
  return { x: image.x * view.zoom + view.panX, y: image.y * view.zoom + view.panY };
}

/** "33 %", "100 %", "1600 %". */
export function zoomLabel(zoom: number): string {
  const pct = zoom * 100;
  return `${pct >= 10 ? Math.round(pct) : pct.toFixed(1).replace(/\.0$/, '')} %`;
}
