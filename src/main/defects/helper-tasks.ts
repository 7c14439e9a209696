/**
 * What the detection helper thread (helper.ts, helper-worker.ts) does for a
 * detection: the mask stage's mask-independent intermediates. The same
 * function runs on the detecting thread when there is no helper, so the
 * results are the same bytes.
 */
import { localMeans, type LocalMeans } from './faint';
import type { Planes } from './raster';
import { topHatBackgrounds, type TopHatBackgrounds } from './thin';

/** The local means and top-hat backgrounds of the working planes (defectMaskAt's kept intermediates). */
export interface HelperRequest {
  readonly planes: Planes;
  readonly radius: number;
}

export interface MaskIntermediates {
  readonly means: LocalMeans;
  readonly backgrounds: TopHatBackgrounds;
}

export type HelperResult = MaskIntermediates;

export function maskIntermediates(planes: Planes, radius: number): MaskIntermediates {
  return { means: localMeans(planes), backgrounds: topHatBackgrounds(planes, radius) };
}

/** Runs one request; returns its answer and the buffers to hand back with it (transferred, not copied). */
export function runHelperTask(request: HelperRequest): { result: HelperResult; transfer: ArrayBuffer[] } {
  const result = maskIntermediates(request.planes, request.radius);
  const arrays = [result.means.brightMean, result.means.darkMean, result.backgrounds.opened.data, result.backgrounds.closed.data];
  // A grey photo's planes share one buffer, which may be listed only once.
  return { result, transfer: [...new Set(arrays.map((a) => a.buffer as ArrayBuffer))] };
}
