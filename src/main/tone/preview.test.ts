import { rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TONE_COLOUR_MODES } from '@shared/ipc/tone';
import { defaultModelsDir } from '../inference/models-dir';
import { tempDir } from '../restore/testing/fixtures';
import { analyseTone } from './analyse';
import { renderTone } from './apply';
import { resolveTone } from './auto';
import { loadToneEstimator, type ToneEstimator } from './estimator';
import { tonePreview } from './preview';

/*
 * The editor's live tone preview draws the photo through the map tone:preview
 * answers (src/renderer/src/editor/restore/tone-preview.ts). It must show what
 * Restore and Export will make: the map, applied to a faded photo, against
 * the engine's own render of that photo at full resolution.
 */

const here = path.dirname(fileURLToPath(import.meta.url));
const PHOTO = path.resolve(here, '../../../../shared/data/train/sun_hays80/abbey_sun_asztnlqhlrvirneh.jpg');

let dir: string;
let file: string;
let faded: { width: number; height: number; channels: 3; data: Uint8Array };
let estimator: ToneEstimator | null;

beforeAll(async () => {
  dir = await tempDir();
  // Larger than the preview's 1024 px analysis copy, so the preview really reads a smaller copy than the engine.
  const { data, info } = await sharp(PHOTO).removeAlpha().resize(1600, 1600, { fit: 'inside' }).raw().toBuffer({ resolveWithObject: true });
  const gain = [1, 0.97, 0.8];
  const px = new Uint8Array(data.length);
  for (let i = 0; i < px.length; i++) px[i] = Math.round(255 * gain[i % 3]! * (0.15 + 0.6 * (data[i]! / 255)));
  faded = { width: info.width, height: info.height, channels: 3, data: px };
  file = path.join(dir, 'faded.png');
  await sharp(px, { raw: { width: info.width, height: info.height, channels: 3 } }).png().toFile(file);
  estimator = await loadToneEstimator(defaultModelsDir());
}, 60_000);

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('tone:preview', () => {
  it("gives, per colour mode, the map whose result matches the engine's full-resolution render", async () => {
    const preview = await tonePreview(file, estimator);
    expect(preview.look).toBe('colour');
    expect(preview.autoColour).toBe('neutralise');
    expect(preview.estimator).toBe(estimator ? 'learned' : 'classical');
    const analysis = await analyseTone(faded, estimator);
    for (const colour of TONE_COLOUR_MODES) {
      const engine = await renderTone(faded, { ...resolveTone({ colour }, analysis), grain: 0, sharpen: 0 }, analysis);
      const { matrix, offset } = preview.maps[colour];
      let sum = 0;
      let worst = 0;
      const d = faded.data;
      for (let i = 0; i < d.length; i += 3) {
        for (let c = 0; c < 3; c++) {
          const v = matrix[c]![0]! * d[i]! + matrix[c]![1]! * d[i + 1]! + matrix[c]![2]! * d[i + 2]! + 255 * offset[c]!;
          const diff = Math.abs(Math.min(255, Math.max(0, v)) - engine[i + c]!);
          sum += diff;
          worst = Math.max(worst, diff);
        }
      }
      // The preview analyses a 1024 px copy, the engine the whole photo: the same points to within a few thousandths.
      expect(sum / d.length, colour).toBeLessThan(1.5);
      expect(worst, colour).toBeLessThan(8);
      // And it is a real correction, not the identity: the faded photo's yellow cast and flat range change.
      expect(Math.abs(matrix[2]![2]! - 1) + Math.abs(offset[0]!), colour).toBeGreaterThan(0.05);
    }
  }, 60_000);
});
