import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { RENDERER_CSP_DIRECTIVES, serializeCsp } from '../../src/shared/csp';
import { ensureArtifactsDir, expect, test } from './fixtures';

/*
 * The real renderer (out/renderer) in Chromium, talking to the real backend
 * through the test bridge. Expected values come from the backend itself, so
 * the tests hold whether or not a model is installed in models/.
 */

test('shows the version, model and execution provider the engine reports', async ({ shellPage: page, bridge }, testInfo) => {
  const reply = await bridge.backend.router.dispatch('app:info', undefined, { callerId: 'test', emit: () => {} });
  if (!reply.ok) throw new Error(`app:info failed: ${reply.error.message}`);
  const info = reply.value as { version: string; executionProvider: string; model: { name: string; version: string } | null };

  await expect(page.getByTestId('status-version')).toHaveText(`v${info.version}`);
  const provider = page.getByTestId('status-provider');
  await expect(provider).toHaveAttribute('data-provider', info.executionProvider);
  await expect(provider).toHaveText(info.executionProvider === 'cpu' ? 'CPU' : /\S+/);
  await expect(page.getByTestId('status-model')).toHaveText(
    info.model ? `${info.model.name} ${info.model.version}` : 'No model installed',
  );
  await expect(page.getByTestId('workspace-empty')).toBeVisible();
  await expect(page.getByTestId('side-panel')).toBeVisible();
  await expect(page).toHaveTitle('Patina');

  // Fonts are bundled: wait for them so the artifact shows what a person sees.
  await page.evaluate(() => document.fonts.ready);
  const file = path.join(ensureArtifactsDir(), 'app-shell.png');
  await page.screenshot({ path: file });
  await testInfo.attach('app-shell', { path: file, contentType: 'image/png' });
});

test('exposes exactly window.patina = { invoke, on, grantFile } and no Node', async ({ shellPage: page }) => {
  const surface = await page.evaluate(() => ({
    keys: Object.keys(window.patina ?? {}),
    frozen: Object.isFrozen(window.patina),
    require: typeof (window as unknown as { require?: unknown }).require,
    process: typeof (window as unknown as { process?: unknown }).process,
  }));
  expect(surface).toEqual({ keys: ['invoke', 'on', 'grantFile'], frozen: true, require: 'undefined', process: 'undefined' });
});

test('malformed requests get the error shape and the engine keeps serving', async ({ shellPage: page }) => {
  const replies = await page.evaluate(async () => {
    const patina = window.patina!;
    const loose = patina as unknown as { invoke(channel: string, arg?: unknown): Promise<unknown> };
    return {
      extraArg: await loose.invoke('app:info', 42),
      wrongType: await loose.invoke('dialog:open-image', { multiple: 'yes' }),
      unknownKey: await loose.invoke('dialog:open-image', { path: '/etc/passwd' }),
      unknownChannel: await loose.invoke('fs:read-anything', '/etc/passwd'),
      after: await patina.invoke('app:info'),
    };
  });
  expect(replies.extraArg).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT', message: expect.stringContaining('app:info') } });
  expect(replies.wrongType).toMatchObject({
    ok: false,
    error: { code: 'INVALID_ARGUMENT', details: { issues: [{ path: 'multiple', message: expect.any(String) }] } },
  });
  expect(replies.unknownKey).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT' } });
  expect(replies.unknownChannel).toMatchObject({ ok: false, error: { code: 'UNKNOWN_CHANNEL' } });
  expect(replies.after).toMatchObject({ ok: true, value: { name: 'Patina' } });
});

test('garbage on the bridge socket is answered, not fatal', async ({ shellPage: page }) => {
  // A second socket from the page itself, with the page's token, sending what no shim would.
  const frames = await page.evaluate(async () => {
    const shim = document.querySelector<HTMLScriptElement>('script[src*="bridge-shim"]')!;
    const token = new URL(shim.src).searchParams.get('token')!;
    const ws = new WebSocket(`ws://${location.host}/__patina/ws?token=${encodeURIComponent(token)}`);
    await new Promise((resolve, reject) => {
      ws.onopen = resolve;
      ws.onerror = reject;
    });
    const received: unknown[] = [];
    const next = () => new Promise((resolve) => (ws.onmessage = (e) => resolve(JSON.parse(String(e.data)))));
    for (const frame of ['{"type": "invoke", "id": 1, "channel"', '[1,2,3]', '{"type":"invoke","id":2,"channel":{"$gt":""}}']) {
      const reply = next();
      ws.send(frame);
      received.push(await reply);
    }
    ws.close();
    return received;
  });
  expect(frames).toMatchObject([
    { type: 'error', error: { code: 'INVALID_ARGUMENT' } },
    { type: 'error', error: { code: 'INVALID_ARGUMENT' } },
    { type: 'result', id: 2, result: { ok: false, error: { code: 'UNKNOWN_CHANNEL' } } },
  ]);
  const after = await page.evaluate(() => window.patina!.invoke('app:info'));
  expect(after.ok).toBe(true);
});

test('app menu commands reach the shell over the event channel', async ({ shellPage: page, bridge }) => {
  bridge.broadcast('menu:command', { command: 'help.about' });
  const about = page.getByTestId('about-dialog');
  await expect(about).toBeVisible();
  await expect(about.getByTestId('about-version')).toHaveText((await page.getByTestId('status-version').innerText()).slice(1));
  await expect(about.getByTestId('about-provider')).toHaveText(await page.getByTestId('status-provider').innerText());
  await page.keyboard.press('Escape');
  await expect(about).toBeHidden();

  bridge.broadcast('menu:command', { command: 'view.toggle-panels' });
  await expect(page.getByTestId('side-panel')).toBeHidden();
  await expect(page.getByTestId('toolbar-panels')).toHaveAttribute('aria-pressed', 'false');
  await page.getByTestId('toolbar-panels').click();
  await expect(page.getByTestId('side-panel')).toBeVisible();
});

test('Open asks main for a photo and shows the choice', async ({ shellPage: page, bridge }, testInfo) => {
  const photo = testInfo.outputPath('grandmother 1962.jpg');
  await mkdir(path.dirname(photo), { recursive: true });
  await sharp({ create: { width: 40, height: 30, channels: 3, background: '#a07050' } }).jpeg().toFile(photo);

  // Cancelled dialog: nothing changes.
  await page.getByTestId('workspace-open').click();
  await expect.poll(() => bridge.dialogs.openImageCalls.length).toBeGreaterThan(0);
  await expect(page.getByTestId('workspace-empty')).toBeVisible();
  await expect(page.getByTestId('status-message')).toHaveText('Ready');

  bridge.dialogs.queueOpenImage([photo]);
  await page.getByTestId('open').click();
  await expect(page.getByTestId('document-tab')).toContainText('grandmother 1962.jpg');
  await expect(page.getByTestId('canvas')).toBeVisible();
  await expect(page.getByTestId('status-message')).toHaveText('grandmother 1962.jpg · 40 × 30');
  await expect(page).toHaveTitle('grandmother 1962.jpg — Patina');
  expect(bridge.dialogs.openImageCalls.at(-1)).toEqual({ multiple: false, title: 'Open Photo', projects: true });

  await page.getByRole('button', { name: 'Close photo' }).click();
  await expect(page.getByTestId('workspace-empty')).toBeVisible();
  await expect(page).toHaveTitle('Patina');
});

test('runs under the production CSP, widened only by the bridge socket', async ({ page, bridge }) => {
  const violations: string[] = [];
  page.on('console', (msg) => {
    if (/Content Security Policy/i.test(msg.text())) violations.push(msg.text());
  });
  await page.goto(bridge.url);
  await expect(page.getByTestId('app-shell')).toHaveAttribute('data-ready', 'true');
  expect(violations, 'the shell itself must not trip the CSP').toEqual([]);

  const meta = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
  const port = new URL(bridge.origin).port;
  expect(meta).toBe(
    serializeCsp(RENDERER_CSP_DIRECTIVES, { forMeta: true, extra: { 'connect-src': [`ws://127.0.0.1:${port}`] } }),
  );

  const attempts = await page.evaluate(async () => {
    const inline = document.createElement('script');
    inline.textContent = 'window.__inlineRan = true';
    document.head.append(inline);
    const remote = await fetch('http://example.invalid/').then(
      () => 'fetched',
      () => 'blocked',
    );
    return { inline: (window as unknown as { __inlineRan?: boolean }).__inlineRan ?? false, remote };
  });
  // (eval cannot be probed from here: Playwright's evaluate runs outside the page's CSP.)
  expect(attempts).toEqual({ inline: false, remote: 'blocked' });
  await expect.poll(() => violations.length).toBeGreaterThanOrEqual(2);
});
