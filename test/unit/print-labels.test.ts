import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { DAMAGE_KINDS, DAMAGED_ROOT, LABELS_FILE, MASKS_DIR, maskNameOf, renderLabel, renderMarks, type PrintLabel } from '../../training/defects/labels/render';

const labels = JSON.parse(await readFile(LABELS_FILE, 'utf8')) as PrintLabel[];

describe('real print labels', () => {
  it('label all 26 prints, half of them held out', () => {
    expect(labels).toHaveLength(26);
    expect(new Set(labels.map((l) => l.image)).size).toBe(26);
    expect(labels.filter((l) => l.split === 'validation')).toHaveLength(13);
  });

  // The committed masks are what their marks render to: a label edited in the JSON without
  // re-rendering (npm run defects:labels), or a change to the snapping brush that moves them, shows here.
  it.skipIf(!existsSync(DAMAGED_ROOT))('committed masks match their marks', async () => {
    for (const label of labels.filter((l) => l.marks.length > 0)) {
      const { width, height, mask, kinds } = await renderLabel(label);
      const { data, info } = await sharp(path.join(MASKS_DIR, maskNameOf(label.image))).extractChannel(0).raw().toBuffer({ resolveWithObject: true });
      expect([info.width, info.height, info.channels], label.image).toEqual([width, height, 1]);
      let differ = 0;
      let unkinded = 0;
      for (let i = 0; i < mask.length; i++) {
        if ((data[i]! > 127) !== (mask[i]! > 127)) differ++;
        if ((mask[i]! > 0) !== (kinds[i]! > 0)) unkinded++;
      }
      expect(differ, label.image).toBe(0);
      // Every damage pixel has the kind of a mark (defects:score's rows per kind), and nothing else has one.
      expect(unkinded, label.image).toBe(0);
    }
  });

  it('record the kind of the last mark that made a pixel damage', () => {
    const photo = { width: 20, height: 10, channels: 3, colourChannels: 3, bitDepth: 8, data: new Uint8Array(20 * 10 * 3).fill(128) } as const;
    const { mask, kinds } = renderMarks(photo, [
      { kind: 'fill', points: [[0, 0], [10, 0], [10, 10], [0, 10]] },
      { kind: 'paint', width: 2, points: [[5, 5], [15, 5]] },
      { kind: 'cut', points: [[0, 0], [3, 0], [3, 3], [0, 3]] },
    ]);
    const tear = DAMAGE_KINDS.indexOf('tear/loss') + 1;
    expect([mask[1 * 20 + 1], kinds[1 * 20 + 1]]).toEqual([0, 0]); // cut away
    expect([mask[8 * 20 + 8], kinds[8 * 20 + 8]]).toEqual([255, tear]);
    expect([mask[5 * 20 + 14], kinds[5 * 20 + 14]]).toEqual([255, tear]);
    expect([mask[8 * 20 + 14], kinds[8 * 20 + 14]]).toEqual([0, 0]);
  });
});
