import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createRouter } from '../ipc/router';
import { withUnusedHandlers } from '../ipc/unused-handlers';
import { manifestEngineInfo } from './engine-info';
import { createAboutHandlers } from './handlers';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'patina-about-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const manifest = {
  schemaVersion: 1,
  models: [
    {
      role: 'inpaint',
      name: 'Patina CSA',
      version: '1.2.3',
      file: 'patina-csa.onnx',
      sha256: 'a'.repeat(64),
      inputMultiple: 32,
      nativeResolution: 256,
      maxSide: 512,
      licence: 'test',
    },
  ],
};

describe('manifestEngineInfo', () => {
  it('reports no model, with the reason, when models/ has no manifest', async () => {
    const info = await manifestEngineInfo({ modelsDir: dir })();
    expect(info.model).toBeNull();
    expect(info.modelIssue).toContain(path.join(dir, 'manifest.json'));
    expect(info.executionProvider).toBe('cpu');
  });

  it("reports the inpaint model's name and version from the manifest", async () => {
    await writeFile(path.join(dir, 'manifest.json'), JSON.stringify(manifest));
    const info = await manifestEngineInfo({ modelsDir: dir })();
    expect(info).toEqual({ model: { name: 'Patina CSA', version: '1.2.3' }, modelIssue: null, executionProvider: 'cpu' });
  });

  it('reports a corrupt manifest as an issue instead of failing', async () => {
    await writeFile(path.join(dir, 'manifest.json'), '{ "schemaVersion": 1, "models": [');
    const info = await manifestEngineInfo({ modelsDir: dir })();
    expect(info.model).toBeNull();
    expect(info.modelIssue).toMatch(/not valid JSON/);
  });

  it('reports the execution provider the engine supplies', async () => {
    const info = await manifestEngineInfo({ modelsDir: dir, executionProvider: async () => 'cuda' })();
    expect(info.executionProvider).toBe('cuda');
  });

  it('picks up a manifest that appears after start', async () => {
    const provider = manifestEngineInfo({ modelsDir: dir });
    expect((await provider()).model).toBeNull();
    await writeFile(path.join(dir, 'manifest.json'), JSON.stringify(manifest));
    expect((await provider()).model?.version).toBe('1.2.3');
  });
});

describe('app:info', () => {
  it('combines app, runtime and engine facts', async () => {
    await writeFile(path.join(dir, 'manifest.json'), JSON.stringify(manifest));
    // Other channels are not exercised here; the router needs every contract channel handled.
    const router = createRouter(
      withUnusedHandlers([createAboutHandlers({ appName: 'Patina', appVersion: '0.4.0', engineInfo: manifestEngineInfo({ modelsDir: dir }) })]),
    );
    const result = await router.dispatch('app:info', undefined, { callerId: 't', emit: () => {} });
    expect(result).toEqual({
      ok: true,
      value: {
        name: 'Patina',
        version: '0.4.0',
        platform: process.platform,
        arch: process.arch,
        versions: { node: process.versions.node, electron: null, chrome: null },
        model: { name: 'Patina CSA', version: '1.2.3' },
        modelIssue: null,
        executionProvider: 'cpu',
      },
    });
  });
});
