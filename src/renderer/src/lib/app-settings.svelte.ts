import type { Settings, SettingsPatch, SettingsView } from '@shared/ipc/settings';
import { hasBackend, request } from './ipc';

/**
 * The person's settings as the renderer sees them (main owns and validates
 * them: `settings:get` / `settings:set`). The editor and the batch form
 * listen, and take a changed default as their current choice.
 */
export class AppSettings {
  view = $state<SettingsView | null>(null);
  open = $state(false);
  /** The last refused or failed change, in words. */
  error = $state<string | null>(null);
  private listeners: ((settings: Settings, changed: boolean) => void)[] = [];

  async load(): Promise<void> {
    if (!hasBackend()) return;
    try {
      this.view = await request('settings:get');
      this.emit(false);
    } catch (err) {
      this.error = err instanceof Error ? err.message : String(err);
    }
  }

  async set(patch: SettingsPatch): Promise<void> {
    this.error = null;
    try {
      this.view = await request('settings:set', patch);
      this.emit(true);
    } catch (err) {
      this.error = err instanceof Error ? err.message : String(err);
    }
  }

  /**
   * Calls `listener` with the settings once loaded (`changed` false) and after every change the
   * person makes (`changed` true); returns the unsubscribe.
   */
  subscribe(listener: (settings: Settings, changed: boolean) => void): () => void {
    this.listeners.push(listener);
    if (this.view) listener(this.view.settings, false);
    return () => {
      this.listeners = this.listeners.filter((l) => l !== listener);
    };
  }

  private emit(changed: boolean): void {
    const settings = this.view?.settings;
    if (settings) for (const l of this.listeners) l(settings, changed);
  }
}

/** One per window. */
export const appSettings = new AppSettings();
