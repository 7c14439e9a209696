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

describe('stampSegment matches the distance rule exactly', () => {
  it('for random segments, radii and clipping', () => {
    let seed = 42;
    const rnd = () => {
      seed = (seed * 1103515245 + 12345) >>> 0;
      return seed / 2 ** 32;
    };
    for (let n = 0; n < 200; n++) {
      const mask = new MaskBitmap(40, 30);
      const a = { x: rnd() * 50 - 5, y: rnd() * 40 - 5 };
      const b = n % 5 === 0 ? a : { x: rnd() * 50 - 5, y: n % 7 === 0 ? a.y : rnd() * 40 - 5 };
      const r = 0.5 + rnd() * 8;
      stampSegment(mask, a, b, r, 1);
      for (let y = 0; y < 30; y++) {
        for (let x = 0; x < 40; x++) {
          const p = { x: x + 0.5, y: y + 0.5 };
          const dx = b.x - a.x;
          const dy = b.y - a.y;
          const len2 = dx * dx + dy * dy;
          const t = len2 > 0 ? Math.max(0, Math.min(1, ((p.x - a.x) * dx + (p.y - a.y) * dy) / len2)) : 0;
          const d = Math.hypot(p.x - (a.x + t * dx), p.y - (a.y + t * dy));
          // Pixel centres within a hair of the edge may go either way (floating point).
          if (Math.abs(d - r) < 1e-9) continue;
          if (mask.data[y * 40 + x] !== (d <= r ? 1 : 0)) throw new Error(`segment ${n}: pixel ${x},${y} d=${d} r=${r}`);
        }
      }
    }
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
