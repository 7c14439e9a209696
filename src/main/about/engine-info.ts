import type { ModelSummary } from '@shared/ipc/app';
import { readModelManifest } from '../inference/manifest';

/** What the engine reports about itself for `app:info`. */
export interface EngineInfo {
  readonly model: ModelSummary | null;
  /** Why `model` is null (no manifest yet, broken manifest); null when a model is listed. */
  readonly modelIssue: string | null;
  /** onnxruntime execution provider the engine uses (or will use): 'cpu', 'cuda', ... */
  readonly executionProvider: string;
}

/**
 * Supplies EngineInfo. The default reads models/manifest.json; the engine
 * swaps in its own (see src/main/backend.ts) once it knows which execution
 * provider its session actually got.
 */
export type EngineInfoProvider = () => Promise<EngineInfo>;

export interface ManifestEngineInfoOptions {
  readonly modelsDir: string;
  /** Execution provider in use; 'cpu' until the engine supplies the real one. */
  readonly executionProvider?: () => string | Promise<string>;
}

export function manifestEngineInfo(options: ManifestEngineInfoOptions): EngineInfoProvider {
  const provider = options.executionProvider ?? (() => 'cpu');
  return async () => {
    const executionProvider = await provider();
    try {
      // Read on every call: a model dropped into models/ shows up without a restart.
      const { entry } = await readModelManifest(options.modelsDir);
      return { model: { name: entry.name, version: entry.version }, modelIssue: null, executionProvider };
    } catch (err) {
      return { model: null, modelIssue: err instanceof Error ? err.message : String(err), executionProvider };
    }
  };
}
