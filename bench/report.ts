import { availableParallelism, cpus } from 'node:os';

/** The machine line every benchmark starts its table with. */
export function machine(): string {
  return `${availableParallelism()} cores, ${cpus()[0]?.model ?? 'unknown CPU'}`;
}

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/**
 * A benchmark's results: each row is echoed to stderr as it is measured (a
 * long run shows progress), and the whole table goes to stdout at the end.
 */
export class Report {
  private readonly rows: [string, string][] = [];

  row(name: string, value: string): void {
    this.rows.push([name, value]);
    process.stderr.write(`  ${name}: ${value}\n`);
  }

  print(title: string): void {
    const width = Math.max(...this.rows.map(([n]) => n.length));
    process.stdout.write(`\n${title}\n`);
    for (const [name, value] of this.rows) process.stdout.write(`  ${name.padEnd(width)}  ${value}\n`);
  }
}
