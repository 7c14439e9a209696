import type { ToneChoice } from '@shared/ipc/tone';
import type { TonePreviewResult } from '@shared/ipc/tone-preview';

/**
 * The Tone & colour panel's settings as a colour matrix over the preview:
 * the engine's map for the chosen colour mode (Auto's when 'auto'), scaled
 * by the strength the way the engine scales it (identity + s x (map -
 * identity), auto.ts toneAffine), as the 20 values of an SVG feColorMatrix
 * (rows R, G, B, A; five columns, the last an offset in 0..1). null when
 * tone is off. The filter clips to 0..1 as the engine does.
 */
export function toneColourMatrix(preview: TonePreviewResult, choice: ToneChoice): number[] | null {
  if (!choice.on) return null;
  const map = preview.maps[choice.colour === 'auto' ? preview.autoColour : choice.colour];
  const s = Math.max(0, Math.min(100, choice.strength)) / 100;
  // A grey photo's map is 1 x 1: the same curve on every channel of its RGB preview.
  const grey = map.matrix.length === 1;
  const at = (i: number, j: number) => (grey ? (i === j ? map.matrix[0]![0]! : 0) : map.matrix[i]![j]!);
  const out: number[] = [];
  for (let i = 0; i < 3; i++) {
    for (let j = 0; j < 3; j++) out.push((1 - s) * (i === j ? 1 : 0) + s * at(i, j));
    out.push(0, s * map.offset[grey ? 0 : i]!);
  }
  out.push(0, 0, 0, 1, 0);
  return out;
}
