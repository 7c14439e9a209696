#!/usr/bin/env node
// `node training/run-ts.mjs SCRIPT.ts [options]`: runs a TypeScript tool script
// (the detector's evaluation and contact sheet) under plain Node with the
// project's import aliases, so it loads the same src/ modules the app builds.
// Without the aliases jiti cannot resolve `@shared/...` imports in src/.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createJiti } from 'jiti';

const script = process.argv[2];
if (!script || !script.endsWith('.ts')) {
  console.error('usage: node training/run-ts.mjs SCRIPT.ts [options]');
  process.exit(2);
}
// The script parses process.argv as if it had been started directly.
process.argv.splice(1, 1);
const jiti = createJiti(import.meta.url, {
  alias: { '@shared': fileURLToPath(new URL('../src/shared', import.meta.url)) },
});
await jiti.import(path.resolve(script));
