/**
 * A counting semaphore that hands out its slots strictly first come, first
 * served. The restore worker uses one with two slots (jobs in flight) and one
 * with a single slot (the model), so neighbouring jobs overlap their decode
 * and encode with each other's inference without ever running two
 * inferences at once.
 */
export class Slots {
  private free: number;
  private readonly waiting: (() => void)[] = [];

  constructor(readonly size: number) {
    if (!Number.isInteger(size) || size < 1) throw new RangeError(`Slots needs a positive integer size, got ${size}`);
    this.free = size;
  }

  /** Resolves with a release function once a slot is free; call it exactly once. */
  acquire(): Promise<() => void> {
    return new Promise((resolve) => {
      const grant = () => resolve(this.releaser());
      if (this.free > 0) {
        this.free--;
        grant();
      } else {
        this.waiting.push(grant);
      }
    });
  }

  /** Runs work in a slot and frees the slot however the work ends. */
  async run<T>(work: () => Promise<T>): Promise<T> {
    const release = await this.acquire();
    try {
      return await work();
    } finally {
      release();
    }
  }

  get inUse(): number {
    return this.size - this.free;
  }

  private releaser(): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiting.shift();
      // The slot passes straight to the next waiter, so nobody can overtake it.
      if (next) next();
      else this.free++;
    };
  }
}
