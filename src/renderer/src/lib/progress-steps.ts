/**
 * Which progress to announce: the start, each quarter passed (25, 50 and
 * 75 %), and the end. A job sending ten events a second then says five
 * things, not hundreds.
 */
export class ProgressSteps {
  private quarter = 0;

  constructor(private readonly what: string) {}

  start(): string {
    this.quarter = 0;
    return `${this.what} started`;
  }

  /** `fraction` 0..1 (out-of-range and non-finite values are clamped); a message when a new quarter is reached, else null. */
  update(fraction: number): string | null {
    const f = Number.isFinite(fraction) ? Math.min(1, Math.max(0, fraction)) : 0;
    const quarter = Math.floor(f * 4);
    if (quarter <= this.quarter || quarter >= 4) return null;
    this.quarter = quarter;
    return `${this.what}: ${quarter * 25} %`;
  }
}
