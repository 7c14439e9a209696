import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkLayers, ENGINE_FLOORS, findCircles } from '../../scripts/check-layers.mjs';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

describe('layer rules', () => {
  it('hold for the repository', () => {
    expect(checkLayers(repoRoot)).toEqual([]);
  });

  it('README "Where things are" names every folder of src/main', async () => {
    const readme = await readFile(path.join(repoRoot, 'README.md'), 'utf8');
    const start = readme.indexOf('## Where things are');
    const section = readme.slice(start, readme.indexOf('\n## ', start + 1));
    const folders = (await readdir(path.join(repoRoot, 'src/main'), { withFileTypes: true })).filter((e) => e.isDirectory()).map((e) => e.name);
    expect(folders.length).toBeGreaterThan(10);
    expect(folders.filter((folder) => !section.includes(`src/main/${folder}/`))).toEqual([]);
  });

  it('README "Where things are" names every folder of the repository, of test/ and of the renderer', async () => {
    const readme = await readFile(path.join(repoRoot, 'README.md'), 'utf8');
    const start = readme.indexOf('## Where things are');
    const section = readme.slice(start, readme.indexOf('\n## ', start + 1));
    const ignored = new Set((await readFile(path.join(repoRoot, '.gitignore'), 'utf8')).split('\n').map((line) => line.trim()));
    const folders = async (rel: string): Promise<string[]> =>
      (await readdir(path.join(repoRoot, rel), { withFileTypes: true }))
        .filter((e) => e.isDirectory() && e.name !== '.git')
        .map((e) => path.posix.join(rel, e.name) + '/')
        .filter((folder) => !ignored.has(folder));
    const top = await folders('.');
    expect(top.length).toBeGreaterThan(8);
    const renderer = (await folders('src/renderer/src')).map((folder) => folder.replace('src/renderer/', ''));
    const named = [...top, ...(await folders('test')), ...renderer];
    expect(named.filter((folder) => !section.includes(folder))).toEqual([]);
  });

  it('README gives the engine floors in the order ENGINE_FLOORS holds them', async () => {
    const readme = await readFile(path.join(repoRoot, 'README.md'), 'utf8');
    const start = readme.indexOf('(lowest first):');
    const sentence = readme.slice(start, readme.indexOf('.', readme.indexOf('`bridge`', start)));
    const floors = sentence.split(';').map((floor) => [...floor.matchAll(/`([a-z]+)(?:\.ts)?`/g)].map((m) => m[1]));
    expect(start).toBeGreaterThan(0);
    expect(floors).toEqual(ENGINE_FLOORS);
  });

  describe('catch each kind of violation', () => {
    let root: string;
    const files: Record<string, string> = {
      // Allowed.
      'src/main/app/window.ts': "import { BrowserWindow } from 'electron';\nimport { createBackend } from '../backend';",
      'src/main/index.ts': "import { app } from 'electron';",
      'src/preload/index.ts': "import { contextBridge } from 'electron';\nimport { requests } from '@shared/ipc/contract';",
      'src/renderer/src/ok.svelte': "<script lang=\"ts\">\nimport { mount } from 'svelte';\nimport type { AppInfo } from '@shared/ipc/app';\n</script>",
      'src/shared/ipc/ok.ts': "import { z } from 'zod';\nimport { fail } from './errors';",
      'src/main/engine/worker.test.ts': "import { app } from 'electron';",
      // Violations, one each.
      'src/main/engine/run.ts': "import { app } from 'electron';",
      'src/main/engine/uses-app.ts': "export { startApp } from '../app/start';",
      'src/shared/uses-node.ts': "import { readFile } from 'node:fs/promises';",
      'src/shared/uses-main.ts': "import type { Router } from '../main/ipc/router';",
      'src/renderer/src/uses-main.ts': "const m = await import('../../main/backend');",
      'src/renderer/src/uses-node.svelte': "<script lang=\"ts\">\nimport path from 'path';\n</script>",
      'src/renderer/src/uses-package.ts': "import sharp from 'sharp';",
      'src/preload/uses-fs.ts': "const fs = require('fs');",
    };

    beforeAll(async () => {
      root = await mkdtemp(path.join(tmpdir(), 'patina-layers-'));
      for (const [rel, text] of Object.entries(files)) {
        await mkdir(path.dirname(path.join(root, rel)), { recursive: true });
        await writeFile(path.join(root, rel), text);
      }
    });
    afterAll(async () => {
      await rm(root, { recursive: true, force: true });
    });

    it('reports exactly the violating files', () => {
      const violations = checkLayers(root);
      const offenders = violations.map((v) => v.slice(0, v.indexOf(':'))).sort();
      expect(offenders).toEqual([
        'src/main/engine/run.ts',
        'src/main/engine/uses-app.ts',
        'src/preload/uses-fs.ts',
        'src/renderer/src/uses-main.ts',
        'src/renderer/src/uses-node.svelte',
        'src/renderer/src/uses-package.ts',
        'src/shared/uses-main.ts',
        'src/shared/uses-node.ts',
      ]);
      expect(violations.find((v) => v.startsWith('src/main/engine/run.ts'))).toContain("may import 'electron'");
    });
  });

  describe('engine floors and import circles', () => {
    let root: string;
    const files: Record<string, string> = {
      // Allowed: down the floors, inside one folder, test support and tests.
      'src/main/errors/engine-error.ts': 'export class EngineError extends Error {}',
      'src/main/imaging/decode.ts': "import { EngineError } from '../errors/engine-error';",
      'src/main/restore/pipeline.ts': "import { decode } from '../imaging/decode';\nimport { detect } from '../defects/detector';",
      'src/main/defects/detector.ts': "import type { Photo } from '../imaging/decode';",
      'src/main/defects/testing/build.ts': "import { build } from '../../restore/pipeline';",
      'src/main/jobs/worker.test.ts': "import { run } from '../restore/pipeline';",
      // Violations: up a floor, beside on one floor, a folder on no floor, a circle.
      'src/main/imaging/mask.ts': "import type { RestoreRequest } from '../restore/pipeline';",
      'src/main/inference/session.ts': "import { slots } from '../jobs/slots';",
      'src/main/jobs/slots.ts': 'export const slots = 1;',
      'src/main/restore/uses-new.ts': "import { x } from '../newroom/x';",
      'src/main/newroom/x.ts': 'export const x = 1;',
      'src/renderer/src/a.ts': "import { b } from './b';",
      'src/renderer/src/b.ts': "import type { A } from './a';",
    };

    beforeAll(async () => {
      root = await mkdtemp(path.join(tmpdir(), 'patina-floors-'));
      for (const [rel, text] of Object.entries(files)) {
        await mkdir(path.dirname(path.join(root, rel)), { recursive: true });
        await writeFile(path.join(root, rel), text);
      }
    });
    afterAll(async () => {
      await rm(root, { recursive: true, force: true });
    });

    it('reports imports against the floor order and each circle once', () => {
      const violations = checkLayers(root);
      expect(violations.map((v) => v.slice(0, v.indexOf(':'))).sort()).toEqual([
        'src/main/imaging/mask.ts',
        'src/main/inference/session.ts',
        'src/main/restore/uses-new.ts',
        'src/renderer/src/a.ts',
      ]);
      expect(violations.find((v) => v.startsWith('src/main/imaging/mask.ts'))).toContain('imaging (floor 1) must not import restore');
      expect(violations.find((v) => v.startsWith('src/main/restore/uses-new.ts'))).toContain('src/main/newroom is not on a floor');
      expect(violations.find((v) => v.startsWith('src/renderer/src/a.ts'))).toContain('import circle src/renderer/src/a.ts -> src/renderer/src/b.ts -> src/renderer/src/a.ts');
    });

    it('finds a circle through several files, and none in a chain', () => {
      const loop = new Map([
        ['a', ['b']],
        ['b', ['c', 'd']],
        ['c', ['a']],
        ['d', []],
      ]);
      expect(findCircles(loop)).toEqual([['a', 'b', 'c']]);
      expect(findCircles(new Map([['a', ['b']], ['b', ['c']], ['c', []]]))).toEqual([]);
      expect(findCircles(new Map([['self', ['self']]]))).toEqual([['self']]);
    });
  });
});
