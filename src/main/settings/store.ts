import { readFileSync } from 'node:fs';
import path from 'node:path';
import { DEFAULT_SETTINGS, settingsSchema, type DeviceSetting, type Settings, type SettingsPatch } from '@shared/ipc/settings';
import { saveJsonAtomically } from '../documents/json-file';
import type { PlatformFacts } from '../inference/providers';

/**
 * The person's settings, one JSON file under the app's state folder
 * (Electron: the user-data folder), or in memory where there is none (the
 * test bridge). What is read back is validated field by field: a field that
 * is missing or no longer valid takes its default, the others are kept.
 */
export class SettingsStore {
  private current: Settings;

  constructor(private readonly file: string | null) {
    this.current = file ? readSettingsFile(file) : { ...DEFAULT_SETTINGS };
  }

  get(): Settings {
    return { ...this.current };
  }

  /** Applies a validated patch and saves the whole; the file is only replaced whole. */
  async set(patch: SettingsPatch): Promise<Settings> {
    const next = settingsSchema.parse({ ...this.current, ...patch });
    if (this.file) await saveJsonAtomically(this.file, next);
    this.current = next;
    return this.get();
  }
}

export function settingsFileIn(stateDir: string): string {
  return path.join(stateDir, 'settings.json');
}

/** Read once at start (the device setting decides how the engine starts), so synchronously. */
function readSettingsFile(file: string): Settings {
  let saved: unknown;
  try {
    saved = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return { ...DEFAULT_SETTINGS };
  }
  const out: Record<string, unknown> = { ...DEFAULT_SETTINGS };
  if (typeof saved === 'object' && saved !== null) {
    for (const [key, field] of Object.entries(settingsSchema.shape)) {
      const parsed = field.safeParse((saved as Record<string, unknown>)[key]);
      if (parsed.success) out[key] = parsed.data;
    }
  }
  return out as Settings;
}

/** The device choices this computer has: auto and CPU always, GPU providers where they can exist. */
export function deviceChoices(facts: PlatformFacts): DeviceSetting[] {
  const choices: DeviceSetting[] = ['auto', 'cpu'];
  if (facts.cudaLibraryPresent) choices.push('cuda');
  if (facts.platform === 'win32') choices.push('dml');
  if (facts.platform === 'darwin') choices.push('coreml');
  if (facts.gpuVisible) choices.push('webgpu');
  return choices;
}
