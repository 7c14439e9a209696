import { availableParallelism } from 'node:os';
import * as ort from 'onnxruntime-node';
import { EngineError } from '../errors/engine-error';
import { readModelManifest, type ModelEntry, type ResolvedModel } from './manifest';
import { verifyModelFile } from './model-file';
import {
  currentPlatformFacts,
  planProviders,
  type DeviceSetting,
  type PlatformFacts,
  type ProviderAttempt,
  type ProviderName,
} from './providers';

// Provider failures are caught and reported by planProviders' caller; letting
// ORT also print them in red on stderr would only alarm CLI users.
ort.env.logLevel = 'fatal';

/**
 * Session options, chosen on purpose rather than left to defaults:
 * - intraOpNumThreads: the model is a chain of convolutions, so intra-op
 *   parallelism is where the speed is. On machines with more than 2 cores one
 *   core is left for the UI and sharp's libuv pool; on 2 cores using both
 *   matters more (the main thread is idle while a crop runs).
 * - interOpNumThreads 1 + sequential execution: there are no parallel branches
 *   worth a second pool, and each extra pool spins threads of its own.
 * - enableCpuMemArena true: crops come one after another; reusing the arena
 *   avoids a malloc/free storm per crop. It keeps the peak of the largest crop
 *   (maxSide^2) resident, which is small next to a full-size photo.
 * - enableMemPattern false: crop shapes vary, and a memory pattern is planned
 *   per shape, so it would only add planning work and cached plans.
 * - intra-op spinning off: between the graph's ~200 small kernels the pool's
 *   threads would otherwise spin, taking turns from whatever shares the cores:
 *   the neighbouring batch job's decode, detection or encode, the detector's
 *   own session, the editor. With it off a 12 MP `patina run` took 0.69x the
 *   CPU time and a batch 0.62x, at identical output (bench/README.md).
 * Everything else onnxruntime offers measured slower or no faster there.
 */
export function sessionOptions(provider: ProviderName): ort.InferenceSession.SessionOptions {
  const cores = availableParallelism();
  return {
    executionProviders: [provider],
    intraOpNumThreads: cores > 2 ? Math.min(cores - 1, 8) : cores,
    interOpNumThreads: 1,
    executionMode: 'sequential',
    graphOptimizationLevel: 'all',
    enableCpuMemArena: true,
    enableMemPattern: false,
    logSeverityLevel: 3,
    extra: { session: { intra_op: { allow_spinning: '0' } } },
  };
}

export interface LoadedModel {
  readonly session: ort.InferenceSession;
  readonly entry: ModelEntry;
  readonly modelPath: string;
  /** The provider that created the session. */
  readonly provider: ProviderName;
  /** Every provider considered, in order, with why it failed or was skipped. */
  readonly attempts: readonly ProviderAttempt[];
}

/** Creates a session on the first provider that accepts the model, ending on CPU. */
export async function createSessionWithFallback(
  model: ResolvedModel,
  device: DeviceSetting,
  facts: PlatformFacts = currentPlatformFacts(),
): Promise<LoadedModel> {
  const plan = planProviders(device, facts);
  const attempts: ProviderAttempt[] = [...plan.skipped];
  for (const provider of plan.order) {
    try {
      const session = await ort.InferenceSession.create(model.modelPath, sessionOptions(provider));
      checkModelIo(session, model);
      attempts.push({ provider, ok: true });
      return { session, entry: model.entry, modelPath: model.modelPath, provider, attempts };
    } catch (err) {
      if (err instanceof EngineError) throw err;
      attempts.push({ provider, ok: false, reason: shortReason(err) });
    }
  }
  const reasons = attempts.map((a) => `${a.provider}: ${a.reason ?? 'ok'}`).join('; ');
  throw new EngineError('PROVIDER_FAILED', `No execution provider could load ${model.modelPath}`, reasons);
}

/**
 * onnxruntime's messages often start with a source path and a failed
 * assertion ("/onnxruntime_src/...cc:136 ... was false. Failed to get a
 * WebGPU adapter: ..."); the readable part is the sentence after it.
 */
export function shortReason(err: unknown): string {
  const text = (err instanceof Error ? err.message : String(err)).trim().split('\n')[0]!.trim();
  const afterAssert = text.split(/ was false\. /).at(-1)!;
  return afterAssert.replace(/^\/\S+:\d+ \S+\s*/, '').trim() || text;
}

/** The engine relies on these names (see the model contract in models/manifest.json). */
function checkModelIo(session: ort.InferenceSession, model: ResolvedModel): void {
  const missing = [
    ...['image', 'mask'].filter((n) => !session.inputNames.includes(n)).map((n) => `input "${n}"`),
    ...(session.outputNames.includes('output') ? [] : ['output "output"']),
  ];
  if (missing.length > 0) {
    throw new EngineError('MODEL_INVALID', `Model ${model.modelPath} lacks ${missing.join(', ')}`);
  }
}

/**
 * One lazily created session per (models folder, role, device), reused by
 * every job. Concurrent first calls share the same pending load.
 */
export class ModelCache {
  private readonly loads = new Map<string, Promise<LoadedModel>>();

  get(modelsDir: string, device: DeviceSetting, role = 'inpaint'): Promise<LoadedModel> {
    const key = `${modelsDir}\u0000${role}\u0000${device}`;
    let pending = this.loads.get(key);
    if (!pending) {
      pending = loadModel(modelsDir, device, role);
      // A failed load is not cached: the person may fix the file and retry.
      pending.catch(() => this.loads.delete(key));
      this.loads.set(key, pending);
    }
    return pending;
  }

  async dispose(): Promise<void> {
    const all = [...this.loads.values()];
    this.loads.clear();
    for (const p of all) {
      const loaded = await p.catch(() => undefined);
      await loaded?.session.release();
    }
  }
}

async function loadModel(modelsDir: string, device: DeviceSetting, role: string): Promise<LoadedModel> {
  const model = await readModelManifest(modelsDir, role);
  await verifyModelFile(model);
  return createSessionWithFallback(model, device);
}
