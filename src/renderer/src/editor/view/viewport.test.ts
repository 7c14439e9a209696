import { describe, expect, it } from 'vitest';
import { constrainPan, fitView, MAX_FIT_ZOOM, steppedZoom, toImage, toScreen, zoomAt, zoomLabel } from './viewport';

describe('viewport math', () => {
  it('fits a large photo inside the margin, centred, and enlarges a small one up to MAX_FIT_ZOOM', () => {
    const fit = fitView({ width: 6000, height: 4000 }, { width: 1048, height: 748 });
    expect(fit.zoom).toBeCloseTo(1000 / 6000);
    expect(toScreen(fit, { x: 3000, y: 2000 })).toEqual({ x: 524, y: 374 });
    expect(fitView({ width: 400, height: 300 }, { width: 1048, height: 748 }).zoom).toBeCloseTo(700 / 300);
    expect(fitView({ width: 40, height: 30 }, { width: 1048, height: 748 }).zoom).toBe(MAX_FIT_ZOOM);
  });

  it('zooms about the pointer: the image point under it stays put', () => {
    const view = { zoom: 0.5, panX: 10, panY: 20 };
    const anchor = { x: 300, y: 200 };
    const before = toImage(view, anchor);
    const zoomed = zoomAt(view, 2, anchor);
    const after = toImage(zoomed, anchor);
    expect(after.x).toBeCloseTo(before.x);
    expect(after.y).toBeCloseTo(before.y);
    expect(zoomAt(view, 1000, anchor).zoom).toBe(32);
  });

  it('steps through photo-editor zoom stops', () => {
    expect(steppedZoom(1, 1)).toBe(1.5);
    expect(steppedZoom(1, -1)).toBe(0.6667);
    expect(steppedZoom(0.7, -1)).toBe(0.6667);
    expect(steppedZoom(32, 1)).toBe(32);
  });

  it('keeps part of the photo on screen however far it is panned', () => {
    const image = { width: 1000, height: 1000 };
    const viewport = { width: 800, height: 600 };
    const lost = constrainPan({ zoom: 1, panX: 5000, panY: -5000 }, image, viewport);
    expect(lost.panX).toBe(800 - 48);
    expect(lost.panY).toBe(48 - 1000);
  });

  it('labels zoom as a percentage', () => {
    expect([zoomLabel(1), zoomLabel(1 / 6), zoomLabel(0.05), zoomLabel(16)]).toEqual(['100 %', '17 %', '5 %', '1600 %']);
  });
});
