import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '@shared/ipc/settings';
import { createRouter } from '../ipc/router';
import { withUnusedHandlers } from '../ipc/unused-handlers';
import { createSettingsHandlers } from './handlers';
import { deviceChoices, SettingsStore, settingsFileIn } from './store';

const dirs: string[] = [];
afterEach(async () => Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true }))));
const stateDir = async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'patina-settings-'));
  dirs.push(dir);
  return dir;
};

describe('settings', () => {
  it('persist to the state folder and are read back by the next start', async () => {
    const file = settingsFileIn(await stateDir());
    const store = new SettingsStore(file);
    expect(store.get()).toEqual(DEFAULT_SETTINGS);
    await store.set({ qualityMode: 'fast', sensitivity: 0.8, exportFormat: 'png' });
    expect(JSON.parse(await readFile(file, 'utf8'))).toMatchObject({ qualityMode: 'fast', sensitivity: 0.8, exportFormat: 'png' });
    expect(new SettingsStore(file).get()).toEqual({ ...DEFAULT_SETTINGS, qualityMode: 'fast', sensitivity: 0.8, exportFormat: 'png' });
  });

  it('keep the valid fields of a damaged or older file and default the rest', async () => {
    const file = settingsFileIn(await stateDir());
    await writeFile(file, JSON.stringify({ qualityMode: 'fast', sensitivity: 7, device: 'quantum', extra: true }));
    expect(new SettingsStore(file).get()).toEqual({ ...DEFAULT_SETTINGS, qualityMode: 'fast' });
    await writeFile(file, '{ not json');
    expect(new SettingsStore(file).get()).toEqual(DEFAULT_SETTINGS);
  });

  it('are validated in main: out-of-range values, unknown keys and absent devices are refused', async () => {
    const store = new SettingsStore(null);
    const router = createRouter(
      withUnusedHandlers([createSettingsHandlers({ store, devices: () => ['auto', 'cpu'], deviceInUse: async () => 'cpu', startedWith: 'auto' })]),
    );
    const call = (channel: string, arg?: unknown) => router.dispatch(channel, arg, { callerId: 't', emit: () => {} });
    for (const bad of [{ sensitivity: 1.5 }, { qualityMode: 'ultra' }, { colour: 'red' }, 'cpu']) {
      const reply = await call('settings:set', bad);
      expect(reply.ok, JSON.stringify(bad)).toBe(false);
      if (!reply.ok) expect(reply.error.code).toBe('INVALID_ARGUMENT');
    }
    const cuda = await call('settings:set', { device: 'cuda' });
    expect(cuda.ok).toBe(false);
    if (!cuda.ok) expect(cuda.error.message).toContain('no cuda device');
    const ok = await call('settings:set', { device: 'cpu', grain: 'off' });
    expect(ok.ok && ok.value).toMatchObject({ settings: { device: 'cpu', grain: 'off' }, devices: ['auto', 'cpu'], deviceInUse: 'cpu', restartForDevice: true });
    expect(store.get()).toMatchObject({ device: 'cpu', grain: 'off' });
  });

  it('offer the GPU providers a computer can have', () => {
    expect(deviceChoices({ platform: 'linux', cudaLibraryPresent: false, gpuVisible: false })).toEqual(['auto', 'cpu']);
    expect(deviceChoices({ platform: 'linux', cudaLibraryPresent: true, gpuVisible: true })).toEqual(['auto', 'cpu', 'cuda', 'webgpu']);
    expect(deviceChoices({ platform: 'win32', cudaLibraryPresent: false, gpuVisible: true })).toEqual(['auto', 'cpu', 'dml', 'webgpu']);
  });
});
