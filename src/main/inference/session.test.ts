import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../restore/testing/fixtures';
import { readModelManifest } from './manifest';
import { defaultModelsDir } from './models-dir';
import { planProviders } from './providers';
import { createSessionWithFallback, ModelCache } from './session';

/** A copy of the real models folder that a test may break. */
async function modelsCopy(): Promise<string> {
  const src = defaultModelsDir();
  const dst = path.join(await tempDir(), 'models');
  await mkdir(dst);
  const { entry } = await readModelManifest(src);
  await copyFile(path.join(src, 'manifest.json'), path.join(dst, 'manifest.json'));
  await copyFile(path.join(src, entry.file), path.join(dst, entry.file));
  return dst;
}

describe('model loading', () => {
  it('loads the real model once per models folder and device, and reuses the session', async () => {
    const cache = new ModelCache();
    try {
      const a = await cache.get(defaultModelsDir(), 'cpu');
      const b = await cache.get(defaultModelsDir(), 'cpu');
      expect(b).toBe(a);
      expect(a.provider).toBe('cpu');
      expect(a.session.inputNames).toEqual(expect.arrayContaining(['image', 'mask']));
      expect(a.entry.inputMultiple).toBeGreaterThan(0);
    } finally {
      await cache.dispose();
    }
  });

  it('names the manifest when it is missing', async () => {
    const dir = await tempDir();
    await expect(new ModelCache().get(dir, 'cpu')).rejects.toMatchObject({
      code: 'MODEL_MISSING',
      message: expect.stringContaining(path.join(dir, 'manifest.json')),
    });
  });

  it('names the model file when it is missing or its sha256 does not match', async () => {
    const dir = await modelsCopy();
    const { entry, modelPath } = await readModelManifest(dir);
    const bytes = await readFile(modelPath);
    bytes[bytes.length - 1] = bytes[bytes.length - 1]! ^ 0xff;
    await writeFile(modelPath, bytes);
    await expect(new ModelCache().get(dir, 'cpu')).rejects.toMatchObject({
      code: 'MODEL_HASH_MISMATCH',
      message: expect.stringContaining(modelPath),
    });
    const manifest = JSON.parse(await readFile(path.join(dir, 'manifest.json'), 'utf8'));
    manifest.models[0].file = 'gone.onnx';
    await writeFile(path.join(dir, 'manifest.json'), JSON.stringify(manifest));
    await expect(new ModelCache().get(dir, 'cpu')).rejects.toMatchObject({
      code: 'MODEL_MISSING',
      message: expect.stringContaining(path.join(dir, 'gone.onnx')),
    });
    expect(entry.sha256).toMatch(/^[0-9a-f]{64}$/i);
  });

  it('rejects a manifest whose file escapes the models folder', async () => {
    const dir = await tempDir();
    await writeFile(
      path.join(dir, 'manifest.json'),
      JSON.stringify({ schemaVersion: 1, models: [{ role: 'inpaint', name: 'x', version: '1', file: '../x.onnx', sha256: 'a'.repeat(64), inputMultiple: 32, nativeResolution: 256, maxSide: 512 }] }),
    );
    await expect(readModelManifest(dir)).rejects.toMatchObject({ code: 'MODEL_INVALID' });
  });
});

describe('execution providers', () => {
  it('plans auto per platform, skipping what cannot exist there, always ending on CPU', () => {
    const linux = planProviders('auto', { platform: 'linux', cudaLibraryPresent: false, gpuVisible: true });
    expect(linux.order).toEqual(['webgpu', 'cpu']);
    expect(linux.skipped.map((s) => s.provider)).toEqual(['cuda', 'dml', 'coreml']);
    const headless = planProviders('auto', { platform: 'linux', cudaLibraryPresent: true, gpuVisible: false });
    expect(headless.order).toEqual(['cuda', 'cpu']);
    expect(headless.skipped.find((s) => s.provider === 'webgpu')?.reason).toMatch(/no GPU/);
    expect(planProviders('auto', { platform: 'win32', cudaLibraryPresent: true, gpuVisible: true }).order).toEqual(['cuda', 'dml', 'webgpu', 'cpu']);
    expect(planProviders('auto', { platform: 'darwin', cudaLibraryPresent: false, gpuVisible: true }).order).toEqual(['coreml', 'webgpu', 'cpu']);
    // An explicit choice is always tried, so the person sees onnxruntime's own reason.
    expect(planProviders('webgpu', { platform: 'linux', cudaLibraryPresent: false, gpuVisible: false }).order).toEqual(['webgpu', 'cpu']);
    expect(planProviders('cpu', { platform: 'linux', cudaLibraryPresent: true, gpuVisible: true }).order).toEqual(['cpu']);
  });

  it('falls back to CPU with the reason when the asked-for provider cannot load here', async () => {
    const model = await readModelManifest(defaultModelsDir());
    // On a machine without the CUDA provider library (or without DirectML, off Windows) this must fall back.
    const device = process.platform === 'win32' ? 'coreml' : 'dml';
    const loaded = await createSessionWithFallback(model, device);
    try {
      expect(loaded.provider).toBe('cpu');
      expect(loaded.attempts[0]).toMatchObject({ provider: device, ok: false });
      expect(loaded.attempts[0]!.reason).toMatch(/backend not found|not available|fail/i);
      expect(loaded.attempts.at(-1)).toEqual({ provider: 'cpu', ok: true });
    } finally {
      await loaded.session.release();
    }
  });
});
