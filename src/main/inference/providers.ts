import { existsSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

import { DEVICE_SETTINGS, type DeviceSetting } from '@shared/ipc/choices';

/** The device setting a person (settings page) or the CLI (--device) chooses. */
export { DEVICE_SETTINGS, type DeviceSetting };

/** An execution provider name as onnxruntime-node spells it. */
export type ProviderName = Exclude<DeviceSetting, 'auto'>;

export function isDeviceSetting(value: unknown): value is DeviceSetting {
  return typeof value === 'string' && (DEVICE_SETTINGS as readonly string[]).includes(value);
}

/** Why a provider was or was not used; reported to app:info and printed by the CLI. */
export interface ProviderAttempt {
  readonly provider: ProviderName;
  readonly ok: boolean;
  /** Set when ok is false: the error onnxruntime gave, or why it was not tried. */
  readonly reason?: string;
}

export interface ProviderPlan {
  /** Providers to try in order; always ends with 'cpu'. */
  readonly order: readonly ProviderName[];
  /** Providers left out before trying, with the reason (e.g. library not installed). */
  readonly skipped: readonly ProviderAttempt[];
}

export interface PlatformFacts {
  readonly platform: NodeJS.Platform;
  /** Whether onnxruntime-node's CUDA provider library sits beside its binding. */
  readonly cudaLibraryPresent: boolean;
  /**
   * Whether a GPU is visible at all. Only Linux can tell cheaply (a DRM render
   * node); probing WebGPU without one costs half a second and prints driver
   * noise on stderr, so auto skips it there.
   */
  readonly gpuVisible: boolean;
}

/**
 * The directory holding onnxruntime-node's native binding for this platform.
 * The CUDA provider is not bundled in the npm package (it is downloaded at
 * install time when asked for), so its presence has to be checked on disk.
 */
export function ortBindingDir(): string | undefined {
  try {
    const require = createRequire(import.meta.url);
    const pkg = require.resolve('onnxruntime-node/package.json');
    return path.join(path.dirname(pkg), 'bin', 'napi-v6', process.platform, process.arch);
  } catch {
    return undefined;
  }
}

export function currentPlatformFacts(): PlatformFacts {
  const dir = ortBindingDir();
  const cudaLib = process.platform === 'win32' ? 'onnxruntime_providers_cuda.dll' : 'libonnxruntime_providers_cuda.so';
  return {
    platform: process.platform,
    cudaLibraryPresent: dir !== undefined && existsSync(path.join(dir, cudaLib)),
    gpuVisible: process.platform !== 'linux' || hasRenderNode(),
  };
}

function hasRenderNode(): boolean {
  try {
    return readdirSync('/dev/dri').some((name) => name.startsWith('renderD'));
  } catch {
    return false;
  }
}

/**
 * Orders the providers to try for a device setting. An explicit choice is
 * tried even when it looks unavailable, so the person gets onnxruntime's own
 * reason; `auto` skips what this platform cannot have, to avoid slow probes.
 */
export function planProviders(setting: DeviceSetting, facts: PlatformFacts): ProviderPlan {
  if (setting === 'cpu') return { order: ['cpu'], skipped: [] };
  if (setting !== 'auto') return { order: [setting, 'cpu'], skipped: [] };

  const order: ProviderName[] = [];
  const skipped: ProviderAttempt[] = [];
  if (facts.cudaLibraryPresent) order.push('cuda');
  else skipped.push({ provider: 'cuda', ok: false, reason: 'CUDA provider library is not installed with onnxruntime-node' });
  if (facts.platform === 'win32') order.push('dml');
  else skipped.push({ provider: 'dml', ok: false, reason: 'DirectML exists only on Windows' });
  if (facts.platform === 'darwin') order.push('coreml');
  else skipped.push({ provider: 'coreml', ok: false, reason: 'CoreML exists only on macOS' });
  if (facts.gpuVisible) order.push('webgpu');
  else skipped.push({ provider: 'webgpu', ok: false, reason: 'no GPU render device (/dev/dri/renderD*) found' });
  order.push('cpu');
  return { order, skipped };
}
