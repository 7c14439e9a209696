/**
 * What the detection helper thread (helper.ts, helper-worker.ts) does for a
 * detection: its share of the photo's reduction, and the mask stage's
 * mask-independent intermediates. The same functions run on the detecting
 * thread when there is no helper, so the results are the same bytes.
 */
import { localMeans, type LocalMeans } from './faint';
import { reduceRows, type PhotoRows, type Planes, type ReductionBuffers } from './raster';
import { topHatBackgrounds, type TopHatBackgrounds } from './thin';

/** Photo rows y0..y1 into buffers in shared memory (reduceRows). */
export interface ReduceRequest {
  readonly op: 'reduce';
  readonly rows: PhotoRows;
  readonly factor: number;
  readonly y0: number;
  readonly y1: number;
  readonly out: ReductionBuffers;
}

/** The local means and top-hat backgrounds of the working planes (defectMaskAt's kept intermediates). */
export interface IntermediatesRequest {
  readonly op: 'intermediates';
  readonly planes: Planes;
  readonly radius: number;
}

export type HelperRequest = ReduceRequest | IntermediatesRequest;

export interface MaskIntermediates {
  readonly means: LocalMeans;
  readonly backgrounds: TopHatBackgrounds;
}

export type HelperResult = MaskIntermediates | null;

export function maskIntermediates(planes: Planes, radius: number): MaskIntermediates {
  return { means: localMeans(planes), backgrounds: topHatBackgrounds(planes, radius) };
}

/** Runs one request; returns its answer and the buffers to hand back with it (transferred, not copied). */
export function runHelperTask(request: HelperRequest): { result: HelperResult; transfer: ArrayBuffer[] } {
  if (request.op === 'reduce') {
    reduceRows(request.rows, request.factor, request.y0, request.y1, request.out);
    return { result: null, transfer: [] };
  }
  const result = maskIntermediates(request.planes, request.radius);
  const arrays = [result.means.brightMean, result.means.darkMean, result.backgrounds.opened.data, result.backgrounds.closed.data];
  // A grey photo's planes share one buffer, which may be listed only once.
  return { result, transfer: [...new Set(arrays.map((a) => a.buffer as ArrayBuffer))] };
}
