import type { BatchProgress, BatchState } from '@shared/ipc/batch';
import { Slots } from '../jobs/slots';
import type { ProgressEvent, ProgressListener } from '../jobs/progress';
import type { RunHandle } from '../restore/engine';
import { cancelledError, toErrorData } from '../errors/engine-error';
import { maskWarnings } from '../restore/mask-warnings';
import { networkUse } from '../restore/network-use';
import { appliedPasses } from '../restore/applied-passes';
import type { RestoreRequest, RestoreResult } from '../restore/types';
import { EtaEstimator, type ActiveClock } from './eta';
import { maskInputFor, restoreRequestFor } from './item-request';
import { freeOutputName } from './naming';
import { stampOf } from './reconcile';
import type { SidecarMasks } from './sidecar';
import { Throttle } from './throttle';
import { BATCH_ITEM_CODES, type BatchItem, type BatchSpec } from './types';
import { countItems } from './views';

/** What the runner needs from the engine: RestoreEngine fits. */
export interface Restorer {
  run(request: RestoreRequest, onProgress?: ProgressListener): RunHandle;
}

export interface RunnerHooks {
  /** An item changed state. */
  item?(item: BatchItem): void;
  /** Throttled to about 10 per second; immediate on state changes. */
  progress?(progress: BatchProgress): void;
  /** Every engine event of an item (the CLI's --json progress lines). */
  engineProgress?(item: BatchItem, event: ProgressEvent): void;
  /** The journal could not be written (the batch goes on; the outputs are still whole). */
  warning?(message: string): void;
}

export interface RunnerOptions {
  readonly batchId: string;
  readonly spec: BatchSpec;
  readonly items: BatchItem[];
  readonly restorer: Restorer;
  readonly sidecars: SidecarMasks;
  /** Persists the items' current state (the journal); awaited before each item starts. */
  readonly save: () => Promise<void>;
  /** Called when a run ends (finished or cancelled), before whenSettled resolves: journal and report. */
  readonly settle: (state: 'finished' | 'cancelled') => Promise<void>;
  /** Which run of the batch this is (1 for the first). */
  readonly run: number;
  readonly clock: ActiveClock;
  readonly hooks?: RunnerHooks;
  /** Jobs in flight; two lets one decode or encode while the other is in the model. */
  readonly concurrency?: number;
}

interface InFlight {
  handle: RunHandle | null;
  event: ProgressEvent | null;
}

/** Failures decided when the batch was planned; retrying them cannot help (and a clash could overwrite). */
const FINAL_CODES: ReadonlySet<string> = new Set([BATCH_ITEM_CODES.clash, BATCH_ITEM_CODES.isInput]);

/**
 * The queue's scheduler. Items are taken in order; up to `concurrency` are
 * handed to the engine at once (which runs one inference at a time and
 * overlaps the rest); each item ends done, skipped or failed on its own, so
 * one bad file never stops the batch. The journal is saved before an item
 * starts (with what stood at its output) and after it ends.
 *
 * States: running -> pausing (in-flight items finish) -> paused; cancel from
 * any of them -> cancelling (in-flight jobs are cancelled and go back to
 * queued) -> cancelled; running with nothing left -> finished. Retrying
 * failed items from finished or cancelled runs again.
 */
export class BatchRunner {
  private stateValue: BatchState = 'paused';
  private readonly inFlight = new Map<number, InFlight>();
  private readonly eta: EtaEstimator;
  private readonly throttle: Throttle;
  private readonly naming = new Slots(1);
  private settled: Promise<BatchState> | null = null;
  private resolveSettled: ((s: BatchState) => void) | null = null;
  private readonly concurrency: number;
  private startedOnce = false;

  constructor(private readonly o: RunnerOptions) {
    this.eta = new EtaEstimator(o.clock.read());
    this.throttle = new Throttle(() => o.hooks?.progress?.(this.progress()));
    this.concurrency = Math.max(1, o.concurrency ?? 2);
  }

  get state(): BatchState {
    return this.stateValue;
  }

  get items(): readonly BatchItem[] {
    return this.o.items;
  }

  /** False until start() is first called (a batch opened but never run, e.g. the model failed to load). */
  get started(): boolean {
    return this.startedOnce;
  }

  /** Starts (or restarts, after finished/cancelled) working through the queue. */
  start(): Promise<BatchState> {
    if (this.stateValue === 'running' || this.stateValue === 'pausing' || this.stateValue === 'cancelling') {
      return this.whenSettled();
    }
    const settled = this.whenSettled();
    this.startedOnce = true;
    this.setState('running');
    this.o.clock.start();
    this.pump();
    return settled;
  }

  /** Resolves when the current run ends (finished or cancelled); pausing does not end it. */
  whenSettled(): Promise<BatchState> {
    this.settled ??= new Promise((resolve) => (this.resolveSettled = resolve));
    return this.settled;
  }

  pause(): void {
    if (this.stateValue !== 'running') return;
    this.setState('pausing');
    this.pump();
  }

  resume(): void {
    if (this.stateValue !== 'pausing' && this.stateValue !== 'paused') return;
    this.setState('running');
    this.o.clock.start();
    this.pump();
  }

  cancel(): void {
    if (this.stateValue !== 'running' && this.stateValue !== 'pausing' && this.stateValue !== 'paused') return;
    this.setState('cancelling');
    for (const flight of this.inFlight.values()) flight.handle?.cancel();
    this.pump();
  }

  /** Puts failed items back in the queue (not those failed by plan: clashes) and runs them. Returns how many. */
  retryFailed(): number {
    let n = 0;
    for (const item of this.o.items) {
      if (item.state !== 'failed' || (item.error && FINAL_CODES.has(item.error.code))) continue;
      item.state = 'queued';
      item.error = null;
      item.ms = null;
      n++;
      this.o.hooks?.item?.(item);
    }
    if (n === 0) return 0;
    if (this.stateValue === 'finished' || this.stateValue === 'cancelled') void this.start();
    else this.pump();
    return n;
  }

  progress(): BatchProgress {
    const counts = countItems(this.o.items);
    const now = this.o.clock.read();
    return {
      batchId: this.o.batchId,
      state: this.stateValue,
      counts,
      current: [...this.inFlight].map(([id, f]) => ({
        id,
        rel: this.o.items[id]!.rel,
        stage: f.event?.stage ?? null,
        stageDone: f.event?.done ?? 0,
        stageTotal: f.event?.total ?? 0,
      })),
      etaMs: this.stateValue === 'finished' ? 0 : this.eta.eta(counts.queued + counts.running, now),
      elapsedMs: Math.round(now),
      perItemMs: roundOrNull(this.eta.perItem()),
    };
  }

  dispose(): void {
    this.throttle.dispose();
  }

  private setState(state: BatchState): void {
    this.stateValue = state;
    this.throttle.flush();
  }

  private pump(): void {
    if (this.stateValue === 'running') {
      for (const item of this.o.items) {
        if (this.inFlight.size >= this.concurrency) break;
        if (item.state === 'queued' && !this.inFlight.has(item.id)) this.launch(item);
      }
    }
    if (this.inFlight.size > 0) return;
    if (this.stateValue === 'pausing') {
      this.o.clock.stop();
      this.setState('paused');
    } else if (this.stateValue === 'cancelling') {
      void this.end('cancelled');
    } else if (this.stateValue === 'running' && !this.o.items.some((i) => i.state === 'queued')) {
      void this.end('finished');
    }
  }

  private async end(state: 'finished' | 'cancelled'): Promise<void> {
    this.o.clock.stop();
    this.stateValue = state;
    try {
      await this.o.settle(state);
    } catch (err) {
      this.o.hooks?.warning?.(`Could not save the batch's journal or report: ${err instanceof Error ? err.message : String(err)}`);
    }
    this.throttle.flush();
    const resolve = this.resolveSettled;
    this.settled = null;
    this.resolveSettled = null;
    resolve?.(state);
  }

  private launch(item: BatchItem): void {
    const flight: InFlight = { handle: null, event: null };
    this.inFlight.set(item.id, flight);
    item.state = 'running';
    this.o.hooks?.item?.(item);
    this.throttle.request();
    void this.process(item, flight).finally(() => {
      this.inFlight.delete(item.id);
      this.throttle.request();
      this.pump();
    });
  }

  private async process(item: BatchItem, flight: InFlight): Promise<void> {
    const started = this.o.clock.read();
    try {
      const mask = await maskInputFor(item, this.o.sidecars);
      await this.claimOutput(item);
      await this.saveJournal();
      if (this.stateValue === 'cancelling') throw cancelledError();
      flight.handle = this.o.restorer.run(restoreRequestFor(item, mask, this.o.spec), (event) => {
        flight.event = event;
        this.o.hooks?.engineProgress?.(item, event);
        this.throttle.request();
      });
      const result = await flight.handle.result;
      this.settleItem(item, result, started);
      if (result.status === 'restored') {
        const warnings = await maskWarnings(mask, result.stats);
        if (warnings.length > 0) item.warnings = warnings;
      }
    } catch (err) {
      const error = toErrorData(err);
      if (error.code === 'CANCELLED' && this.stateValue === 'cancelling') {
        // Not the photo's fault: it stays in the queue for the next run.
        item.state = 'queued';
        item.before = null;
      } else if (error.code === 'MASK_EMPTY' && item.mask?.kind === 'auto') {
        // Detection found nothing to fill: a clean photo, not a failure (an empty mask a person gave is one).
        item.state = 'skipped';
        item.reason = 'No damage found automatically; nothing to restore';
        item.ms = Math.round(this.o.clock.read() - started);
      } else {
        item.state = 'failed';
        item.error = error.detail ? { code: error.code, message: error.message, detail: error.detail } : { code: error.code, message: error.message };
        item.ms = Math.round(this.o.clock.read() - started);
      }
    }
    await this.saveJournal();
    this.o.hooks?.item?.(item);
  }

  private settleItem(item: BatchItem, result: RestoreResult, started: number): void {
    const now = this.o.clock.read();
    item.ms = Math.round(now - started);
    if (result.status === 'skipped') {
      item.state = 'skipped';
      item.reason = `Output already exists: ${result.outputPath}`;
      return;
    }
    item.state = 'done';
    item.crops = result.stats.crops;
    Object.assign(item, networkUse(result.stats), appliedPasses(result.stats));
    item.doneInRun = this.o.run;
    this.eta.record(now);
  }

  /**
   * Fixes the output name ('rename' picks a free one, one item at a time so
   * two in flight cannot pick the same) and records what stood there before.
   */
  private async claimOutput(item: BatchItem): Promise<void> {
    if (this.o.spec.output.collision === 'rename') {
      await this.naming.run(async () => {
        const taken = new Set(this.o.items.filter((i) => i !== item && (i.state === 'running' || i.state === 'done') && i.output).map((i) => i.output!));
        item.output = await freeOutputName(item.output!, taken);
      });
    }
    item.before = await stampOf(item.output!);
  }

  private async saveJournal(): Promise<void> {
    try {
      await this.o.save();
    } catch (err) {
      this.o.hooks?.warning?.(`Could not save the batch journal: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
}

function roundOrNull(v: number | null): number | null {
  return v === null ? null : Math.round(v);
}
