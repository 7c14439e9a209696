import { describe, expect, it } from 'vitest';
import { scoreLevel } from '@shared/ipc/detection';
import { decodePhoto } from '../imaging/decode';
import { analyseDefects, defectMaskAt, detectDefects } from './detect';
import { learnedThreshold } from './params';
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

  it("scores a working pixel above a sensitivity's level exactly when the network's probability passes that sensitivity's threshold", async () => {
    const basis = await analyseDefects(await decodePhoto(CRACKED_PRINT), { method: 'learned' });
    const map = scoreMapOf(basis)!;
    expect([map.width, map.height, map.factor]).toEqual([basis.working.bright.width, basis.working.bright.height, basis.factor]);
    for (const s of [0.2, 0.5, 0.8]) {
      const t = learnedThreshold(basis.threshold!, s);
      let disagree = 0;
      let flagged = 0;
      for (let i = 0; i < map.data.length; i++) {
        const byNet = basis.prob![i]! > t;
        if (byNet) flagged++;
        if (byNet !== map.data[i]! > scoreLevel(s)) disagree++;
      }
      expect(flagged).toBeGreaterThan(0);
      // Bytes round the sensitivity to 1/255: only pixels right at the threshold may fall the other way.
      expect(disagree / flagged).toBeLessThan(0.02);
    }
    expect(scoreMapOf(await analyseDefects(await decodePhoto(CRACKED_PRINT), { method: 'classical' }))).toBeNull();
  }, 60_000);
});
