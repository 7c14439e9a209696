#!/usr/bin/env node
// `npm run bench [-- --device cuda] [-- --quick] [-- --only engine|batch|defects|cli|runtime]`: builds the
// benchmark (TypeScript, with its own restore worker and CLI) into out/bench/ and runs it. bench/bench.ts
// measures the engine, bench/batch.ts the batch queue (images per minute, peak memory), bench/defects.ts
// damage detection, bench/cli-speed.ts `patina run` against a sharp decode + encode (the speed targets).
// bench/runtime.ts compares onnxruntime session settings; it is a study, run only with --only runtime.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

const root = fileURLToPath(new URL('..', import.meta.url));
process.chdir(root);
await build({ configFile: fileURLToPath(new URL('./vite.config.ts', import.meta.url)) });
const args = process.argv.slice(2);
const onlyAt = args.indexOf('--only');
const only = onlyAt >= 0 ? args.splice(onlyAt, 2)[1] : null;
const parts = { engine: 'out/bench/bench.js', batch: 'out/bench/batch.js', defects: 'out/bench/defects.js', cli: 'out/bench/cli-speed.js', runtime: 'out/bench/runtime.js' };
if (only !== null && !(only in parts)) throw new Error(`--only must be one of ${Object.keys(parts).join(', ')}`);
const studies = new Set(['runtime']);
for (const [name, script] of Object.entries(parts)) {
  if (only !== null ? only !== name : studies.has(name)) continue;
  const result = spawnSync(process.execPath, [script, ...args], { stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}
