import { DEFAULT_DETECT_MEDIUM, DEFAULT_DETECT_METHOD, DEFAULT_DETECT_SENSITIVITY, type DetectMedium, type DetectMethodName } from '@shared/ipc/detection';
import { imageIdOf } from '@shared/ipc/documents';
import { announce } from '../../lib/announcer.svelte';
import { IpcRequestError, request, subscribe } from '../../lib/ipc';
import { ProgressSteps } from '../../lib/progress-steps';
import type { ScoreMap } from '../detect/score-map';
import { loadGreyImage, loadMaskImage } from './load-mask-image';

export type DetectOutcome =
  | {
      readonly status: 'found';
      readonly bits: Uint8Array;
      readonly flagged: number;
      readonly summary: string;
      /** The sensitivity it ran at (the slider may have moved since). */
      readonly sensitivity: number;
      /** Why another detector ran than the one chosen (the model could not load), when it did. */
      readonly note: string | null;
    }
  | { readonly status: 'cancelled' }
  | { readonly status: 'failed'; readonly message: string };

/**
 * Automatic damage detection for the open image version (`defects:detect`):
 * follows `defects:progress`, then loads the detected mask so the editor can
 * add it as an ordinary, editable layer.
 */
export class DetectRunner {
  jobId = $state<string | null>(null);
  percent = $state(0);
  /** 0..1: higher finds fainter damage (and more false alarms). Kept for the session, not per photo. */
  sensitivity = $state(DEFAULT_DETECT_SENSITIVITY);
  /** Which detector runs; kept for the session like the sensitivity. */
  method = $state<DetectMethodName>(DEFAULT_DETECT_METHOD);
  /** What the photo is: 'film' also finds film's line scratches. Kept for the session like the method. */
  medium = $state<DetectMedium>(DEFAULT_DETECT_MEDIUM);
  /** The last learned detection's preview scores (the sensitivity slider thresholds them while it moves). */
  private scores: ScoreMap | null = null;

  /** The preview scores of this image version's last detection, if it had them. */
  scoresFor(documentId: string, version: number): ScoreMap | null {
    const s = this.scores;
    return s && s.documentId === documentId && s.imageVersion === version ? s : null;
  }

  get running(): boolean {
    return this.jobId !== null;
  }

  async run(documentId: string, version: number, width: number, height: number): Promise<DetectOutcome> {
    if (this.jobId) return { status: 'failed', message: 'Damage detection is already running' };
    const jobId = `d${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;
    this.jobId = jobId;
    this.percent = 0;
    const sensitivity = this.sensitivity;
    const steps = new ProgressSteps('Finding damage');
    announce(steps.start());
    const unsubscribe = subscribe('defects:progress', (e) => {
      if (e.jobId !== jobId || e.total <= 0) return;
      this.percent = Math.max(this.percent, Math.round((e.done / e.total) * 100));
      const step = steps.update(this.percent / 100);
      if (step) announce(step);
    });
    const outcome = await this.ask(jobId, documentId, version, width, height, sensitivity).finally(() => {
      unsubscribe();
      this.jobId = null;
    });
    announce(
      outcome.status === 'found'
        ? `Finding damage done: ${outcome.flagged === 0 ? 'nothing found' : outcome.summary || `${outcome.flagged.toLocaleString('en-US')} px marked`}`
        : outcome.status === 'cancelled'
          ? 'Finding damage cancelled'
          : `Finding damage failed: ${outcome.message}`,
    );
    return outcome;
  }

  private async ask(jobId: string, documentId: string, version: number, width: number, height: number, sensitivity: number): Promise<DetectOutcome> {
    try {
      const result = await request('defects:detect', { jobId, image: { id: imageIdOf(documentId, version) }, sensitivity, method: this.method, medium: this.medium });
      const bits = await loadMaskImage(result.url, width, height);
      const scores = result.scores;
      this.scores = scores
        ? { documentId, imageVersion: version, width: scores.width, height: scores.height, factor: scores.factor, data: await loadGreyImage(scores.url, scores.width, scores.height) }
        : null;
      const parts = [
        result.strokes ? `${result.strokes} scratch${result.strokes === 1 ? '' : 'es'}` : '',
        result.specks ? `${result.specks} speck${result.specks === 1 ? '' : 's'}` : '',
        result.corners ? `${result.corners} torn corner${result.corners === 1 ? '' : 's'}` : '',
      ].filter(Boolean);
      return { status: 'found', bits, flagged: result.flaggedPixels, summary: parts.join(', '), sensitivity, note: result.note };
    } catch (err) {
      if (err instanceof IpcRequestError && err.code === 'CANCELLED') return { status: 'cancelled' };
      return { status: 'failed', message: err instanceof Error ? err.message : String(err) };
    }
  }

  async cancel(): Promise<void> {
    if (this.jobId) await request('defects:cancel', { jobId: this.jobId }).catch(() => undefined);
  }
}
