import { describe, expect, it } from 'vitest';
import { planCrops } from './crop-plan';
import type { BinaryMask } from './mask';

function blankMask(width: number, height: number): BinaryMask {
  return { width, height, data: new Uint8Array(width * height) };
}
function fillRect(mask: BinaryMask, x0: number, y0: number, x1: number, y1: number): void {
  for (let y = y0; y < y1; y++) mask.data.fill(1, y * mask.width + x0, y * mask.width + x1);
}
const opts = { inputMultiple: 32, maxSide: 512 };

/** Every masked pixel must be in exactly one crop's core, and every region must fit the network. */
function expectValidPlan(mask: BinaryMask, jobs: ReturnType<typeof planCrops>): void {
  const owners = new Uint8Array(mask.data.length);
  for (const j of jobs) {
    expect(j.netWidth % 32).toBe(0);
    expect(j.netHeight % 32).toBe(0);
    expect(Math.max(j.netWidth, j.netHeight)).toBeLessThanOrEqual(512);
    expect(j.region.x0).toBeLessThanOrEqual(j.core.x0);
    expect(j.region.x1).toBeGreaterThanOrEqual(j.core.x1);
    for (let y = j.core.y0; y < j.core.y1; y++) for (let x = j.core.x0; x < j.core.x1; x++) owners[y * mask.width + x]++;
  }
  let wrong = 0;
  for (let i = 0; i < mask.data.length; i++) if (mask.data[i] && owners[i] !== 1) wrong++;
  expect(wrong).toBe(0);
}

describe('planCrops', () => {
  it('gives each separate speck its own full-resolution crop with context, grown to the multiple', () => {
    const mask = blankMask(1000, 800);
    fillRect(mask, 100, 100, 104, 104);
    fillRect(mask, 800, 600, 806, 603);
    const jobs = planCrops(mask, opts);
    expect(jobs).toHaveLength(2);
    expect(jobs.every((j) => j.strategy === 'whole' && j.scale === 1)).toBe(true);
    // A speck less than a cell thick gets thin damage's context: its 8-px cell + 2 x 24 = 56 -> grown to 64 of real context.
    expect(jobs[0]!.region.x1 - jobs[0]!.region.x0).toBe(64);
    expect(jobs[0]!.netWidth).toBe(64);
    expectValidPlan(mask, jobs);
  });

  it('merges regions whose context overlaps into one crop', () => {
    const mask = blankMask(600, 400);
    fillRect(mask, 100, 100, 104, 104);
    fillRect(mask, 150, 120, 154, 124);
    expect(planCrops(mask, opts)).toHaveLength(1);
  });

  it('tiles a long thin scratch at full resolution instead of shrinking it', () => {
    const mask = blankMask(3000, 400);
    fillRect(mask, 10, 200, 2990, 203);
    const jobs = planCrops(mask, opts);
    expect(jobs.length).toBeGreaterThan(5);
    expect(jobs.every((j) => j.strategy === 'tile' && j.scale === 1)).toBe(true);
    expectValidPlan(mask, jobs);
  });

  it('covers long thin damage with network pixels in proportion to the damage, not to the photo', () => {
    // A 12 MP scan with three long wavy scratches (3-5 px), a diagonal hairline and 40 dust specks: 0.3 % of it.
    const mask = blankMask(4000, 3000);
    for (const [s, x0] of [600, 2000, 3400].entries()) {
      for (let y = 0; y < 3000; y++) {
        const x = Math.round(x0 + 120 * Math.sin(y / 1000));
        fillRect(mask, x, y, x + 3 + s, y + 1);
      }
    }
    for (let t = 0; t < 2500; t++) fillRect(mask, 300 + t, 200 + Math.round(t * 0.8), 302 + t, 201 + Math.round(t * 0.8));
    for (let d = 0; d < 40; d++) fillRect(mask, (d * 997) % 3990, (d * 631) % 2990, ((d * 997) % 3990) + 5, ((d * 631) % 2990) + 5);
    const jobs = planCrops(mask, { ...opts, holeReach: 128 });
    expectValidPlan(mask, jobs);
    const network = jobs.reduce((a, j) => a + j.netWidth * j.netHeight, 0);
    const masked = mask.data.reduce((a, v) => a + v, 0);
    expect(jobs.every((j) => j.scale === 1)).toBe(true);
    // The planner that tiled each damaged region's bounding box ran 9.8 MP here (0.82 of the photo; this one 2.3).
    expect(network / (4000 * 3000)).toBeLessThan(0.25);
    expect(network / masked).toBeLessThan(60);
  });

  it('scales a large hole down as one crop when tiles would be mostly hole', () => {
    const mask = blankMask(2000, 1500);
    fillRect(mask, 200, 200, 1400, 1100);
    const jobs = planCrops(mask, opts);
    expect(jobs).toHaveLength(1);
    const [job] = jobs;
    expect(job!.strategy).toBe('downscale');
    expect(job!.scale).toBeLessThan(1);
    expect(Math.max(job!.netWidth, job!.netHeight)).toBe(512);
    expectValidPlan(mask, jobs);
  });

  it('runs a hole deeper than the model reaches scaled down, with context grown around it', () => {
    const mask = blankMask(512, 512);
    fillRect(mask, 150, 160, 350, 360); // 200 x 200 box: 100 deep
    const deep = planCrops(mask, { ...opts, holeReach: 28 });
    expect(deep).toHaveLength(1);
    expect(deep[0]!.strategy).toBe('downscale');
    expect(deep[0]!.scale).toBeCloseTo(0.28, 2);
    // The region grows to the whole photo: at 0.28, 256 network pixels of context need 914 photo pixels.
    expect(deep[0]!.region).toEqual({ x0: 0, y0: 0, x1: 512, y1: 512 });
    expect(deep[0]!.core).toEqual({ x0: 86, y0: 96, x1: 414, y1: 424 });
    expect([deep[0]!.netWidth, deep[0]!.netHeight]).toEqual([160, 160]);
    expectValidPlan(mask, deep);
    // Without the limit, or with thin damage, nothing changes.
    expect(planCrops(mask, opts)[0]!.strategy).toBe('whole');
    const thin = blankMask(512, 512);
    fillRect(thin, 20, 200, 490, 204);
    expect(planCrops(thin, { ...opts, holeReach: 28 }).every((j) => j.scale === 1)).toBe(true);
  });

  it('keeps a deep hole in a large photo inside maxSide, scaling further when needed', () => {
    const mask = blankMask(4000, 3000);
    fillRect(mask, 1000, 1000, 2600, 2200); // 1600 x 1200: 600 deep
    const jobs = planCrops(mask, { ...opts, holeReach: 28 });
    expect(jobs).toHaveLength(1);
    expect(jobs[0]!.scale).toBeLessThanOrEqual(28 / 600);
    expectValidPlan(mask, jobs);
  });

  it('pads a photo smaller than the multiple instead of growing past it', () => {
    const mask = blankMask(20, 10);
    fillRect(mask, 5, 5, 8, 7);
    const [job] = planCrops(mask, opts);
    expect(job!.region).toEqual({ x0: 0, y0: 0, x1: 20, y1: 10 });
    expect([job!.netWidth, job!.netHeight]).toEqual([32, 32]);
  });
});
