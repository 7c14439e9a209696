import { describe, expect, it } from 'vitest';
import type { BinaryMask } from './mask';
import type { Photo } from './photo';
import { syntheticPhoto } from './testing/photo';
import { transferTexture } from './texture';

const W = 240;
const H = 180;
/** The box hole and the thin scratch of every test photo. */
const BOX = { x0: 90, y0: 60, x1: 150, y1: 115 };
const SCRATCH_Y = 150;
/** The scratch is as wide as the widest of the speed bench's (bench/synthetic.ts). */
const SCRATCH_PX = 5;

/** A soft gradient: the low frequencies a network's fill gets right. */
function base(x: number, y: number): number {
  return 100 + 0.2 * x + 0.15 * y;
}

/** Vertical stripes of period 6, amplitude `amp` (8-bit units): a weave a smooth fill loses. */
function stripes(x: number, amp: number): number {
  return amp * Math.sin((2 * Math.PI * x) / 6);
}

/**
 * A striped photo with a 60 x 55 box hole and a 5-px scratch whose pixels hold the smooth base
 * (the network's smooth estimate), in 8 or 16 bits, grey or RGB.
 */
function stripedPhoto(opts: { bits?: 8 | 16; channels?: 1 | 3; amp?: number } = {}): { photo: Photo; mask: BinaryMask } {
  const bits = opts.bits ?? 8;
  const channels = opts.channels ?? 3;
  const max = bits === 16 ? 65535 : 255;
  const mask = new Uint8Array(W * H);
  for (let y = BOX.y0; y < BOX.y1; y++) mask.fill(1, y * W + BOX.x0, y * W + BOX.x1);
  for (let y = SCRATCH_Y; y < SCRATCH_Y + SCRATCH_PX; y++) mask.fill(1, y * W + 10, y * W + 230);
  const data = bits === 16 ? new Uint16Array(W * H * channels) : new Uint8Array(W * H * channels);
  for (let p = 0; p < W * H; p++) {
    const x = p % W;
    const y = Math.floor(p / W);
    const v = base(x, y) + (mask[p] ? 0 : stripes(x, opts.amp ?? 12));
    for (let c = 0; c < channels; c++) data[p * channels + c] = Math.round(Math.min(255, Math.max(0, v + 6 * c)) * (max / 255));
  }
  const photo = syntheticPhoto(W, H, channels, bits, data);
  return { photo, mask: { width: W, height: H, data: mask } };
}

/** First channel minus the smooth base, 8-bit units, at (x, y). */
function detailAt(photo: Photo, x: number, y: number): number {
  const k = 255 / (photo.bitDepth === 16 ? 65535 : 255);
  return photo.data[(y * W + x) * photo.channels]! * k - Math.round(base(x, y));
}

/** Standard deviation of detailAt over the box's inner part (8 px inside, where the detail is at full strength). */
function boxDetail(photo: Photo): number {
  let sum = 0;
  let sq = 0;
  let n = 0;
  for (let y = BOX.y0 + 8; y < BOX.y1 - 8; y++) {
    for (let x = BOX.x0 + 8; x < BOX.x1 - 8; x++) {
      const d = detailAt(photo, x, y);
      sum += d;
      sq += d * d;
      n++;
    }
  }
  return Math.sqrt(sq / n - (sum / n) ** 2);
}

describe('detail transfer', () => {
  it('gives a wide hole the texture around it, with its structure, and changes nothing else', () => {
    for (const variant of [{}, { bits: 16 as const }, { channels: 1 as const }]) {
      const { photo, mask } = stripedPhoto(variant);
      const before = photo.data.slice();
      const delta = photo.bitDepth === 16 ? new Uint16Array(photo.data.length) : new Uint8Array(photo.data.length);
      expect(boxDetail(photo)).toBeLessThan(0.7);
      const result = transferTexture(photo, mask, delta);
      expect(result.applied).toBe(true);
      // Stripes of amplitude 12 have a spread of 8.5; the fill gets most of it.
      expect(boxDetail(photo)).toBeGreaterThan(4);
      expect(boxDetail(photo)).toBeLessThan(12);
      // Structure, not noise: the copied stripes run down the columns, so neighbouring rows agree.
      let agree = 0;
      let total = 0;
      for (let y = BOX.y0 + 8; y < BOX.y1 - 9; y++) {
        for (let x = BOX.x0 + 8; x < BOX.x1 - 8; x++) {
          const a = detailAt(photo, x, y);
          agree += a * detailAt(photo, x, y + 1);
          total += a * a;
        }
      }
      expect(agree / total).toBeGreaterThan(0.8);
      let changedOutside = 0;
      let deltaWrong = 0;
      let colourMoved = 0;
      for (let p = 0; p < W * H; p++) {
        for (let c = 0; c < photo.channels; c++) {
          const i = p * photo.channels + c;
          if (!mask.data[p] && photo.data[i] !== before[i]) changedOutside++;
          if ((before[i]! ^ delta[i]!) !== photo.data[i]) deltaWrong++;
        }
        // Luma detail: every colour channel moves by the same amount.
        if (photo.channels === 3 && photo.bitDepth === 8) {
          const d0 = photo.data[p * 3]! - before[p * 3]!;
          if (photo.data[p * 3 + 1]! - before[p * 3 + 1]! !== d0 && photo.data[p * 3 + 1]! < 255) colourMoved++;
        }
      }
      expect(changedOutside).toBe(0);
      expect(deltaWrong).toBe(0);
      expect(colourMoved).toBe(0);
    }
  });

  it('leaves thin damage, even in the cells next to a wide hole, and the hole\'s rim as the network filled them', () => {
    const { photo, mask } = stripedPhoto();
    const before = photo.data.slice();
    const result = transferTexture(photo, mask, new Uint8Array(photo.data.length));
    expect(result.applied).toBe(true);
    let kept = 0;
    let moved = 0;
    for (let p = 0; p < W * H; p++) {
      const x = p % W;
      const y = Math.floor(p / W);
      const inScratch = y >= SCRATCH_Y && y < SCRATCH_Y + SCRATCH_PX;
      // The box's edge pixels: the detail starts two in.
      const onRim = mask.data[p] && !inScratch && (x < BOX.x0 + 1 || x >= BOX.x1 - 1 || y < BOX.y0 + 1 || y >= BOX.y1 - 1);
      if (!inScratch && !onRim) continue;
      kept++;
      for (let c = 0; c < 3; c++) if (photo.data[3 * p + c] !== before[3 * p + c]) moved++;
    }
    expect(kept).toBeGreaterThan(1200);
    expect(moved).toBe(0);
    // A mask of thin damage only: nothing to do, nothing read beyond the mask scan.
    const thin = stripedPhoto();
    thin.mask.data.fill(0, 0, SCRATCH_Y * W);
    const untouched = thin.photo.data.slice();
    expect(transferTexture(thin.photo, thin.mask, new Uint8Array(thin.photo.data.length))).toEqual({ applied: false, pixels: 0 });
    expect(thin.photo.data).toEqual(untouched);
  });

  it('adds nothing where the surroundings are smooth, and is deterministic', () => {
    const smooth = stripedPhoto({ amp: 0 });
    const before = smooth.photo.data.slice();
    transferTexture(smooth.photo, smooth.mask, new Uint8Array(smooth.photo.data.length));
    let moved = 0;
    for (let i = 0; i < before.length; i++) moved = Math.max(moved, Math.abs(smooth.photo.data[i]! - before[i]!));
    expect(moved).toBeLessThanOrEqual(1);

    const a = stripedPhoto();
    const b = stripedPhoto();
    transferTexture(a.photo, a.mask, new Uint8Array(a.photo.data.length));
    transferTexture(b.photo, b.mask, new Uint8Array(b.photo.data.length));
    expect(Buffer.compare(Buffer.from(a.photo.data), Buffer.from(b.photo.data))).toBe(0);
  });
});
