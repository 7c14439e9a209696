import { stat } from 'node:fs/promises';
import path from 'node:path';
import { formatForExtension } from '../imaging/encode';
import { ensureOutputFolder } from '../jobs/output-folder';
import { WriteGuard } from '../jobs/write-guard';
import type { ProgressEvent } from '../jobs/progress';
import type { RestoreEngine } from '../restore/engine';
import { EngineError, toErrorData, type EngineErrorData } from '../errors/engine-error';
import { maskWarnings } from '../restore/mask-warnings';
import { networkUse } from '../restore/network-use';
import { appliedPasses } from '../restore/applied-passes';
import type { RestoreRequest } from '../restore/types';
import type { RunCommand } from './args';
import { pairPhoto, type WorkItem } from './pairing';
import { runFolder } from './run-folder';
import { loadModel, OUTPUT_EXISTS_HINT, type ItemOutcome, type RunReporter } from './run-shared';

/**
 * Runs `patina run`: a folder goes through the batch queue; a single photo is
 * paired with its mask and restored while the model loads. A model that cannot
 * load is one clear message, not also the photo's failure.
 * Returns the exit code: 0 all restored or skipped, 1 some failed.
 */
export async function runCommand(cmd: RunCommand, engine: RestoreEngine, reporter: RunReporter, signal?: AbortSignal): Promise<0 | 1> {
  // A folder goes through the batch queue (journal, resume, report); a single photo runs directly.
  if (await isFolder(cmd.image)) return runFolder(cmd, engine, reporter, signal);
  const item = await pairPhoto(cmd);
  await ensureOutputFolder(path.resolve(cmd.output));

  // The photo is decoded (and its mask read) while the model loads: both take a few hundred
  // milliseconds, and the worker does one beside the other. Its progress waits for the engine line.
  const held: ProgressEvent[] = [];
  let engineReported = false;
  const progress = (e: ProgressEvent) => (engineReported ? reporter.progress(item.image, 0, 1, e) : held.push(e));
  const loading = loadModel(engine, reporter, cmd);
  const restoring = signal?.aborted
    ? Promise.resolve(failed(item, { code: 'CANCELLED', message: 'The run was interrupted' }))
    : restoreItem(cmd, engine, item, progress, signal);
  const { engineInfo, error } = await loading;
  engineReported = true;
  for (const e of held.splice(0)) reporter.progress(item.image, 0, 1, e);
  const restored = await restoring;
  if (error) {
    // Without a model the restore fails too; the model's error is the one to tell, once.
    reporter.summary([failed(item, error)], engineInfo);
    return 1;
  }
  reporter.item(restored, 0, 1);
  reporter.summary([restored], engineInfo);
  return restored.status === 'failed' ? 1 : 0;
}

async function isFolder(p: string): Promise<boolean> {
  try {
    return (await stat(p)).isDirectory();
  } catch {
    return false; // pairPhoto says what is wrong with it
  }
}

async function restoreItem(
  cmd: RunCommand,
  engine: RestoreEngine,
  item: WorkItem,
  onProgress: (e: ProgressEvent) => void,
  signal: AbortSignal | undefined,
): Promise<ItemOutcome> {
  if (item.problem) return failed(item, { code: 'MASK_UNREADABLE', message: item.problem });
  // Before the model runs: an output onto the photo itself is refused whatever the flags (--overwrite included).
  const refusal = await (await WriteGuard.of({ files: [item.image, ...(item.mask ? [item.mask] : [])] })).refusal(item.output);
  if (refusal) return failed(item, { code: 'OUTPUT_IS_INPUT', message: refusal });
  const request: RestoreRequest = {
    imagePath: item.image,
    mask: item.mask ? { kind: 'file', path: item.mask } : cmd.autoMask ? { kind: 'auto', detect: cmd.detect } : { kind: 'none' },
    // The output's extension decides its format, so a JPEG named .png comes out as a real PNG.
    output: { kind: 'file', path: item.output, ifExists: cmd.ifExists, format: formatForExtension(item.output) },
    options: { invertMask: cmd.invertMask, quality: cmd.quality, dilatePx: cmd.dilatePx, qualityMode: cmd.qualityMode, grain: cmd.grain, texture: cmd.texture, tone: cmd.tone },
  };
  const handle = engine.run(request, onProgress);
  const onAbort = () => handle.cancel();
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    const result = await handle.result;
    if (result.status === 'skipped') return { image: item.image, status: 'skipped', output: result.outputPath, reason: result.reason };
    const warnings = await maskWarnings(request.mask, result.stats);
    return {
      image: item.image,
      status: 'restored',
      output: item.output,
      crops: result.stats.crops,
      ms: result.stats.totalMs,
      ...networkUse(result.stats),
      ...(warnings.length > 0 ? { warnings } : {}),
      ...appliedPasses(result.stats),
    };
  } catch (err) {
    const data = err instanceof EngineError ? err.toData() : toErrorData(err);
    if (data.code === 'OUTPUT_EXISTS') {
      return failed(item, { ...data, message: `${data.message} ${OUTPUT_EXISTS_HINT}` });
    }
    return failed(item, data);
  } finally {
    signal?.removeEventListener('abort', onAbort);
  }
}

function failed(item: WorkItem, error: EngineErrorData): ItemOutcome {
  return { image: item.image, status: 'failed', error };
}
