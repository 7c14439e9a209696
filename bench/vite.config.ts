import { resolve } from 'node:path';
import { defineConfig } from 'vite';

/**
 * Builds the benchmark (`npm run bench`) to out/bench/: the bench itself, the
 * child process that measures peak memory, and a restore worker beside them
 * (the engine looks for restore-worker.js next to its own code), plus the
 * `patina` CLI with its workers for the whole-process CLI benchmark.
 */
export default defineConfig({
  resolve: { alias: { '@shared': resolve('src/shared') } },
  logLevel: 'warn',
  build: {
    ssr: true,
    outDir: 'out/bench',
    emptyOutDir: true,
    target: 'node20',
    minify: false,
    rolldownOptions: {
      input: {
        bench: resolve('bench/bench.ts'),
        'peak-rss-child': resolve('bench/peak-rss-child.ts'),
        batch: resolve('bench/batch.ts'),
        'batch-child': resolve('bench/batch-child.ts'),
        defects: resolve('bench/defects.ts'),
        runtime: resolve('bench/runtime.ts'),
        'cli-speed': resolve('bench/cli-speed.ts'),
        'sharp-roundtrip': resolve('bench/sharp-roundtrip.ts'),
        // The product CLI and its workers, run as whole processes by cli-speed.
        cli: resolve('src/main/cli/main.ts'),
        'defects-worker': resolve('src/main/defects/worker.ts'),
        'restore-worker': resolve('src/main/restore/worker.ts'),
      },
      output: { format: 'es', entryFileNames: '[name].js', chunkFileNames: 'chunks/[name]-[hash].js' },
    },
  },
});
