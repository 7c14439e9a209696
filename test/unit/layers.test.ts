import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkLayers } from '../../scripts/check-layers.mjs';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

describe('layer rules', () => {
  it('hold for the repository', () => {
    expect(checkLayers(repoRoot)).toEqual([]);
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
});
