/**
 * Worker-thread entry for `defects:detect`, `defects:rethreshold` and
 * `defects:faces`: decode, detect, re-threshold, find faces and PNG-encode
 * off the main event loop, which only ever sees small messages and the
 * transferred PNGs. It keeps the last detections' bases (basis-cache.ts), so
 * a sensitivity change runs no network. Built to out/main/defects-worker.js.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { decodePhoto } from '../imaging/decode';
import { ProgressReporter } from '../jobs/progress';
import { hostJobs, lowerThreadPriority, type JobOutcome, type JobRunContext } from '../jobs/worker-host';
import { findFaces, loadFaceModel } from '../faces/faces';
import { DEFAULT_DETECT_MEDIUM } from '@shared/ipc/choices';
import { DetectionBasisCache } from './basis-cache';
import { analyseDefects, DEFAULT_METHOD, DEFAULT_SENSITIVITY, defectMaskAt, type DetectionBasis } from './detect';
import { encodeMaskPng } from './mask-file';
import { scoreMapOf } from './scores';
import type { DefectsWorkerConfig, DefectsWorkerRequest, DefectsWorkerResult, DetectResult, FacesRequest, FacesResult } from './worker-protocol';

if (!parentPort) throw new Error('defects-worker must run as a worker thread');
lowerThreadPriority();
const config = workerData as DefectsWorkerConfig;
const bases = new DetectionBasisCache();

hostJobs<DefectsWorkerRequest, DefectsWorkerResult>(parentPort, {
  // One job at a time: a detection already uses the whole working set of a core.
  concurrency: 1,
  run: (request, context) => (request.op === 'faces' ? faces(request) : detect(request, context)),
});

async function detect(request: Exclude<DefectsWorkerRequest, FacesRequest>, { jobId, signal, progress: post }: JobRunContext): Promise<JobOutcome<DetectResult>> {
  const progress = new ProgressReporter(jobId, post);
  let stages = 1;
  progress.begin('detect', stages);
  const method = request.method ?? DEFAULT_METHOD;
  const medium = request.medium ?? DEFAULT_DETECT_MEDIUM;
  // The medium is kept in the basis (it decides the mask stage), so it is part of the key.
  const key = `${method} ${medium}`;
  let basis: DetectionBasis | undefined = request.op === 'rethreshold' ? await bases.get(request.imagePath, key) : undefined;
  const reused = basis !== undefined;
  if (!basis) {
    const photo = await decodePhoto(request.imagePath);
    basis = await analyseDefects(photo, {
      method,
      medium,
      modelsDir: config.modelsDir,
      signal,
      onProgress: (done, total) => {
        stages = total;
        if (done === 0) progress.begin('detect', total);
        else progress.step(done);
      },
    });
    await bases.put(request.imagePath, key, basis);
  }
  const mask = defectMaskAt(basis, request.sensitivity ?? DEFAULT_SENSITIVITY);
  progress.step(stages);
  // sharp's buffers are external memory, which cannot be transferred; one copy each can.
  const png = new Uint8Array(await encodeMaskPng(mask));
  const map = reused ? null : scoreMapOf(basis);
  const scores = map ? { width: map.width, height: map.height, factor: map.factor, png: new Uint8Array(await encodeMaskPng(map)) } : null;
  const result: DetectResult = { jobId, width: mask.width, height: mask.height, png, stats: mask.stats, scores, reused };
  return { result, transfer: scores ? [png.buffer, scores.png.buffer] : [png.buffer] };
}

async function faces(request: FacesRequest): Promise<JobOutcome<FacesResult>> {
  const started = performance.now();
  const photo = await decodePhoto(request.imagePath);
  let found: FacesResult['faces'] = [];
  let note: string | null = null;
  try {
    found = await findFaces(await loadFaceModel(config.modelsDir), photo);
  } catch (err) {
    // No face model is no reason to fail: the editor just has no face warning.
    note = `Faces were not looked for: ${err instanceof Error ? err.message : String(err)}`;
  }
  return { result: { width: photo.width, height: photo.height, faces: found, note, ms: Math.round(performance.now() - started) } };
}
