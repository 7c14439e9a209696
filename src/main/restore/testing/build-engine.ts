import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { build } from 'vite';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');

export interface BuiltEngine {
  readonly dir: string;
  readonly cli: string;
  readonly worker: string;
  /** The damage-detection worker (defects-worker.js). */
  readonly defectsWorker: string;
  /** The snapping brush's worker (snap-worker.js). */
  readonly snapWorker: string;
  /** Deletes the build folder. */
  dispose(): Promise<void>;
}

/**
 * Builds the CLI, the restore, defects and snap workers the way `npm run build` does (same
 * entries as electron.vite.config.ts's main build, node target, dependencies
 * external) into a private temp folder. Worker threads need real JavaScript
 * files: vitest's TypeScript transform does not reach into a worker, so the
 * tests that cross the worker boundary run against this build. A fresh folder
 * per test file keeps parallel test files from overwriting each other's output;
 * it sits under out/ (git-ignored) so the build resolves node_modules like the
 * real one does.
 */
export async function buildEngineForTests(): Promise<BuiltEngine> {
  await mkdir(path.join(repoRoot, 'out'), { recursive: true });
  const outDir = await mkdtemp(path.join(repoRoot, 'out', 'test-engine-'));
  await build({
    configFile: false,
    root: repoRoot,
    logLevel: 'error',
    resolve: { alias: { '@shared': path.join(repoRoot, 'src/shared') } },
    build: {
      ssr: true,
      outDir,
      emptyOutDir: true,
      target: 'node20',
      minify: false,
      rolldownOptions: {
        input: {
          cli: path.join(repoRoot, 'src/main/cli/main.ts'),
          'restore-worker': path.join(repoRoot, 'src/main/restore/worker.ts'),
          'defects-worker': path.join(repoRoot, 'src/main/defects/worker.ts'),
          'snap-worker': path.join(repoRoot, 'src/main/defects/snap-worker.ts'),
        },
        output: { format: 'es', entryFileNames: '[name].js', chunkFileNames: 'chunks/[name]-[hash].js' },
      },
    },
  });
  return {
    dir: outDir,
    cli: path.join(outDir, 'cli.js'),
    worker: path.join(outDir, 'restore-worker.js'),
    defectsWorker: path.join(outDir, 'defects-worker.js'),
    snapWorker: path.join(outDir, 'snap-worker.js'),
    dispose: () => rm(outDir, { recursive: true, force: true }),
  };
}

export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a built CLI (`BuiltEngine.cli`) as its own process, like `npx patina` does; a failing exit is returned, not thrown. */
export async function runBuiltCli(cli: string, args: readonly string[], cwd: string): Promise<CliRun> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [cli, ...args], { cwd, timeout: 120_000 });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code?: number; stdout: string; stderr: string };
    return { code: typeof e.code === 'number' ? e.code : -1, stdout: e.stdout, stderr: e.stderr };
  }
}
