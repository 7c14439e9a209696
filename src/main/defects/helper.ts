/**
 * The detection's second core. onnxruntime runs the network on both cores,
 * but the photo's reduction and the mask stage are JavaScript on the
 * detecting thread; a helper thread, started once per process and idle
 * between detections, takes half of the reduction's rows (on shared memory)
 * and works out the mask stage's mask-independent intermediates while the
 * network runs. Every answer is the same bytes as the serial path's
 * (helper-tasks.ts runs the same functions), which runs wherever there is no
 * helper: a build without defects-helper.js, or a helper that failed once.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { findWorkerScript, WorkerClient } from '../jobs/worker-client';
import { maskIntermediates, type HelperRequest, type HelperResult, type MaskIntermediates } from './helper-tasks';
import { reducedPhoto, reducePhoto, reduceRows, reductionBuffers, type PixelSource, type Planes, type ReducedPhoto } from './raster';

/** Overrides where the helper's script is (tests, packaged layouts). */
export const HELPER_PATH_VARIABLE = 'PATINA_DEFECTS_HELPER_PATH';

/** Photos smaller than this are reduced on one thread: the split would cost more than it saves. */
const MIN_SPLIT_PIXELS = 1 << 20;

// undefined: not tried yet; null: no helper in this process.
let client: WorkerClient<HelperRequest, HelperResult> | null | undefined;

/** Starts the helper thread now, so its start-up runs beside the caller's (model loading, decoding). */
export function openHelper(): void {
  helperClient()?.open();
}

/** reducePhoto, with the lower half of the rows reduced by the helper thread. */
export async function reducePhotoSplit(src: PixelSource, f: number, colour: boolean): Promise<ReducedPhoto> {
  const helper = helperClient();
  const blockRows = Math.ceil(src.height / f);
  if (!helper || src.width * src.height < MIN_SPLIT_PIXELS || blockRows < 2) return reducePhoto(src, f, colour);
  const out = reductionBuffers(src, f, colour, (bytes) => new SharedArrayBuffer(bytes));
  // Split at a block row, so no block's sums are added to from both threads.
  const split = f * Math.ceil(blockRows / 2);
  const rowSamples = src.width * src.channels;
  const lower = src.data.subarray(split * rowSamples);
  const shared = lower instanceof Uint16Array ? new Uint16Array(new SharedArrayBuffer(2 * lower.length)) : new Uint8Array(new SharedArrayBuffer(lower.length));
  shared.set(lower);
  const { width, height, channels, colourChannels, bitDepth } = src;
  const rows = { width, height, channels, colourChannels, bitDepth, data: shared, firstRow: split };
  let job: Promise<HelperResult>;
  try {
    job = helper.start(undefined, { op: 'reduce', rows, factor: f, y0: split, y1: height, out }).result;
  } catch {
    client = null;
    return reducePhoto(src, f, colour);
  }
  reduceRows({ ...src, firstRow: 0 }, f, 0, split, out);
  try {
    await job;
  } catch {
    // The helper may have written part of its rows' sums: start again on this thread.
    client = null;
    return reducePhoto(src, f, colour);
  }
  return reducedPhoto(src, f, out);
}

/** maskIntermediates of the working planes, worked out by the helper thread (here when there is none). */
export async function maskIntermediatesBeside(planes: Planes, radius: number): Promise<MaskIntermediates> {
  const helper = helperClient();
  if (helper) {
    try {
      return (await helper.start(undefined, { op: 'intermediates', planes, radius }).result)!;
    } catch {
      client = null;
    }
  }
  return maskIntermediates(planes, radius);
}

/** Whether detections in this process have a helper thread (the bench reports it). */
export function hasHelper(): boolean {
  return helperClient() !== null;
}

function helperClient(): WorkerClient<HelperRequest, HelperResult> | null {
  if (client !== undefined) return client;
  const entry = helperEntry();
  client = entry ? new WorkerClient<HelperRequest, HelperResult>({ name: 'Detection helper', workerPath: () => entry, workerData: null }) : null;
  return client;
}

/**
 * HELPER_PATH_VARIABLE's file, or the built defects-helper.js beside the
 * built code; run from the TypeScript sources (tests, tool scripts) the
 * worker loads helper-worker.ts through jiti, as training/run-ts.mjs loads
 * scripts, so those runs take the same two-thread path.
 */
function helperEntry(): string | URL | null {
  const here = fileURLToPath(import.meta.url);
  const fromEnv = process.env[HELPER_PATH_VARIABLE];
  if (fromEnv) return fromEnv;
  if (here.endsWith('.ts')) {
    const jiti = path.join(path.dirname(createRequire(import.meta.url).resolve('jiti/package.json')), 'lib/jiti.mjs');
    const entry = path.join(path.dirname(here), 'helper-worker.ts');
    const shared = path.resolve(path.dirname(here), '../../shared');
    const code = [
      `import { createJiti } from ${JSON.stringify(pathToFileURL(jiti).href)};`,
      `await createJiti(${JSON.stringify(pathToFileURL(entry).href)}, { alias: { '@shared': ${JSON.stringify(shared)} } }).import(${JSON.stringify(entry)});`,
    ].join('\n');
    return new URL(`data:text/javascript,${encodeURIComponent(code)}`);
  }
  try {
    return findWorkerScript('defects-helper.js', HELPER_PATH_VARIABLE, path.dirname(here));
  } catch {
    return null;
  }
}
