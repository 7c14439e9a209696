#!/usr/bin/env node
// `npm run bench [-- --device cuda] [-- --quick]`: builds the benchmark (TypeScript, with its own
// restore worker) into out/bench/ and runs it. See bench/bench.ts for what it measures.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

const root = fileURLToPath(new URL('..', import.meta.url));
process.chdir(root);
await build({ configFile: fileURLToPath(new URL('./vite.config.ts', import.meta.url)) });
const result = spawnSync(process.execPath, ['out/bench/bench.js', ...process.argv.slice(2)], { stdio: 'inherit' });
process.exit(result.status ?? 1);
