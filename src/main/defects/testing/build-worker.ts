import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import path from 'node:path';
import { build } from 'vite';
import { REPO_ROOT } from './fixtures';

export interface BuiltDefects {
  /** out/.../defects-worker.js */
  readonly worker: string;
  /** out/.../cli.js (the whole `patina` command) */
  readonly cli: string;
  dispose(): Promise<void>;
}

/**
 * Builds the defects worker and the CLI the way `npm run build` does (node
 * target, dependencies external) into a private folder under out/. Worker
 * threads and child processes need real JavaScript: vitest's transform does
 * not reach into them.
 */
export async function buildDefectsForTests(): Promise<BuiltDefects> {
  await mkdir(path.join(REPO_ROOT, 'out'), { recursive: true });
  const outDir = await mkdtemp(path.join(REPO_ROOT, 'out', 'test-defects-'));
  await build({
    configFile: false,
    root: REPO_ROOT,
    logLevel: 'error',
    resolve: { alias: { '@shared': path.join(REPO_ROOT, 'src/shared') } },
    build: {
      ssr: true,
      outDir,
      emptyOutDir: true,
      target: 'node20',
      minify: false,
      rolldownOptions: {
        input: {
          'defects-worker': path.join(REPO_ROOT, 'src/main/defects/worker.ts'),
          cli: path.join(REPO_ROOT, 'src/main/cli/main.ts'),
          'restore-worker': path.join(REPO_ROOT, 'src/main/restore/worker.ts'),
        },
        output: { format: 'es', entryFileNames: '[name].js', chunkFileNames: 'chunks/[name]-[hash].js' },
      },
    },
  });
  return {
    worker: path.join(outDir, 'defects-worker.js'),
    cli: path.join(outDir, 'cli.js'),
    dispose: () => rm(outDir, { recursive: true, force: true }),
  };
}
