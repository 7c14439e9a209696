/**
 * The detection's second core. onnxruntime runs the network on both cores;
 * the mask stage is JavaScript on the detecting thread. A helper thread,
 * started once per process and idle between detections, works out the mask
 * stage's mask-independent intermediates while the network runs, where they
 * fill the gaps onnxruntime's threads leave. Its answer is the same bytes as
 * the detecting thread's own (helper-tasks.ts runs the same function), which
 * is used wherever there is no helper: a build without defects-helper.js, or
 * a helper that failed once.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { findWorkerScript, WorkerClient } from '../jobs/worker-client';
import { maskIntermediates, type HelperRequest, type HelperResult, type MaskIntermediates } from './helper-tasks';
import type { Planes } from './raster';

/** Overrides where the helper's script is (tests, packaged layouts). */
export const HELPER_PATH_VARIABLE = 'PATINA_DEFECTS_HELPER_PATH';

// undefined: not tried yet; null: no helper in this process.
let client: WorkerClient<HelperRequest, HelperResult> | null | undefined;

/** Starts the helper thread now, so its start-up runs beside the caller's (model loading, decoding). */
export function openHelper(): void {
  helperClient()?.open();
}

/** maskIntermediates of the working planes, worked out by the helper thread (here when there is none). */
export async function maskIntermediatesBeside(planes: Planes, radius: number): Promise<MaskIntermediates> {
  const helper = helperClient();
  if (helper) {
    try {
      return await helper.start(undefined, { planes, radius }).result;
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
