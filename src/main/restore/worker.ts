/**
 * Worker-thread entry: owns the ONNX session and runs the whole restore
 * pipeline (decode, pixel loops, inference, encode) so the main event loop
 * only ever sees small messages. Built to out/main/restore-worker.js.
 */
import { setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import { onnxInpainter } from '../inference/inpainter';
import { createDefectDetector } from '../defects/detector';
import { ModelCache, type LoadedModel } from '../inference/session';
import { Slots } from '../jobs/slots';
import { toErrorData, type EngineErrorData } from './errors';
import { restorePhoto } from './pipeline';
import type { DefectDetector } from './types';
import type { EngineStatus, FromWorker, ToWorker, WorkerConfig } from './worker-protocol';

if (!parentPort) throw new Error('restore-worker must run as a worker thread');
lowerThreadPriority();
const port = parentPort;
const config = workerData as WorkerConfig;
const models = new ModelCache();
const jobs = new Map<string, AbortController>();
let lastLoadError: EngineErrorData | null = null;
let loaded: LoadedModel | null = null;

/** Automatic masks (`mask: { kind: 'auto' }`, the CLI's --auto-mask) at the default sensitivity. */
const detector: DefectDetector = createDefectDetector({ modelsDir: config.modelsDir });

const post = (message: FromWorker, transfer: ArrayBuffer[] = []): void => port.postMessage(message, transfer);

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
const jobSlots = new Slots(2);
const inferenceSlot = new Slots(1);

port.on('message', (message: ToWorker) => {
  switch (message.type) {
    case 'run': {
      const controller = new AbortController();
      jobs.set(message.jobId, controller);
      void jobSlots.run(() => runJob(message.jobId, message, controller));
      break;
    }
    case 'cancel':
      jobs.get(message.jobId)?.abort();
      break;
    case 'status': {
      const answer = (): void => post({ type: 'status', requestId: message.requestId, status: status() });
      if (message.load) void model().then(answer, answer);
      else answer();
      break;
    }
  }
});

async function runJob(jobId: string, message: Extract<ToWorker, { type: 'run' }>, controller: AbortController): Promise<void> {
  try {
    const result = await restorePhoto(
      { ...message.request, jobId },
      {
        inpainter: async () => onnxInpainter(await model()),
        signal: controller.signal,
        onProgress: (event) => post({ type: 'progress', event }),
        detector,
        inferenceSlot: () => inferenceSlot.acquire(),
      },
    );
    if (result.status === 'restored' && result.bytes) {
      // sharp's buffer is native (external) memory, which cannot be transferred;
      // one copy into a plain ArrayBuffer can, so the main thread gets it without a second copy.
      const owned = new Uint8Array(result.bytes);
      post({ type: 'done', jobId, result: { ...result, bytes: owned } }, [owned.buffer]);
    } else {
      post({ type: 'done', jobId, result });
    }
  } catch (err) {
    post({ type: 'failed', jobId, error: toErrorData(err) });
  } finally {
    jobs.delete(jobId);
  }
}

/**
 * Runs this thread, and the ONNX Runtime pools it creates, below the main
 * thread's priority. With intra-op threads on every core, an equal-priority
 * main thread can wait tens of ms for a core, which a person sees as a frozen
 * window. Linux nice values are per thread and new threads inherit them, so
 * calling setpriority(0) here affects only this thread and its descendants.
 * Elsewhere it would re-prioritise the whole process, so it is left alone.
 */
function lowerThreadPriority(): void {
  if (process.platform !== 'linux') return;
  try {
    setPriority(0, 10);
  } catch {
    // Not permitted (e.g. a restricted container): run at normal priority.
  }
}
