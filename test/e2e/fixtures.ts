import { mkdirSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { test as base, expect, type Page } from '@playwright/test';
import type * as BridgeEntry from '../../src/main/bridge/index';
import type { Bridge } from '../../src/main/bridge/server';
import { artifactsDir, bridgeEntry, repoRoot } from './paths';

type BridgeModule = typeof BridgeEntry;

interface Fixtures {
  /** A page on the bridge whose console errors, page errors and CSP violations fail the test. */
  shellPage: Page;
}

export const test = base.extend<Fixtures, { bridge: Bridge }>({
  // One bridge (built out/main/bridge.js: the real backend) per worker.
  bridge: [
    // eslint-disable-next-line no-empty-pattern -- Playwright requires the destructuring form
    async ({}, use) => {
      const mod = (await import(pathToFileURL(bridgeEntry).href)) as BridgeModule;
      const bridge = await mod.startRepoBridge(repoRoot);
      await use(bridge);
      await bridge.close();
    },
    { scope: 'worker' },
  ],

  shellPage: async ({ page, bridge }, use) => {
    const problems: string[] = [];
    page.on('console', (msg) => {
      if (msg.type() === 'error' || msg.type() === 'warning') {
        problems.push(`console.${msg.type()}: ${msg.text()} (${msg.location().url})`);
      }
    });
    page.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`));
    await page.goto(bridge.url);
    await expect(page.getByTestId('app-shell')).toHaveAttribute('data-ready', 'true');
    await use(page);
    expect(problems, 'console errors, page errors or CSP violations').toEqual([]);
  },
});

export { expect };

export function ensureArtifactsDir(): string {
  mkdirSync(artifactsDir, { recursive: true });
  return artifactsDir;
}
