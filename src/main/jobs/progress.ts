import { RESTORE_STAGES, type RestoreProgress, type RestoreStage } from '@shared/ipc/restore';

/** A job's stages, in order: the contract's (src/shared/ipc/restore.ts). */
export const STAGES = RESTORE_STAGES;
export type Stage = RestoreStage;

/** The restore:progress event payload, as the contract types it; also one --json line of the CLI. */
export type ProgressEvent = RestoreProgress;

export type ProgressListener = (event: ProgressEvent) => void;

/**
 * Turns a stream of stage/step updates into progress events, at most one per
 * `intervalMs` (about 10 per second by default). The first event of a stage
 * and the stage's last step always go out, so a listener never misses a stage
 * boundary or finishes short of done === total.
 */
export class ProgressReporter {
  private stage: Stage | undefined;
  private total = 0;
  private stageStart = 0;
  private lastEmit = -Infinity;

  constructor(
    private readonly jobId: string,
    private readonly listener: ProgressListener | undefined,
    private readonly intervalMs = 100,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Enters a stage with `total` steps and reports 0/total. */
  begin(stage: Stage, total: number): void {
    this.stage = stage;
    this.total = total;
    this.stageStart = this.now();
    this.emit(0, true);
  }

  /** Reports `done` steps of the current stage. */
  step(done: number): void {
    this.emit(done, done >= this.total);
  }

  private emit(done: number, force: boolean): void {
    if (!this.listener || !this.stage) return;
    const t = this.now();
    if (!force && t - this.lastEmit < this.intervalMs) return;
    this.lastEmit = t;
    const elapsed = t - this.stageStart;
    const etaMs = done >= this.total ? 0 : done > 0 ? Math.round((elapsed / done) * (this.total - done)) : null;
    this.listener({ jobId: this.jobId, stage: this.stage, done, total: this.total, etaMs });
  }
}
