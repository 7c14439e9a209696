import { buildEngineForTests } from '../../restore/testing/build-engine';

export interface BuiltDefects {
  /** out/.../defects-worker.js */
  readonly worker: string;
  /** out/.../snap-worker.js (the snapping brush) */
  readonly snapWorker: string;
  /** out/.../cli.js (the whole `patina` command) */
  readonly cli: string;
  dispose(): Promise<void>;
}

/**
 * The defects and snap workers and the CLI, built by the engine's test build (the same
 * entries as `npm run build`): worker threads and child processes need real
 * JavaScript, which vitest's transform does not reach.
 */
export async function buildDefectsForTests(): Promise<BuiltDefects> {
  const built = await buildEngineForTests();
  return { worker: built.defectsWorker, snapWorker: built.snapWorker, cli: built.cli, dispose: built.dispose };
}
