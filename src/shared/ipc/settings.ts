/**
 * The person's settings (`settings:*` channels): defaults the editor and the
 * batch form start from, and the device the restore engine runs on. Main
 * keeps them in a file under the app's user-data folder and validates every
 * change with `settingsPatchSchema`.
 */
import { z } from 'zod';
import { DEFAULT_DETECT_MEDIUM, DEFAULT_DETECT_METHOD, DEFAULT_DETECT_SENSITIVITY, detectMediumSchema, detectMethodSchema, sensitivitySchema } from './detection';
import { EXPORT_FORMATS } from './documents';
import { DEFAULT_GRAIN_MODE, grainModeSchema } from './grain';
import { DEFAULT_QUALITY_MODE, qualityModeSchema } from './restore';
import { DEFAULT_TEXTURE_MODE, textureModeSchema } from './texture';
import { DEVICE_SETTINGS, type DeviceSetting } from './choices';

export { DEVICE_SETTINGS, type DeviceSetting };

export const DEVICE_LABELS: Readonly<Record<DeviceSetting, string>> = {
  auto: 'Automatic (the fastest present)',
  cpu: 'CPU',
  cuda: 'NVIDIA GPU (CUDA)',
  dml: 'GPU (DirectML)',
  coreml: 'Apple Neural Engine / GPU (Core ML)',
  webgpu: 'GPU (WebGPU)',
};

/** Default export format: the photo's own, or one chosen for every export. */
export const EXPORT_DEFAULTS = ['same', ...EXPORT_FORMATS] as const;
export type ExportDefault = (typeof EXPORT_DEFAULTS)[number];

export const settingsSchema = z.strictObject({
  device: z.enum(DEVICE_SETTINGS),
  qualityMode: qualityModeSchema,
  detectMethod: detectMethodSchema,
  /** What the person's photos are: 'film' also finds film's line scratches. */
  detectMedium: detectMediumSchema,
  sensitivity: sensitivitySchema,
  grain: grainModeSchema,
  texture: textureModeSchema,
  exportFormat: z.enum(EXPORT_DEFAULTS),
});
export type Settings = z.infer<typeof settingsSchema>;

export const DEFAULT_SETTINGS: Settings = {
  device: 'auto',
  qualityMode: DEFAULT_QUALITY_MODE,
  detectMethod: DEFAULT_DETECT_METHOD,
  detectMedium: DEFAULT_DETECT_MEDIUM,
  sensitivity: DEFAULT_DETECT_SENSITIVITY,
  grain: DEFAULT_GRAIN_MODE,
  texture: DEFAULT_TEXTURE_MODE,
  exportFormat: 'same',
};

/** `settings:set`: the settings to change; the others keep their values. */
export const settingsPatchSchema = settingsSchema.partial();
export type SettingsPatch = z.input<typeof settingsPatchSchema>;

export interface SettingsView {
  readonly settings: Settings;
  /** The device choices this computer has (auto and CPU always). */
  readonly devices: readonly DeviceSetting[];
  /** The provider the restore engine runs on now (e.g. 'cpu'); null before its first restore. */
  readonly deviceInUse: string | null;
  /** The device setting differs from the one the engine started with: it applies after a restart. */
  readonly restartForDevice: boolean;
}
