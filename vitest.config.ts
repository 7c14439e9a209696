import { resolve } from 'node:path';
import { defineConfig } from 'vitest/config';

// Unit and integration tests of main/engine/shared code, under plain Node.
// Browser tests live in test/e2e and run under Playwright (`npm run test:e2e`).
export default defineConfig({
  resolve: { alias: { '@shared': resolve('src/shared') } },
  test: {
    environment: 'node',
    include: ['src/**/*.test.ts', 'test/unit/**/*.test.ts'],
    exclude: ['test/e2e/**', 'node_modules/**', 'out/**'],
    // Two cores shared with a training job: keep parallelism modest.
    maxWorkers: 2,
    testTimeout: 30_000,
  },
});
