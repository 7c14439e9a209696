export const STAGES = ['decode', 'detect', 'inpaint', 'encode'] as const;
export type Stage = (typeof STAGES)[number];

/** The restore:progress event payload; also one --json line of the CLI. */
export interface ProgressEvent {
  readonly jobId: string;
  readonly stage: Stage;
  readonly done: number;
  readonly total: number;
  /** Estimated ms until the stage ends; null until there is something to estimate from. */
  readonly etaMs: number | null;
}

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
