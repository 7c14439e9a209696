/**
 * A stopwatch that does not run while the batch is paused: per-item times and
 * the ETA are measured on it, so a lunch-break pause changes neither.
 * Times are in ms; `now` is injectable for tests.
 */
export class ActiveClock {
  private accumulated = 0;
  private startedAt: number | null = null;

  constructor(
    initialMs = 0,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.accumulated = initialMs;
  }

  get running(): boolean {
    return this.startedAt !== null;
  }

  start(): void {
    if (this.startedAt === null) this.startedAt = this.now();
  }

  stop(): void {
    if (this.startedAt === null) return;
    this.accumulated += this.now() - this.startedAt;
    this.startedAt = null;
  }

  /** Active ms so far. */
  read(): number {
    return this.accumulated + (this.startedAt === null ? 0 : this.now() - this.startedAt);
  }
}

/**
 * Time left for a queue worked on with some overlap (the next photo decodes
 * while this one is in the model). What is measured is therefore not each
 * item's own duration but the active time between one restored item and the
 * next: the queue's real pace. Recent gaps weigh more (each older one by
 * DECAY), so the estimate follows a change of photo sizes, and the first
 * gap, which includes loading the model, fades out quickly.
 */
export class EtaEstimator {
  static readonly WINDOW = 12;
  static readonly DECAY = 0.75;
  private readonly gaps: number[] = [];
  private lastAt: number;

  /** `startAt`: active time when this run began (the first gap is measured from it). */
  constructor(startAt: number) {
    this.lastAt = startAt;
  }

  /** An item was restored at active time `at`. */
  record(at: number): void {
    this.gaps.push(Math.max(0, at - this.lastAt));
    if (this.gaps.length > EtaEstimator.WINDOW) this.gaps.shift();
    this.lastAt = at;
  }

  /** Weighted mean gap in ms, or null before the first restored item. */
  perItem(): number | null {
    if (this.gaps.length === 0) return null;
    let sum = 0;
    let weights = 0;
    let w = 1;
    for (let i = this.gaps.length - 1; i >= 0; i--) {
      sum += this.gaps[i]! * w;
      weights += w;
      w *= EtaEstimator.DECAY;
    }
    return sum / weights;
  }

  /**
   * ms until `remaining` more items are restored, at active time `now`. The
   * time already spent on the next one counts towards it, but the estimate
   * never drops below what the other remaining items need.
   */
  eta(remaining: number, now: number): number | null {
    if (remaining <= 0) return 0;
    const per = this.perItem();
    if (per === null) return null;
    const sinceLast = Math.max(0, now - this.lastAt);
    return Math.round(Math.max(per * (remaining - 1), per * remaining - sinceLast));
  }
}
