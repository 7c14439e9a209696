/**
 * Build entry of the test bridge (out/main/bridge.js). Not part of the
 * packaged app: electron-builder.yml excludes it. Used by the Playwright
 * fixtures and by `npm run e2e:serve` (test/e2e/serve.mjs).
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { startBridge, type Bridge, type BridgeOptions } from './server';

export { startBridge };
export type { Bridge, BridgeOptions };

/** Starts a bridge over a repository checkout: out/renderer, models/, package.json's version. */
export async function startRepoBridge(root: string, overrides: Partial<BridgeOptions> = {}): Promise<Bridge> {
  const pkg = JSON.parse(await readFile(path.join(root, 'package.json'), 'utf8')) as { version: string };
  return startBridge({
    rendererDir: path.join(root, 'out', 'renderer'),
    modelsDir: path.join(root, 'models'),
    appVersion: pkg.version,
    ...overrides,
  });
}
