import type { RestoreProgress, RestoreStage } from '@shared/ipc/restore';

/*
 * Turns the engine's per-stage progress events into one bar: a percent over
 * the whole run, a line saying what is happening, and an ETA.
 */

/** Share of the whole run each stage stands for (inpainting dominates). */
const STAGE_SPAN: Readonly<Record<RestoreStage, readonly [number, number]>> = {
  decode: [0, 0.08],
  detect: [0.08, 0.2],
  inpaint: [0.2, 0.95],
  encode: [0.95, 1],
};

export interface ProgressView {
  /** 0-100 over the whole run, never going backwards. */
  readonly percent: number;
  readonly stage: RestoreStage;
  readonly label: string;
  /** "about 12 s left", or null when there is nothing to estimate from yet. */
  readonly eta: string | null;
}

export function stageLabel(event: RestoreProgress): string {
  switch (event.stage) {
    case 'decode':
      return 'Reading the photo';
    case 'detect':
      return 'Finding damage';
    case 'inpaint':
      return event.total > 1 ? `Filling area ${Math.min(event.done + 1, event.total)} of ${event.total}` : 'Filling the marked area';
    case 'encode':
      return 'Finishing';
  }
}

export function formatEta(ms: number | null): string | null {
  if (ms === null || !Number.isFinite(ms)) return null;
  if (ms < 1500) return 'almost done';
  const s = Math.round(ms / 1000);
  if (s < 60) return `about ${s} s left`;
  const m = Math.round(s / 60);
  return `about ${m} min left`;
}

/** Folds one event into the view; `previous` keeps the bar monotonic. */
export function progressView(event: RestoreProgress, previous: ProgressView | null): ProgressView {
  const [from, to] = STAGE_SPAN[event.stage];
  const fraction = event.total > 0 ? Math.min(1, event.done / event.total) : 0;
  const percent = Math.max(previous?.percent ?? 0, Math.round((from + (to - from) * fraction) * 100));
  return { percent, stage: event.stage, label: stageLabel(event), eta: event.stage === 'inpaint' ? formatEta(event.etaMs) : null };
}
