import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { _electron as electron, expect, test } from '@playwright/test';
import { repoRoot } from './paths';

/*
 * The packaged-style app in real Electron. Electron downloads its binary on
 * demand (`npm run electron:fetch`), which needs the internet; where it is
 * absent this file skips and says why.
 */

function findElectron(): { executable: string } | { reason: string } {
  const dir = path.join(repoRoot, 'node_modules', 'electron');
  const pathTxt = path.join(dir, 'path.txt');
  // Deliberately not require('electron'): that starts a download when the binary is missing.
  if (!existsSync(pathTxt)) {
    return { reason: 'the Electron binary is not installed (node_modules/electron/path.txt missing); run `npm run electron:fetch` where the internet is reachable' };
  }
  const executable = path.join(process.env.ELECTRON_OVERRIDE_DIST_PATH ?? path.join(dir, 'dist'), readFileSync(pathTxt, 'utf8'));
  if (!existsSync(executable)) return { reason: `the Electron binary ${executable} does not exist; run \`npm run electron:fetch\`` };
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
    return { reason: 'no display for Electron on Linux; run the tests under xvfb-run' };
  }
  return { executable };
}

const found = findElectron();
// Said on stdout too: the list reporter does not print skip reasons.
if ('reason' in found) console.log(`[electron.spec] skipped: ${found.reason}`);
test.skip('reason' in found, 'reason' in found ? found.reason : '');

test('launches sandboxed, serves the renderer from app:// and refuses bad IPC', async () => {
  if (!('executable' in found)) return;
  const configHome = mkdtempSync(path.join(tmpdir(), 'patina-electron-'));
  const pkg = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { version: string };
  const app = await electron.launch({
    executablePath: found.executable,
    // Chromium refuses to run as root without --no-sandbox (CI runs as root); the renderer sandbox stays on.
    args: [...(process.getuid?.() === 0 ? ['--no-sandbox'] : []), repoRoot],
    env: { ...process.env, XDG_CONFIG_HOME: configHome, ELECTRON_RENDERER_URL: '' },
  });
  try {
    const win = await app.firstWindow();
    await expect(win.getByTestId('status-version')).toHaveText(`v${pkg.version}`);
    expect(win.url()).toBe('app://patina/index.html');

    const page = await win.evaluate(async () => ({
      keys: Object.keys(window.patina ?? {}),
      require: typeof (window as unknown as { require?: unknown }).require,
      process: typeof (window as unknown as { process?: unknown }).process,
      bad: await (window.patina as unknown as { invoke(c: string, a?: unknown): Promise<unknown> }).invoke('app:info', 42),
      good: await window.patina!.invoke('app:info'),
      popup: window.open('https://example.com/') === null,
    }));
    expect(page).toMatchObject({
      keys: ['invoke', 'on', 'grantFile'],
      require: 'undefined',
      process: 'undefined',
      bad: { ok: false, error: { code: 'INVALID_ARGUMENT' } },
      good: { ok: true, value: { version: pkg.version } },
      popup: true,
    });

    await win.evaluate(() => {
      location.href = 'https://example.com/';
    });
    await win.waitForTimeout(500);
    expect(win.url()).toBe('app://patina/index.html');
  } finally {
    await app.close();
    rmSync(configHome, { recursive: true, force: true });
  }
});
