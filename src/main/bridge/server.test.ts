import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startBridge, type Bridge } from './server';

/*
 * The bridge as a browser would meet it, minus the browser: real HTTP and
 * WebSocket clients against a real server on 127.0.0.1. The Playwright suite
 * drives the same bridge from Chromium.
 */

let base: string;
let bridge: Bridge;

const INDEX = `<!doctype html><html><head>
<meta http-equiv="Content-Security-Policy" content="default-src 'none'" />
<script type="module" src="./assets/app.js"></script></head><body></body></html>`;

beforeAll(async () => {
  base = await mkdtemp(path.join(tmpdir(), 'patina-bridge-'));
  await mkdir(path.join(base, 'renderer', 'assets'), { recursive: true });
  await writeFile(path.join(base, 'renderer', 'index.html'), INDEX);
  await writeFile(path.join(base, 'renderer', 'assets', 'app.js'), 'export {}');
  await writeFile(path.join(base, 'secret.txt'), 'outside the renderer');
  bridge = await startBridge({
    rendererDir: path.join(base, 'renderer'),
    modelsDir: path.join(base, 'models'),
    appVersion: '1.2.3',
  });
});

afterAll(async () => {
  await bridge?.close();
  await rm(base, { recursive: true, force: true });
});

interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** Raw request, so paths and Host headers go out exactly as written. */
function get(pathAndQuery: string, headers: Record<string, string> = {}): Promise<RawResponse> {
  const url = new URL(bridge.origin);
  return new Promise((resolve, reject) => {
    const req = request({ host: url.hostname, port: url.port, path: pathAndQuery, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

function wsUrl(token = bridge.token): string {
  return `${bridge.origin.replace('http', 'ws')}/__patina/ws?token=${encodeURIComponent(token)}`;
}

/** Opens a socket; resolves with the socket, or rejects with the HTTP status the upgrade got. */
function connect(url = wsUrl(), origin = bridge.origin): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { origin });
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    ws.once('error', reject);
  });
}

function nextFrame(ws: WebSocket): Promise<Record<string, unknown>> {
  return new Promise((resolve) => ws.once('message', (data) => resolve(JSON.parse(String(data)))));
}

async function invoke(ws: WebSocket, frame: unknown): Promise<Record<string, unknown>> {
  const reply = nextFrame(ws);
  ws.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
  return reply;
}

describe('bridge HTTP', () => {
  it('serves the page only with the token', async () => {
    expect((await get('/')).status).toBe(403);
    expect((await get('/?token=wrong')).status).toBe(403);
    const page = await get(`/?token=${bridge.token}`);
    expect(page.status).toBe(200);
    expect(page.body).toContain(`<script src="/__patina/bridge-shim.js?token=${bridge.token}"></script>`);
  });

  it("widens the page's CSP by exactly its own WebSocket origin", async () => {
    const page = await get(`/?token=${bridge.token}`);
    const ws = `ws://127.0.0.1:${new URL(bridge.origin).port}`;
    expect(page.body).toMatch(new RegExp(`connect-src 'self' patina: ${ws}`));
    expect(page.body).not.toContain('frame-ancestors');
    expect(page.headers['content-security-policy']).toContain(`connect-src 'self' patina: ${ws}`);
    expect(page.headers['content-security-policy']).toContain("frame-ancestors 'none'");
  });

  it('serves the shim with the contract channel lists, only with the token', async () => {
    expect((await get('/__patina/bridge-shim.js')).status).toBe(403);
    const shim = await get(`/__patina/bridge-shim.js?token=${bridge.token}`);
    expect(shim.status).toBe(200);
    expect(shim.headers['content-type']).toMatch(/javascript/);
    expect(shim.body).toContain('installPatinaBridge');
    expect(shim.body).toContain('"app:info"');
    expect(shim.body).toContain('"menu:command"');
  });

  it('serves built assets and nothing outside the renderer folder', async () => {
    expect((await get('/assets/app.js')).body).toBe('export {}');
    expect((await get('/../secret.txt')).status).toBe(404);
    expect((await get('/%2e%2e/secret.txt')).status).toBe(404);
    expect((await get('/assets/missing.js')).status).toBe(404);
  });

  it('refuses requests for another Host (DNS rebinding)', async () => {
    expect((await get(`/?token=${bridge.token}`, { Host: 'evil.example:80' })).status).toBe(421);
  });
});

describe('bridge WebSocket', () => {
  it('refuses a wrong token and a foreign origin', async () => {
    await expect(connect(wsUrl('wrong'))).rejects.toThrow('HTTP 403');
    await expect(connect(wsUrl(), 'http://evil.example')).rejects.toThrow('HTTP 403');
  });

  it('answers requests through the real router', async () => {
    const ws = await connect();
    const reply = await invoke(ws, { type: 'invoke', id: 1, channel: 'app:info' });
    expect(reply).toMatchObject({ type: 'result', id: 1, result: { ok: true, value: { version: '1.2.3', executionProvider: 'cpu' } } });
    ws.close();
  });

  it('answers malformed frames with the error shape and keeps serving', async () => {
    const ws = await connect();
    expect(await invoke(ws, '{not json')).toMatchObject({ type: 'error', error: { code: 'INVALID_ARGUMENT' } });
    expect(await invoke(ws, { type: 'invoke', channel: 'app:info' })).toMatchObject({
      type: 'error',
      error: { code: 'INVALID_ARGUMENT' },
    });
    expect(await invoke(ws, { type: 'subscribe', id: 7 })).toMatchObject({
      type: 'result',
      id: 7,
      result: { ok: false, error: { code: 'INVALID_ARGUMENT' } },
    });
    expect(await invoke(ws, { type: 'invoke', id: 2, channel: 'fs:read', arg: '/etc/passwd' })).toMatchObject({
      id: 2,
      result: { ok: false, error: { code: 'UNKNOWN_CHANNEL' } },
    });
    expect(await invoke(ws, { type: 'invoke', id: 3, channel: 'dialog:open-image', arg: { multiple: 'yes' } })).toMatchObject({
      id: 3,
      result: { ok: false, error: { code: 'INVALID_ARGUMENT', details: { issues: [{ path: 'multiple' }] } } },
    });
    const binary = nextFrame(ws);
    ws.send(Buffer.from([1, 2, 3]));
    expect(await binary).toMatchObject({ type: 'error', error: { code: 'INVALID_ARGUMENT' } });
    expect(await invoke(ws, { type: 'invoke', id: 4, channel: 'app:info' })).toMatchObject({ id: 4, result: { ok: true } });
    ws.close();
  });

  it('answers the open dialog from the test script with a handle per file, then as cancelled', async () => {
    const ws = await connect();
    bridge.dialogs.queueOpenImage(['/photos/a.jpg', '/photos/b.jpg']);
    const answer = (await invoke(ws, { type: 'invoke', id: 1, channel: 'dialog:open-image' })) as { result: { value: { files: { grant: string; path: string }[] } } };
    expect(answer).toMatchObject({ result: { ok: true, value: { files: [{ path: path.resolve('/photos/a.jpg'), grant: expect.any(String) }] } } });
    expect(answer.result.value.files).toHaveLength(1);
    expect(await invoke(ws, { type: 'invoke', id: 2, channel: 'dialog:open-image', arg: { multiple: true } })).toMatchObject({
      result: { ok: true, value: { files: [] } },
    });
    expect(bridge.dialogs.openImageCalls.slice(-2)).toEqual([{ multiple: false }, { multiple: true }]);
    // The dialog's handle reaches the file (gone here: NOT_FOUND); a path, or a handle the bridge never issued, does not.
    const { grant } = answer.result.value.files[0]!;
    expect(await invoke(ws, { type: 'invoke', id: 3, channel: 'document:open', arg: { grant } })).toMatchObject({ result: { ok: false, error: { code: 'NOT_FOUND' } } });
    expect(await invoke(ws, { type: 'invoke', id: 4, channel: 'document:open', arg: { path: '/photos/a.jpg' } })).toMatchObject({
      result: { ok: false, error: { code: 'INVALID_ARGUMENT' } },
    });
    expect(await invoke(ws, { type: 'invoke', id: 5, channel: 'document:open', arg: { grant: grant.replace(/^./, (c) => (c === 'A' ? 'B' : 'A')) } })).toMatchObject({
      result: { ok: false, error: { code: 'NOT_GRANTED' } },
    });
    ws.close();
  });

  it('answers the save and folder dialogs with write and folder handles', async () => {
    const ws = await connect();
    bridge.dialogs.queueSaveFile('/photos/out.jpg');
    bridge.dialogs.queueChooseFolder('/photos');
    expect(await invoke(ws, { type: 'invoke', id: 1, channel: 'dialog:save-file', arg: {} })).toMatchObject({
      result: { ok: true, value: { file: { path: path.resolve('/photos/out.jpg'), grant: expect.any(String) } } },
    });
    expect(await invoke(ws, { type: 'invoke', id: 2, channel: 'dialog:choose-folder' })).toMatchObject({
      result: { ok: true, value: { folder: { path: path.resolve('/photos'), grant: expect.any(String) } } },
    });
    expect(await invoke(ws, { type: 'invoke', id: 3, channel: 'dialog:choose-folder' })).toMatchObject({ result: { ok: true, value: { folder: null } } });
    ws.close();
  });

  it('broadcasts events to connected pages', async () => {
    const ws = await connect();
    const frame = nextFrame(ws);
    bridge.broadcast('menu:command', { command: 'help.about' });
    expect(await frame).toEqual({ type: 'event', event: 'menu:command', payload: { command: 'help.about' } });
    ws.close();
  });
});
