import { describe, expect, it } from 'vitest';
import { scoreLevel } from '@shared/ipc/detection';
import { decodePhoto } from '../imaging/decode';
import { analyseDefects, defectMaskAt, detectDefects } from './detect';
import { growFromSeeds } from './grow';
import { learnedThresholds } from './params';
import { scoreMapOf } from './scores';
import { CRACKED_PRINT } from './testing/fixtures';

describe('detection kept for re-thresholding (defects:rethreshold)', () => {
  it('gives at every sensitivity the very mask a whole detection gives, for both detectors', async () => {
    const photo = await decodePhoto(CRACKED_PRINT);
    for (const method of ['learned', 'classical'] as const) {
      const basis = await analyseDefects(photo, { method });
      expect(basis.method).toBe(method);
      for (const sensitivity of [0.2, 0.5, 0.9]) {
        const whole = await detectDefects(photo, { method, sensitivity });
        const again = defectMaskAt(basis, sensitivity);
        expect(again.stats.flaggedPixels, `${method} ${sensitivity}`).toBe(whole.stats.flaggedPixels);
        expect(Buffer.from(again.data).equals(Buffer.from(whole.data))).toBe(true);
      }
    }
  }, 60_000);

  it('with hysteresis, re-thresholds to the whole detection\'s mask, grows from the plain mask and stays monotone in sensitivity', async () => {
    const photo = await decodePhoto(CRACKED_PRINT);
    const tuning = { growLogits: 1.5 };
    const basis = await analyseDefects(photo, { method: 'learned', tuning });
    const plain = await analyseDefects(photo, { method: 'learned' });
    let previous: Uint8Array | null = null;
    for (const sensitivity of [0.2, 0.5, 0.9]) {
      const whole = await detectDefects(photo, { method: 'learned', sensitivity, tuning });
      const again = defectMaskAt(basis, sensitivity);
      expect(Buffer.from(again.data).equals(Buffer.from(whole.data)), `${sensitivity}`).toBe(true);
      const without = defectMaskAt(plain, sensitivity);
      expect(again.stats.flaggedPixels).toBeGreaterThan(without.stats.flaggedPixels);
      if (previous) expect(previous.every((v, i) => !v || again.data[i])).toBe(true);
      previous = again.data;
    }
  }, 60_000);

  it("scores a working pixel above a sensitivity's level exactly when the learned mask's probabilities flag it at that sensitivity (seeds and, with hysteresis, what grows from them)", async () => {
    const photo = await decodePhoto(CRACKED_PRINT);
    // The shipped setting, and hysteresis on (growLogits): the live preview must follow either.
    for (const growLogits of [undefined, 1.5]) {
      const basis = await analyseDefects(photo, { method: 'learned', ...(growLogits === undefined ? {} : { tuning: { growLogits } }) });
      const map = scoreMapOf(basis)!;
      const { width, height } = basis.working.bright;
      expect([map.width, map.height, map.factor]).toEqual([width, height, basis.factor]);
      for (const s of [0.2, 0.5, 0.8]) {
        const { seed, grow } = learnedThresholds(basis.threshold!, s, growLogits);
        const flags = growFromSeeds(basis.prob!, width, height, seed, grow);
        let disagree = 0;
        let flagged = 0;
        let grown = 0;
        for (let i = 0; i < map.data.length; i++) {
          const byNet = flags[i] === 1;
          if (byNet) flagged++;
          if (byNet && basis.prob![i]! <= seed) grown++;
          if (byNet !== map.data[i]! > scoreLevel(s)) disagree++;
        }
        expect(flagged).toBeGreaterThan(0);
        if (growLogits) expect(grown, `grown at ${s}`).toBeGreaterThan(0);
        // Bytes round the sensitivity to 1/255: only pixels right at a threshold may fall the other way.
        expect(disagree / flagged, `growLogits ${growLogits}, sensitivity ${s}`).toBeLessThan(0.02);
      }
    }
    expect(scoreMapOf(await analyseDefects(await decodePhoto(CRACKED_PRINT), { method: 'classical' }))).toBeNull();
  }, 60_000);
});
