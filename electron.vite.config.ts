import { resolve } from 'node:path';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'electron-vite';
import type { Plugin } from 'vite';
import { RENDERER_CSP_DIRECTIVES, serializeCsp } from './src/shared/csp';

const alias = { '@shared': resolve('src/shared') };

/**
 * Writes the CSP from src/shared/csp.ts into index.html. Only the dev server
 * (`npm run dev`) gets a looser policy: Vite injects <style> tags for hot CSS
 * and talks to its HMR socket. Production and the test bridge never see it.
 */
function rendererCsp(): Plugin {
  let serve = false;
  return {
    name: 'patina:renderer-csp',
    configResolved(config) {
      serve = config.command === 'serve';
    },
    transformIndexHtml(html) {
      if (!html.includes('__PATINA_CSP__')) throw new Error('index.html lost its __PATINA_CSP__ placeholder');
      const extra: Record<string, string[]> = serve
        ? { 'style-src': ["'unsafe-inline'"], 'connect-src': ['ws://localhost:*'] }
        : {};
      return html.replace('__PATINA_CSP__', serializeCsp(RENDERER_CSP_DIRECTIVES, { forMeta: true, extra }));
    },
  };
}

export default defineConfig({
  main: {
    resolve: { alias },
    build: {
      // ws is only used by the test bridge, which runs from the repository's node_modules.
      externalizeDeps: { include: ['ws'] },
      rolldownOptions: {
        input: {
          // Electron entry (package.json "main": out/main/index.js).
          index: resolve('src/main/index.ts'),
          // Test bridge for browser E2E; excluded from packages in electron-builder.yml.
          bridge: resolve('src/main/bridge/index.ts'),
          // Headless `patina` command (bin/patina.js loads out/main/cli.js).
          cli: resolve('src/main/cli/main.ts'),
          // Worker thread running the restore pipeline; found beside the engine code at run time.
          'restore-worker': resolve('src/main/restore/worker.ts'),
          // Worker thread running damage detection for defects:detect.
          'defects-worker': resolve('src/main/defects/worker.ts'),
          // Worker thread of the snapping brush (defects:snap), holding the photos it works on.
          'snap-worker': resolve('src/main/defects/snap-worker.ts'),
        },
      },
    },
  },
  preload: {
    resolve: { alias },
    build: {
      // A sandboxed preload can require only 'electron': bundle everything else into one CommonJS file.
      externalizeDeps: false,
      rolldownOptions: {
        input: { index: resolve('src/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve('src/renderer'),
    resolve: { alias },
    plugins: [svelte({ configFile: resolve('svelte.config.js') }), rendererCsp()],
    build: {
      rolldownOptions: { input: resolve('src/renderer/index.html') },
    },
  },
});
