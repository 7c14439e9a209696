import { stat } from 'node:fs/promises';
import path from 'node:path';
import { DEFAULT_NAME_TEMPLATE } from '@shared/ipc/batch-template';
import { BatchSetupError } from '../batch/plan';
import { BatchSession } from '../batch/session';
import type { BatchItem, BatchSpec, MaskSource } from '../batch/types';
import type { RestoreEngine } from '../restore/engine';
import { EngineError, type EngineErrorData } from '../errors/engine-error';
import { appliedPasses } from '../restore/applied-passes';
import { UsageError, type RunCommand } from './args';
import { loadModel, OUTPUT_EXISTS_HINT, type ItemOutcome, type RunReporter } from './run-shared';

/**
 * `patina run --image <folder>`: the same batch queue the app uses. The
 * output folder holds the queue's journal, so running the same command again
 * resumes an interrupted batch (finished photos are not redone) and
 * patina-report.json lists every result. Flags and exit codes are those of
 * `patina run`: 0 all restored or skipped, 1 some failed (or interrupted),
 * 2 usage errors (including a folder the queue cannot start on).
 */
export async function runFolder(cmd: RunCommand, engine: RestoreEngine, reporter: RunReporter, signal?: AbortSignal): Promise<0 | 1> {
  const spec = await folderSpec(cmd);
  let session: BatchSession;
  try {
    session = await BatchSession.open(spec, {
      restorer: engine,
      hooks: {
        engineProgress: (item, event) => reporter.progress(item.source, item.id, session.runner.items.length, event),
        item: (item) => {
          if (item.state !== 'queued' && item.state !== 'running') reporter.item(outcomeOf(item, session.journal.runs), item.id, session.runner.items.length);
        },
        progress: (progress) => reporter.batch?.(progress),
        warning: (message) => process.stderr.write(`patina: ${message}\n`),
      },
    });
  } catch (err) {
    if (err instanceof BatchSetupError && err.kind === 'usage') throw new UsageError(err.message);
    // The disk or another batch said no: a failed run (exit 1), not a wrongly typed command.
    if (err instanceof BatchSetupError) throw new EngineError('OUTPUT_FAILED', err.message, err.detail);
    throw err;
  }
  try {
    const items = session.runner.items;
    const { engineInfo, error } = await loadModel(engine, reporter, cmd);
    if (error) {
      const outcomes = items.map((it) => (it.state === 'queued' ? failed(it, error) : outcomeOf(it, session.journal.runs)));
      reporter.summary(outcomes, engineInfo);
      return 1;
    }
    reporter.batchStart?.({
      batchId: session.batchId,
      total: items.length,
      resumed: session.resumed,
      alreadyDone: items.filter((i) => i.state === 'done').length,
      removedTemps: session.removedTemps.length,
      unusedMasks: session.journal.unusedMasks,
    });
    // What the plan (or an earlier run) settled is reported up front; the rest as it happens.
    for (const item of items) if (item.state !== 'queued') reporter.item(outcomeOf(item, session.journal.runs), item.id, items.length);

    const cancel = () => session.runner.cancel();
    signal?.addEventListener('abort', cancel, { once: true });
    if (signal?.aborted) cancel();
    const state = signal?.aborted ? 'cancelled' : await session.start();
    signal?.removeEventListener('abort', cancel);

    reporter.batchEnd?.({ state, report: session.reportPath });
    const outcomes = items.map((it) =>
      it.state === 'queued' || it.state === 'running' ? failed(it, { code: 'CANCELLED', message: 'The run was interrupted' }) : outcomeOf(it, session.journal.runs),
    );
    reporter.summary(outcomes, engineInfo);
    return outcomes.some((o) => o.status === 'failed') ? 1 : 0;
  } finally {
    await session.close();
  }
}

async function folderSpec(cmd: RunCommand): Promise<BatchSpec> {
  return {
    input: { kind: 'folder', dir: path.resolve(cmd.image), recursive: cmd.recursive },
    masks: cmd.autoMask ? { kind: 'auto', detect: cmd.detect } : cmd.mask ? await maskSource(cmd.mask) : { kind: 'none' },
    output: {
      dir: path.resolve(cmd.output),
      template: DEFAULT_NAME_TEMPLATE,
      format: 'same',
      quality: cmd.quality,
      collision: cmd.ifExists,
    },
    options: { invertMask: cmd.invertMask, dilatePx: cmd.dilatePx, qualityMode: cmd.qualityMode, ...(cmd.grain ? { grain: cmd.grain } : {}), ...(cmd.texture ? { texture: cmd.texture } : {}), ...(cmd.tone ? { tone: cmd.tone } : {}) },
  };
}

async function maskSource(mask: string): Promise<MaskSource> {
  try {
    const s = await stat(mask);
    if (s.isDirectory()) return { kind: 'folder', dir: path.resolve(mask) };
    if (s.isFile()) return { kind: 'file', path: path.resolve(mask) };
  } catch {
    throw new UsageError(`--mask ${mask} does not exist`);
  }
  throw new UsageError(`--mask ${mask} is neither a file nor a folder`);
}

/** An item that has settled, as the CLI reports it. `run`: this run's number. */
function outcomeOf(item: BatchItem, run: number): ItemOutcome {
  switch (item.state) {
    case 'done':
      if (item.doneInRun !== null && item.doneInRun < run) {
        return { image: item.source, status: 'skipped', output: item.output!, reason: 'restored by an earlier run of this batch' };
      }
      return {
        image: item.source,
        status: 'restored',
        output: item.output!,
        crops: item.crops ?? 0,
        ms: item.ms ?? 0,
        ...(item.networkPerPhoto === undefined ? {} : { networkMegapixels: item.networkMegapixels, networkPerPhoto: item.networkPerPhoto }),
        ...(item.qualityMode === undefined ? {} : { qualityMode: item.qualityMode }),
        ...(item.warnings ? { warnings: item.warnings } : {}),
        ...appliedPasses(item),
      };
    case 'skipped':
      return { image: item.source, status: 'skipped', output: item.output ?? '', reason: item.reason ?? 'skipped' };
    default: {
      const error = item.error ?? { code: 'INTERNAL', message: 'Failed' };
      const message = error.code === 'OUTPUT_EXISTS' ? `${error.message} ${OUTPUT_EXISTS_HINT}` : error.message;
      // The queue adds its own codes (OUTPUT_CLASH, OUTPUT_IS_INPUT) to the engine's; JSON carries them as they are.
      return { image: item.source, status: 'failed', error: { code: error.code as EngineErrorData['code'], message, ...(error.detail ? { detail: error.detail } : {}) } };
    }
  }
}

function failed(item: BatchItem, error: EngineErrorData): ItemOutcome {
  return { image: item.source, status: 'failed', error };
}
