import { describe, expect, it } from 'vitest';
import { MaskBitmap } from './mask-bitmap';
import { clearMask, fillPolygon, fillRect, invertMask, stampSegment } from './rasterize';

function rows(mask: MaskBitmap): string[] {
  const out: string[] = [];
  for (let y = 0; y < mask.height; y++) out.push([...mask.data.subarray(y * mask.width, (y + 1) * mask.width)].map((v) => (v ? '#' : '.')).join(''));
  return out;
}

describe('stampSegment', () => {
  it('stamps a disc of the radius around a point (pixel centres inside)', () => {
    const mask = new MaskBitmap(9, 9);
    const rect = stampSegment(mask, { x: 4.5, y: 4.5 }, { x: 4.5, y: 4.5 }, 2, 1);
    expect(rows(mask)).toEqual([
      '.........',
      '.........',
      '....#....',
      '...###...',
      '..#####..',
      '...###...',
      '....#....',
      '.........',
      '.........',
    ]);
    expect(rect).toEqual({ x0: 2, y0: 2, x1: 7, y1: 7 });
  });

  it('paints a gapless capsule along a segment and erases with 0', () => {
    const mask = new MaskBitmap(20, 5);
    stampSegment(mask, { x: 2.5, y: 2.5 }, { x: 17.5, y: 2.5 }, 1, 1);
    expect(rows(mask)[2]).toBe('.##################.');
    expect(mask.count()).toBe(16 + 16 + 18);
    stampSegment(mask, { x: 10.5, y: 2.5 }, { x: 10.5, y: 2.5 }, 0.5, 0);
    expect(rows(mask)[2]).toBe('.#########.########.');
  });

  it('clips to the photo and reports nothing for a stroke fully outside', () => {
    const mask = new MaskBitmap(10, 10);
    expect(stampSegment(mask, { x: -50, y: -50 }, { x: -40, y: -40 }, 3, 1)).toEqual({ x0: 0, y0: 0, x1: 0, y1: 0 });
    const rect = stampSegment(mask, { x: 0, y: 0 }, { x: 0, y: 0 }, 3, 1);
    expect(rect).toEqual({ x0: 0, y0: 0, x1: 3, y1: 3 });
    expect(mask.count()).toBeGreaterThan(0);
  });
});

describe('fillPolygon', () => {
  it('fills a triangle by pixel centres and returns the changed rows only', () => {
    const mask = new MaskBitmap(8, 8);
    const rect = fillPolygon(mask, [{ x: 0, y: 0 }, { x: 8, y: 0 }, { x: 0, y: 8 }], 1);
    expect(rows(mask)).toEqual(['#######.', '######..', '#####...', '####....', '###.....', '##......', '#.......', '........']);
    expect(rect).toEqual({ x0: 0, y0: 0, x1: 7, y1: 7 });
  });

  it('uses even-odd for self-crossing shapes and needs three points', () => {
    const mask = new MaskBitmap(6, 6);
    expect(fillPolygon(mask, [{ x: 0, y: 0 }, { x: 5, y: 5 }], 1)).toEqual({ x0: 0, y0: 0, x1: 0, y1: 0 });
    // A bow tie: both lobes fill; around the crossing the even-odd rule leaves a gap.
    fillPolygon(mask, [{ x: 0, y: 0 }, { x: 6, y: 6 }, { x: 6, y: 0 }, { x: 0, y: 6 }], 1);
    expect(rows(mask)[2]).toBe('##.###');
    expect(rows(mask)[3]).toBe('##.###');
  });
});

describe('fillRect, clear and invert', () => {
  it('fills between two corners in any order, clipped', () => {
    const mask = new MaskBitmap(5, 4);
    expect(fillRect(mask, { x: 4, y: 3 }, { x: 1, y: 1 }, 1)).toEqual({ x0: 1, y0: 1, x1: 4, y1: 3 });
    expect(rows(mask)).toEqual(['.....', '.###.', '.###.', '.....']);
    fillRect(mask, { x: -5, y: -5 }, { x: 100, y: 1 }, 1);
    expect(rows(mask)[0]).toBe('#####');
  });

  it('invert flips every pixel; clear empties and reports the old bounds', () => {
    const mask = new MaskBitmap(4, 3);
    fillRect(mask, { x: 1, y: 1 }, { x: 3, y: 2 }, 1);
    invertMask(mask);
    expect(mask.count()).toBe(12 - 2);
    expect(clearMask(mask)).toEqual({ x0: 0, y0: 0, x1: 4, y1: 3 });
    expect(mask.count()).toBe(0);
    expect(clearMask(mask)).toEqual({ x0: 0, y0: 0, x1: 0, y1: 0 });
  });
});
