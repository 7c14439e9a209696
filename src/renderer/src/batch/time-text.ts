/** "850 ms", "12 s", "3 min 05 s", "1 h 20 min": per-item times and elapsed time. */
export function durationText(ms: number): string {
  if (ms < 1000) return `${Math.max(0, Math.round(ms))} ms`;
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${String(s % 60).padStart(2, '0')} s`;
  return `${Math.floor(m / 60)} h ${String(m % 60).padStart(2, '0')} min`;
}

/**
 * The ETA as a person reads it: rounded the way an estimate deserves
 * (no second-by-second jitter on an hour-long batch).
 */
export function etaText(ms: number | null): string {
  if (ms === null) return 'Estimating time left…';
  if (ms <= 0) return 'Almost done';
  const s = Math.ceil(ms / 1000);
  if (s < 60) return `About ${Math.max(5, Math.ceil(s / 5) * 5)} s left`;
  const m = Math.round(s / 60);
  if (m < 60) return `About ${m} min left`;
  return `About ${Math.floor(m / 60)} h ${String(m % 60).padStart(2, '0')} min left`;
}
