/**
 * Worker-thread entry: owns the ONNX session and runs the whole restore
 * pipeline (decode, pixel loops, inference, encode) so the main event loop
 * only ever sees small messages. Built to out/main/restore-worker.js.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { onnxInpainter } from '../inference/inpainter';
import { createDefectDetector, type DefectDetector } from '../defects/detector';
import { loadToneEstimator } from '../tone/estimator';
import { ModelCache, type LoadedModel } from '../inference/session';
import { Slots } from '../jobs/slots';
import { hostJobs, lowerThreadPriority } from '../jobs/worker-host';
import { WriteGuard } from '../jobs/write-guard';
import { toErrorData, type EngineErrorData } from '../errors/engine-error';
import { restorePhoto } from './pipeline';
import type { RestoreRequest, RestoreResult } from './types';
import type { EngineStatus, StatusFromWorker, StatusToWorker, WorkerConfig } from './worker-protocol';

if (!parentPort) throw new Error('restore-worker must run as a worker thread');
lowerThreadPriority();
const config = workerData as WorkerConfig;
const models = new ModelCache();
let lastLoadError: EngineErrorData | null = null;
let loaded: LoadedModel | null = null;

/** Automatic masks (`mask: { kind: 'auto' }`, the CLI's --auto-mask) at the default sensitivity. */
const detector: DefectDetector = createDefectDetector({ modelsDir: config.modelsDir });

async function model(): Promise<LoadedModel> {
  try {
    loaded = await models.get(config.modelsDir, config.device);
    lastLoadError = null;
    return loaded;
  } catch (err) {
    lastLoadError = toErrorData(err);
    throw err;
  }
}

function status(): EngineStatus {
  return {
    modelsDir: config.modelsDir,
    device: config.device,
    model: loaded ? { name: loaded.entry.name, version: loaded.entry.version, file: loaded.entry.file } : null,
    provider: loaded?.provider ?? null,
    attempts: loaded?.attempts ?? [],
    error: lastLoadError,
  };
}

// At most two jobs are in flight, and only one of them is in its inference
// stage at a time: they share one session and 2-8 cores, so two inferences at
// once would only make both slower, but the second job's decode (or the
// first's encode, mostly in sharp's own threads) fits beside the model's run.
// Two, not more, bounds peak memory to two decoded photos.
const inferenceSlot = new Slots(1);

const post = hostJobs<RestoreRequest, RestoreResult>(parentPort, {
  concurrency: 2,
  run: async (request, { jobId, signal, progress }) => {
    await guardOutput(request);
    const result = await restorePhoto(
      { ...request, jobId },
      {
        inpainter: async () => onnxInpainter(await model()),
        signal,
        onProgress: progress,
        detector,
        inferenceSlot: () => inferenceSlot.acquire(),
        toneEstimator: () => loadToneEstimator(config.modelsDir),
      },
    );
    if (result.status !== 'restored' || !result.bytes) return { result };
    // sharp's buffer is native (external) memory, which cannot be transferred;
    // one copy into a plain ArrayBuffer can, so the main thread gets it without a second copy.
    const owned = new Uint8Array(result.bytes);
    return { result: { ...result, bytes: owned }, transfer: [owned.buffer] };
  },
  onOtherMessage: (message) => {
    const m = message as StatusToWorker;
    if (m.type !== 'status') return;
    const answer = (): void => post({ type: 'status', requestId: m.requestId, status: status() } satisfies StatusFromWorker);
    if (m.load) void model().then(answer, answer);
    else answer();
  },
});

/** The write rule (src/main/jobs/write-guard.ts), checked where every file output of a restore starts. */
async function guardOutput(request: RestoreRequest): Promise<void> {
  if (request.output.kind !== 'file') return;
  const own = [request.imagePath, ...(request.mask.kind === 'file' ? [request.mask.path] : [])];
  const guard = await WriteGuard.of({ ...request.protect, files: [...own, ...(request.protect?.files ?? [])] });
  await guard.check(request.output.path);
}
