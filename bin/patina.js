#!/usr/bin/env node
// The `patina` command (package.json "bin"). The CLI is TypeScript built by
// `npm run build` into out/main/cli.js; this file only points Node at it.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const cli = new URL('../out/main/cli.js', import.meta.url);
if (!existsSync(fileURLToPath(cli))) {
  process.stderr.write('patina: the CLI is not built yet; run `npm run build` first\n');
  process.exit(1);
}
await import(cli.href);
