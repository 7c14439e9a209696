import type { BatchItemView, BatchProgress, BatchSnapshot } from '@shared/ipc/batch';
import { DETECT_MEDIUM_LABELS, DETECT_METHOD_LABELS } from '@shared/ipc/detection';
import { GRAIN_MODE_LABELS } from '@shared/ipc/grain';
import { TEXTURE_MODE_LABELS } from '@shared/ipc/texture';
import type { Settings } from '@shared/ipc/settings';
import type { GrantedPath } from '@shared/ipc/grants';
import { QUALITY_MODE_LABELS } from '@shared/ipc/restore';
import { request, subscribe } from '../lib/ipc';
import {
  COLLISION_LABELS,
  defaultFormValues,
  FORMAT_LABELS,
  formProblems,
  MASK_MODE_LABELS,
  neededPathFields,
  TONE_MODE_LABELS,
  startArgs,
  type BatchFormValues,
  type PathField,
} from './batch-form';
import { redoPlan } from './redo-plan';

export type { PathField };

const MISSING: Readonly<Record<PathField, string>> = {
  inputFolder: 'Choose the folder of photos.',
  maskPath: 'Choose where the masks are.',
  outputFolder: 'Choose where the restored photos go.',
};

/**
 * The batch view's state: the form, and the batch it started (or found
 * running on mount: batches live in main and outlive a reloaded window).
 * Main sends `batch:progress` (about 10 per second) and `batch:item` (one
 * item changed); this mirrors them. Components render it and call its methods.
 */
export class BatchViewState {
  /** Remembered from the last start, so after a crash the same batch is one click from resuming. */
  form = $state<BatchFormValues>(rememberedForm());
  /** The form the batch on screen was started with (for a batch found running: the form last started). */
  ranWith = $state<BatchFormValues | null>(null);
  /** The batch on screen; null before one is started. */
  progress = $state<BatchProgress | null>(null);
  items = $state<BatchItemView[]>([]);
  outputFolder = $state<string | null>(null);
  reportPath = $state<string | null>(null);
  resumed = $state(false);
  unusedMasks = $state<readonly string[]>([]);
  /** The last failed request, in words. */
  error = $state<string | null>(null);
  /** A request is in flight (buttons wait for it). */
  busy = $state(false);
  /**
   * What the choosers answered, per path field: main's handle for it. A field
   * counts as chosen while its text still names that path; a typed or
   * remembered path is confirmed in the chooser (opened there) at start.
   */
  private chosen: Partial<Record<PathField, GrantedPath>> = {};

  readonly problems = $derived(formProblems(this.form));
  readonly active = $derived(this.progress !== null && ['running', 'pausing', 'paused', 'cancelling'].includes(this.progress.state));
  readonly batchId = $derived(this.progress?.batchId ?? null);
  /** What Start again would redo, once the batch on screen has stopped. */
  readonly redo = $derived(this.progress && !this.active && this.ranWith ? redoPlan(this.ranWith, this.form, this.items) : null);
  // A cache of requests, not state: nothing renders from it, so it need not be reactive.
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  private readonly thumbs = new Map<string, Promise<string | null>>();

  /**
   * Subscribes to batch events and catches up: the batch on screen is
   * fetched again (events were missed while the view was away), or one
   * still running in main is picked up. Returns the unsubscribe.
   */
  connect(): () => void {
    const offProgress = subscribe('batch:progress', (p) => {
      if (p.batchId === this.batchId) this.progress = p;
    });
    const offItem = subscribe('batch:item', ({ batchId, item }) => {
      if (batchId === this.batchId && this.items[item.id]) this.items[item.id] = item;
    });
    void this.reattach();
    return () => {
      offProgress();
      offItem();
    };
  }

  /**
   * The person's defaults (settings page): taken by a form never used before, and by any form
   * when the person changes them. A form remembered from the last batch keeps its own otherwise.
   */
  applySettings(settings: Settings, changed: boolean): void {
    if (this.active || (!changed && hasRememberedForm())) return;
    this.form.qualityMode = settings.qualityMode;
    this.form.method = settings.detectMethod;
    this.form.medium = settings.detectMedium;
    this.form.sensitivity = settings.sensitivity;
    this.form.grain = settings.grain;
    this.form.texture = settings.texture;
  }

  async start(): Promise<void> {
    if (this.problems.length > 0 || this.active) return;
    // Main reaches only files and folders the person chose: a path typed (or remembered from
    // an earlier session) is confirmed in the chooser, opened at that path.
    for (const field of neededPathFields(this.form)) {
      if (this.handleOf(field)) continue;
      await this.choose(field);
      if (!this.handleOf(field)) {
        this.error ??= MISSING[field];
        return;
      }
    }
    await this.run(async () => {
      this.thumbs.clear();
      const handles: Partial<Record<PathField, string>> = {};
      for (const field of neededPathFields(this.form)) handles[field] = this.handleOf(field) ?? undefined;
      this.show(await request('batch:start', startArgs(this.form, handles)));
      rememberForm(this.form);
      this.ranWith = { ...this.form };
    });
  }

  /** The handle of a path field, while the field still shows the path it was granted for. */
  private handleOf(field: PathField): string | null {
    const granted = this.chosen[field];
    return granted && granted.path === this.form[field].trim() ? granted.grant : null;
  }

  private take(field: PathField, granted: GrantedPath): void {
    this.chosen[field] = granted;
    this.form[field] = granted.path;
  }

  pause = () => this.steer('batch:pause');
  resume = () => this.steer('batch:resume');
  cancel = () => this.steer('batch:cancel');
  retryFailed = () => this.steer('batch:retry-failed');

  async openOutput(): Promise<void> {
    const batchId = this.batchId;
    if (!batchId) return;
    await this.run(async () => {
      const { opened } = await request('batch:open-output', { batchId });
      if (!opened) this.error = `Could not open ${this.outputFolder ?? 'the output folder'}`;
    });
  }

  /** Fills a path field from the system's chooser (a file chooser for a single mask). */
  async choose(field: PathField): Promise<void> {
    await this.run(async () => {
      if (field === 'maskPath' && this.form.maskMode === 'file') {
        const { files } = await request('dialog:open-image', { title: 'Choose the mask for every photo' });
        if (files[0]) this.take(field, files[0]);
        return;
      }
      const titles: Record<PathField, string> = {
        inputFolder: 'Choose the folder of photos',
        maskPath: 'Choose the folder of masks',
        outputFolder: 'Choose where the restored photos go',
      };
      const { folder } = await request('dialog:choose-folder', { title: titles[field], defaultPath: this.form[field].trim() || undefined });
      if (folder) this.take(field, folder);
    });
  }

  /** URL of an item's thumbnail, asked for once per item (rows ask as they scroll into view). */
  thumbnail(item: BatchItemView): Promise<string | null> {
    const batchId = this.batchId;
    if (!batchId) return Promise.resolve(null);
    const key = `${batchId}:${item.id}`;
    let url = this.thumbs.get(key);
    if (!url) {
      // A failure is not kept: the row asks again when its photo's state changes.
      url = request('batch:thumbnail', { batchId, itemId: item.id, variant: 'source' }).then(
        (r) => r.url,
        () => {
          this.thumbs.delete(key);
          return null;
        },
      );
      this.thumbs.set(key, url);
    }
    return url;
  }

  private async steer(channel: 'batch:pause' | 'batch:resume' | 'batch:cancel' | 'batch:retry-failed'): Promise<void> {
    const batchId = this.batchId;
    if (!batchId) return;
    await this.run(async () => {
      this.progress = await request(channel, { batchId });
    });
  }

  private async reattach(): Promise<void> {
    try {
      if (this.batchId) {
        this.show(await request('batch:get', { batchId: this.batchId }));
        return;
      }
      const { batches } = await request('batch:list');
      const live = batches.find((b) => b.state !== 'finished' && b.state !== 'cancelled') ?? batches.at(-1);
      if (live && !this.progress) {
        this.show(await request('batch:get', { batchId: live.batchId }));
        this.ranWith = rememberedForm();
      }
    } catch {
      // Nothing to re-attach to; the form is the starting point.
    }
  }

  private show(snapshot: BatchSnapshot): void {
    const { items, outputFolder, reportPath, resumed, unusedMasks, ...progress } = snapshot;
    this.items = [...items];
    this.outputFolder = outputFolder;
    this.reportPath = reportPath;
    this.resumed = resumed;
    this.unusedMasks = unusedMasks;
    this.progress = progress;
  }

  private async run(work: () => Promise<void>): Promise<void> {
    this.busy = true;
    this.error = null;
    try {
      await work();
    } catch (err) {
      this.error = err instanceof Error ? err.message : String(err);
    } finally {
      this.busy = false;
    }
  }
}

const FORM_KEY = 'patina.batch.form';

function rememberedForm(): BatchFormValues {
  const defaults = defaultFormValues();
  try {
    const saved = JSON.parse(localStorage.getItem(FORM_KEY) ?? 'null') as Partial<BatchFormValues> | null;
    if (!saved || typeof saved !== 'object') return defaults;
    // Only known fields of the right type; anything else keeps its default.
    const merged: BatchFormValues = { ...defaults };
    for (const key of Object.keys(defaults) as (keyof BatchFormValues)[]) {
      if (typeof saved[key] === typeof defaults[key]) (merged as unknown as Record<string, unknown>)[key] = saved[key];
    }
    if (!(merged.maskMode in MASK_MODE_LABELS)) merged.maskMode = defaults.maskMode;
    if (!(merged.format in FORMAT_LABELS)) merged.format = defaults.format;
    if (!(merged.collision in COLLISION_LABELS)) merged.collision = defaults.collision;
    if (!(merged.method in DETECT_METHOD_LABELS)) merged.method = defaults.method;
    if (!(merged.medium in DETECT_MEDIUM_LABELS)) merged.medium = defaults.medium;
    if (!(merged.qualityMode in QUALITY_MODE_LABELS)) merged.qualityMode = defaults.qualityMode;
    if (!(merged.tone in TONE_MODE_LABELS)) merged.tone = defaults.tone;
    if (!(merged.grain in GRAIN_MODE_LABELS)) merged.grain = defaults.grain;
    if (!(merged.texture in TEXTURE_MODE_LABELS)) merged.texture = defaults.texture;
    return merged;
  } catch {
    return defaults;
  }
}

function hasRememberedForm(): boolean {
  try {
    return localStorage.getItem(FORM_KEY) !== null;
  } catch {
    return false;
  }
}

function rememberForm(values: BatchFormValues): void {
  try {
    localStorage.setItem(FORM_KEY, JSON.stringify(values));
  } catch {
    // Storage unavailable or full: the form just starts empty next time.
  }
}
