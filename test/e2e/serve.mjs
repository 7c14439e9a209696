#!/usr/bin/env node
// `npm run e2e:serve`: the test bridge on its own, for clicking through the
// real renderer in any browser. Needs a build (the npm script runs one).
// PATINA_BRIDGE_OPEN_IMAGE=/path/to/photo.jpg answers the Open dialog.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const entry = path.join(root, 'out', 'main', 'bridge.js');
if (!existsSync(entry) || !existsSync(path.join(root, 'out', 'renderer', 'index.html'))) {
  console.error('No build found in out/. Run `npm run build` first.');
  process.exit(1);
}

const { startRepoBridge } = await import(pathToFileURL(entry).href);
const port = process.env.PATINA_BRIDGE_PORT ? Number(process.env.PATINA_BRIDGE_PORT) : 0;
const bridge = await startRepoBridge(root, { port });
console.log(`Patina test bridge: ${bridge.url}`);
console.log('Open that URL in Chromium. Ctrl+C stops the bridge.');

const stop = async () => {
  await bridge.close();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
