import { randomUUID } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { BatchSnapshot, BatchState } from '@shared/ipc/batch';
import { fsDetail, fsReason } from '../jobs/fs-errors';
import { ActiveClock } from './eta';
import { fingerprintOf, JournalWriter, readJournal, removeStaleTemps, type JournalData } from './journal';
import { lockOutputFolder, type FolderLock } from './lock';
import { BatchSetupError, planBatch } from './plan';
import { reconcile } from './reconcile';
import { buildReport, reportPathFor, writeReport } from './report';
import { BatchRunner, type Restorer, type RunnerHooks } from './runner';
import { projectSidecarMasks, type SidecarMasks } from './sidecar';
import type { BatchSpec } from './types';
import { itemView } from './views';

export interface OpenBatchOptions {
  readonly restorer: Restorer;
  readonly sidecars?: SidecarMasks;
  readonly hooks?: RunnerHooks;
  readonly concurrency?: number;
}

/**
 * One batch over one output folder, from open to close: plans the items,
 * locks the folder, picks up an unfinished journal of the same batch
 * (resume), removes temporary files a killed run left, and drives the
 * runner. Used alike by the app (batch:* handlers) and the CLI.
 *
 * Resume rule: a journal in the output folder whose spec matches (collision
 * policy aside) is continued: done items stay done, failed ones are retried.
 * Only a journal that finished and a start that asks to overwrite begin
 * afresh, redoing everything.
 */
export class BatchSession {
  private lock: FolderLock | null;

  private constructor(
    readonly journal: JournalData,
    readonly resumed: boolean,
    /** Temporary files of a killed run that opening removed. */
    readonly removedTemps: readonly string[],
    readonly runner: BatchRunner,
    private readonly writer: JournalWriter,
    lock: FolderLock,
  ) {
    this.lock = lock;
  }

  static async open(spec: BatchSpec, options: OpenBatchOptions): Promise<BatchSession> {
    const plan = await planBatch(spec);
    const dir = spec.output.dir;
    try {
      await mkdir(dir, { recursive: true });
    } catch (err) {
      throw new BatchSetupError(`Cannot create the output folder ${dir}: ${fsReason(err)}; choose another output folder`, 'io', fsDetail(err));
    }
    const lock = await lockOutputFolder(dir);
    try {
      const old = await readJournal(dir);
      const fingerprint = fingerprintOf(spec);
      const resume = old !== null && old.fingerprint === fingerprint && !(old.finished && spec.output.collision === 'overwrite');
      const run = resume ? old.runs + 1 : 1;
      const items = resume ? await reconcile(plan.items, old.items, run) : plan.items;
      const now = new Date().toISOString();
      const journal: JournalData = {
        kind: 'patina-batch-journal',
        schemaVersion: 1,
        batchId: resume ? old.batchId : randomUUID(),
        fingerprint,
        spec,
        createdAt: resume ? old.createdAt : now,
        updatedAt: now,
        runs: run,
        activeMs: resume ? old.activeMs : 0,
        finished: false,
        items,
        unusedMasks: plan.unusedMasks,
      };
      const outputDirs = new Set([dir, ...items.filter((i) => i.output).map((i) => path.dirname(i.output!))]);
      const removed = await removeStaleTemps(outputDirs);
      for (const d of outputDirs) await mkdir(d, { recursive: true });

      const clock = new ActiveClock(journal.activeMs);
      const writer = new JournalWriter(dir, () => {
        journal.activeMs = clock.read();
        return journal;
      });
      await writer.save();
      let session: BatchSession | null = null;
      const runner = new BatchRunner({
        batchId: journal.batchId,
        spec,
        items,
        restorer: options.restorer,
        sidecars: options.sidecars ?? projectSidecarMasks,
        save: () => writer.save(),
        settle: (state) => session!.settle(state),
        run,
        clock,
        hooks: options.hooks,
        concurrency: options.concurrency,
      });
      session = new BatchSession(journal, resume, removed, runner, writer, lock);
      return session;
    } catch (err) {
      await lock.release();
      throw err;
    }
  }

  get batchId(): string {
    return this.journal.batchId;
  }

  get spec(): BatchSpec {
    return this.journal.spec;
  }

  get reportPath(): string {
    return reportPathFor(this.spec.output.dir);
  }

  /** Runs the queue; resolves when the run ends (finished or cancelled). */
  start(): Promise<BatchState> {
    return this.runner.start();
  }

  /**
   * Retries the failed items. After the run ended the folder lock was given
   * up; it is taken again, and refused when another process changed the
   * journal in between.
   */
  async retryFailed(): Promise<number> {
    if (!this.lock) {
      const lock = await lockOutputFolder(this.spec.output.dir);
      const onDisk = await readJournal(this.spec.output.dir);
      if (onDisk && (onDisk.batchId !== this.batchId || onDisk.updatedAt !== this.journal.updatedAt)) {
        await lock.release();
        throw new BatchSetupError(`The batch in ${this.spec.output.dir} was changed by another run; start it again to pick that up`);
      }
      this.lock = lock;
    }
    const n = this.runner.retryFailed();
    if (n === 0 && (this.runner.state === 'finished' || this.runner.state === 'cancelled')) await this.releaseLock();
    return n;
  }

  snapshot(): BatchSnapshot {
    const run = this.journal.runs;
    return {
      ...this.runner.progress(),
      outputFolder: this.spec.output.dir,
      reportPath: this.reportPath,
      resumed: this.resumed,
      items: this.runner.items.map((i) => itemView(i, run)),
      unusedMasks: this.journal.unusedMasks,
    };
  }

  /** Stops work (cancelling what is in flight), saves, and gives the folder back. */
  async close(): Promise<void> {
    const active = this.runner.state === 'running' || this.runner.state === 'pausing' || this.runner.state === 'paused';
    if (this.runner.started && active) {
      const settled = this.runner.whenSettled();
      this.runner.cancel();
      await settled;
    }
    this.runner.dispose();
    await this.releaseLock();
  }

  private async settle(state: 'finished' | 'cancelled'): Promise<void> {
    this.journal.finished = state === 'finished';
    try {
      await this.writer.save();
      await writeReport(this.spec.output.dir, buildReport(this.journal, state));
    } finally {
      await this.releaseLock();
    }
  }

  private async releaseLock(): Promise<void> {
    const lock = this.lock;
    this.lock = null;
    await lock?.release();
  }
}
