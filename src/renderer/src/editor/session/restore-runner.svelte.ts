import { imageIdOf, type DisplayImage } from '@shared/ipc/documents';
import { DEFAULT_GRAIN_MODE, type GrainMode } from '@shared/ipc/grain';
import { DEFAULT_QUALITY_MODE, QUALITY_MODES, type QualityMode } from '@shared/ipc/restore';
import { DEFAULT_TEXTURE_MODE, type TextureMode } from '@shared/ipc/texture';
import type { AppliedTone, ToneOptions } from '@shared/ipc/tone';
import { announce } from '../../lib/announcer.svelte';
import { IpcRequestError, request, subscribe } from '../../lib/ipc';
import { ProgressSteps } from '../../lib/progress-steps';
import { progressView, type ProgressView } from '../restore/progress';

export type RestoreOutcome =
  | {
      readonly status: 'restored';
      readonly version: number;
      readonly preview: DisplayImage;
      readonly totalMs: number | null;
      readonly qualityMode: QualityMode | null;
      /** The tone settings applied; null when tone was off. */
      readonly tone: AppliedTone | null;
    }
  | { readonly status: 'cancelled' }
  | { readonly status: 'failed'; readonly code: string; readonly message: string };

/**
 * One restore run at a time: sends the current image version and the
 * union mask (PNG bytes; null = no fill, tone only) to `restore:run`, follows `restore:progress` for
 * its job id, and commits the result as the document's next version.
 */
export class RestoreRunner {
  jobId = $state<string | null>(null);
  progress = $state<ProgressView | null>(null);
  cancelling = $state(false);
  /** The fill quality restores ask for; remembered between sessions. */
  qualityMode = $state<QualityMode>(rememberedQualityMode());
  /** Grain matching on the fill (the settings' choice). */
  grain = $state<GrainMode>(DEFAULT_GRAIN_MODE);
  /** Detail transfer into wide holes (the settings' choice). */
  texture = $state<TextureMode>(DEFAULT_TEXTURE_MODE);

  get running(): boolean {
    return this.jobId !== null;
  }

  async run(documentId: string, version: number, maskPng: Uint8Array<ArrayBuffer> | null, tone?: ToneOptions): Promise<RestoreOutcome> {
    if (this.jobId) return { status: 'failed', code: 'BUSY', message: 'A restore is already running' };
    const jobId = `r${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;
    this.jobId = jobId;
    this.cancelling = false;
    this.progress = { percent: 0, stage: 'decode', label: 'Starting', eta: null };
    const steps = new ProgressSteps('Restoring');
    announce(steps.start());
    // Subscribe before asking, so no early event is missed.
    const unsubscribe = subscribe('restore:progress', (event) => {
      if (event.jobId !== jobId) return;
      this.progress = progressView(event, this.progress);
      const step = steps.update(this.progress.percent / 100);
      if (step) announce(step);
    });
    const outcome = await this.ask(jobId, documentId, version, maskPng, tone).finally(() => {
      unsubscribe();
      this.jobId = null;
      this.progress = null;
      this.cancelling = false;
    });
    announce(outcomeMessage(outcome));
    return outcome;
  }

  private async ask(
    jobId: string,
    documentId: string,
    version: number,
    maskPng: Uint8Array<ArrayBuffer> | null,
    tone: ToneOptions | undefined,
  ): Promise<RestoreOutcome> {
    try {
      const result = await request('restore:run', {
        jobId,
        image: { id: imageIdOf(documentId, version) },
        // The engine refuses mask.none without tone; runRestore never asks for it.
        mask: maskPng ? { png: maskPng } : { none: true },
        output: { preview: true },
        options: { qualityMode: this.qualityMode, grain: this.grain, texture: this.texture, ...(tone ? { tone } : {}) },
      });
      if (!result.handle) return { status: 'failed', code: 'INTERNAL', message: 'The engine returned no image' };
      const committed = await request('document:commit', { id: documentId, handle: result.handle });
      return { status: 'restored', version: committed.version, preview: committed.preview, totalMs: result.totalMs, qualityMode: result.qualityMode, tone: result.tone };
    } catch (err) {
      if (err instanceof IpcRequestError && err.code === 'CANCELLED') return { status: 'cancelled' };
      return {
        status: 'failed',
        code: err instanceof IpcRequestError ? err.code : 'INTERNAL',
        message: err instanceof Error ? err.message : String(err),
      };
    }
  }

  /** True when a fill quality was chosen before (here or on the settings page) and remembered. */
  get qualityModeRemembered(): boolean {
    try {
      return localStorage.getItem(QUALITY_MODE_KEY) !== null;
    } catch {
      return false;
    }
  }

  setQualityMode(mode: QualityMode): void {
    this.qualityMode = mode;
    try {
      localStorage.setItem(QUALITY_MODE_KEY, mode);
    } catch {
      // Storage unavailable: the choice lasts for this session only.
    }
  }

  async cancel(): Promise<void> {
    const jobId = this.jobId;
    if (!jobId || this.cancelling) return;
    this.cancelling = true;
    this.progress = this.progress ? { ...this.progress, label: 'Cancelling…', eta: null } : null;
    try {
      await request('restore:cancel', { jobId });
    } catch {
      // The run answers CANCELLED (or finishes) either way; nothing to add here.
    }
  }
}

/** What the live region says when a run ends. */
function outcomeMessage(outcome: RestoreOutcome): string {
  switch (outcome.status) {
    case 'restored':
      return 'Restore done';
    case 'cancelled':
      return 'Restore cancelled';
    case 'failed':
      return `Restore failed: ${outcome.message}`;
  }
}

const QUALITY_MODE_KEY = 'patina.editor.qualityMode';

function rememberedQualityMode(): QualityMode {
  try {
    const saved = localStorage.getItem(QUALITY_MODE_KEY);
    return (QUALITY_MODES as readonly string[]).includes(saved ?? '') ? (saved as QualityMode) : DEFAULT_QUALITY_MODE;
  } catch {
    return DEFAULT_QUALITY_MODE;
  }
}
