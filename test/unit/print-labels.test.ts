import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { DAMAGED_ROOT, LABELS_FILE, MASKS_DIR, maskNameOf, renderLabel, type PrintLabel } from '../../training/defects/labels/render';

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
      const { width, height, mask } = await renderLabel(label);
      const { data, info } = await sharp(path.join(MASKS_DIR, maskNameOf(label.image))).extractChannel(0).raw().toBuffer({ resolveWithObject: true });
      expect([info.width, info.height, info.channels], label.image).toEqual([width, height, 1]);
      let differ = 0;
      for (let i = 0; i < mask.length; i++) if ((data[i]! > 127) !== (mask[i]! > 127)) differ++;
      expect(differ, label.image).toBe(0);
    }
  });
});
