import { randomBytes, timingSafeEqual } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { RENDERER_CSP_DIRECTIVES, serializeCsp } from '@shared/csp';
import { EVENT_CHANNELS, REQUEST_CHANNELS, type EventChannel, type EventPayload } from '@shared/ipc/contract';
import type { EngineInfoProvider } from '../about/engine-info';
import { createBackend, type Backend } from '../backend';
import { RESULT_HANDLE_PATTERN } from '../jobs/result-store';
import { readStaticFile } from '../static/files';
import type { CallContext } from '../ipc/handlers';
import shimSource from './browser-shim.js?raw';
import { parseClientFrame, reviveBinaries, type InvokeFrame, type ServerFrame } from './frames';
import { adaptIndexHtml } from './html';
import { ScriptedDialogs } from './scripted-dialog';

/*
 * The test bridge: serves the built renderer over http://127.0.0.1:<random
 * port>/ and answers `window.patina` calls (sent by browser-shim.js over a
 * WebSocket) with the very backend the Electron app uses. Plain Node, no
 * Electron. Guarded by a per-run token (page, shim and socket all need it),
 * a Host check (DNS rebinding) and an Origin check on the socket.
 */

const HOST = '127.0.0.1';
const SHIM_PATH = '/__patina/bridge-shim.js';
const WS_PATH = '/__patina/ws';
/** Restore results by handle: the bridge's stand-in for Electron's patina://result/<handle>. */
const RESULT_PATH = '/__patina/result/';
/** Large enough for any JSON request; pixels never travel this way. */
const MAX_FRAME_BYTES = 1024 * 1024;
/**
 * Binary frames carry the byte arrays of a request (mask PNGs, a dropped
 * photo). Capped at the largest a request legitimately holds, a mask PNG
 * (MAX_MASK_BYTES in src/shared/ipc/restore.ts), per frame and per request:
 * each frame is buffered whole in memory, so a bigger cap lets one page grow
 * the process by that much per message.
 */
const MAX_BINARY_BYTES = 256 * 1024 * 1024;

export interface BridgeOptions {
  /** Built renderer (out/renderer). */
  readonly rendererDir: string;
  readonly modelsDir: string;
  readonly appVersion: string;
  /** 0 (default) picks a free port. */
  readonly port?: number;
  readonly engineInfo?: EngineInfoProvider;
  /** Byte limit of a request's binary frames (per frame and in total); tests lower it. */
  readonly maxBinaryBytes?: number;
}

export interface Bridge {
  /** Page URL including the token; open it in a browser. */
  readonly url: string;
  readonly origin: string;
  readonly token: string;
  readonly backend: Backend;
  readonly dialogs: ScriptedDialogs;
  /** Pushes an event to every connected page (tests use it to play the app menu). */
  broadcast<E extends EventChannel>(event: E, payload: EventPayload<E>): void;
  connectionCount(): number;
  close(): Promise<void>;
}

export async function startBridge(options: BridgeOptions): Promise<Bridge> {
  const token = randomBytes(24).toString('base64url');
  const dialogs = new ScriptedDialogs();
  const backend = createBackend({
    appName: 'Patina',
    appVersion: options.appVersion,
    modelsDir: options.modelsDir,
    openImageDialog: dialogs.openImage,
    saveFileDialog: dialogs.saveFile,
    chooseFolderDialog: dialogs.chooseFolder,
    openFolder: dialogs.openFolder,
    engineInfo: options.engineInfo,
    resultUrl: (handle) => `${RESULT_PATH}${handle}?token=${token}`,
  });
  const indexHtml = await readFile(`${options.rendererDir}/index.html`, 'utf8');

  const server = createServer();
  const maxBinaryBytes = options.maxBinaryBytes ?? MAX_BINARY_BYTES;
  // ws closes the socket (1009, message too big) before buffering a larger frame.
  const wss = new WebSocketServer({ noServer: true, maxPayload: Math.max(maxBinaryBytes, MAX_FRAME_BYTES) });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, HOST, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const origin = `http://${HOST}:${port}`;
  const cspOptions = { extra: { 'connect-src': [`ws://${HOST}:${port}`] } };
  const headerCsp = serializeCsp(RENDERER_CSP_DIRECTIVES, cspOptions);
  const page = adaptIndexHtml(
    indexHtml,
    serializeCsp(RENDERER_CSP_DIRECTIVES, { ...cspOptions, forMeta: true }),
    `${SHIM_PATH}?token=${token}`,
  );
  const shim = `${shimSource.trim()}(${JSON.stringify({
    wsUrl: `ws://${HOST}:${port}${WS_PATH}?token=${token}`,
    requestChannels: REQUEST_CHANNELS,
    eventChannels: EVENT_CHANNELS,
  })});\n`;

  const hasToken = (url: URL) => safeEqual(url.searchParams.get('token') ?? '', token);
  const sameHost = (req: IncomingMessage) => req.headers.host === `${HOST}:${port}`;

  server.on('request', (req, res) => {
    void handleHttp(req, res).catch(() => send(res, 500, 'text/plain; charset=utf-8', 'Bridge error'));
  });

  async function handleHttp(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', origin);
    if (!sameHost(req)) return send(res, 421, 'text/plain; charset=utf-8', 'Wrong Host header');
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'text/plain; charset=utf-8', 'GET only');
    res.setHeader('Content-Security-Policy', headerCsp);
    if (url.pathname === '/' || url.pathname === '/index.html') {
      if (!hasToken(url)) return send(res, 403, 'text/plain; charset=utf-8', 'Open the URL printed by the bridge (it carries the token).');
      return send(res, 200, 'text/html; charset=utf-8', page);
    }
    if (url.pathname.startsWith(RESULT_PATH)) {
      if (!hasToken(url)) return send(res, 403, 'text/plain; charset=utf-8', 'Forbidden');
      const handle = url.pathname.slice(RESULT_PATH.length);
      const item = RESULT_HANDLE_PATTERN.test(handle) ? backend.results.get(handle) : undefined;
      if (!item) return send(res, 404, 'text/plain; charset=utf-8', 'Not found');
      return send(res, 200, item.mime, Buffer.from(item.bytes.buffer, item.bytes.byteOffset, item.bytes.byteLength));
    }
    if (url.pathname === SHIM_PATH) {
      if (!hasToken(url)) return send(res, 403, 'text/plain; charset=utf-8', 'Forbidden');
      return send(res, 200, 'text/javascript; charset=utf-8', shim);
    }
    const file = await readStaticFile(options.rendererDir, url.pathname);
    if (!file) return send(res, 404, 'text/plain; charset=utf-8', 'Not found');
    return send(res, 200, file.contentType, file.body);
  }

  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', origin);
    const allowed = sameHost(req) && url.pathname === WS_PATH && hasToken(url) && req.headers.origin === origin;
    if (!allowed) {
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => serveSocket(ws));
  });

  let nextSocketId = 1;
  function serveSocket(ws: WebSocket): void {
    const ctx: CallContext = {
      callerId: `socket:${nextSocketId++}`,
      emit: (event, payload) => sendFrame(ws, { type: 'event', event, payload }),
    };
    // An invoke frame announcing binaries waits here until they have all arrived.
    let awaiting: { frame: InvokeFrame; binaries: Uint8Array[]; bytes: number } | null = null;
    const dispatch = (frame: InvokeFrame, binaries: readonly Uint8Array[]) => {
      const arg = binaries.length > 0 ? reviveBinaries(frame.arg, binaries) : frame.arg;
      void backend.router.dispatch(frame.channel, arg, ctx).then((result) => sendFrame(ws, { type: 'result', id: frame.id, result }));
    };
    ws.on('message', (data, isBinary) => {
      if (isBinary) {
        if (!awaiting) {
          sendFrame(ws, { type: 'error', error: { code: 'INVALID_ARGUMENT', message: 'Bridge frames are JSON text' } });
          return;
        }
        const bytes = rawToBytes(data);
        awaiting.bytes += bytes.byteLength;
        if (awaiting.bytes > maxBinaryBytes) {
          // Many frames each under the cap add up too: the request is refused and the page disconnected.
          const refused = awaiting.frame.id;
          awaiting = null;
          const message = `A request's byte arrays are limited to ${Math.round(maxBinaryBytes / 1024 / 1024)} MiB in all`;
          sendFrame(ws, { type: 'result', id: refused, result: { ok: false, error: { code: 'INVALID_ARGUMENT', message } } });
          ws.close(1009, 'request too big');
          return;
        }
        awaiting.binaries.push(bytes);
        if (awaiting.binaries.length === awaiting.frame.binaries) {
          const done = awaiting;
          awaiting = null;
          dispatch(done.frame, done.binaries);
        }
        return;
      }
      const text = rawToString(data);
      const parsed =
        Buffer.byteLength(text) > MAX_FRAME_BYTES
          ? ({ ok: false, id: null, error: { code: 'INVALID_ARGUMENT', message: 'Bridge JSON frames are limited to 1 MiB' } } as const)
          : parseClientFrame(text);
      if (!parsed.ok) {
        sendFrame(ws, parsed.id === null ? { type: 'error', error: parsed.error } : { type: 'result', id: parsed.id, result: { ok: false, error: parsed.error } });
        return;
      }
      if (awaiting) {
        // The shim sends a request's binaries right behind it; anything else in between is a broken client.
        const broken = awaiting;
        awaiting = null;
        sendFrame(ws, { type: 'result', id: broken.frame.id, result: { ok: false, error: { code: 'INVALID_ARGUMENT', message: 'Binary frames missing' } } });
      }
      if (parsed.frame.binaries) awaiting = { frame: parsed.frame, binaries: [], bytes: 0 };
      else dispatch(parsed.frame, []);
    });
    ws.on('error', () => ws.terminate());
  }

  return {
    url: `${origin}/?token=${token}`,
    origin,
    token,
    backend,
    dialogs,
    broadcast: (event, payload) => {
      for (const ws of wss.clients) sendFrame(ws, { type: 'event', event, payload });
    },
    connectionCount: () => wss.clients.size,
    close: async () => {
      for (const ws of wss.clients) ws.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await backend.dispose();
    },
  };
}

function send(res: ServerResponse, status: number, contentType: string, body: string | Buffer): void {
  res.writeHead(status, {
    'Content-Type': contentType,
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
  });
  res.end(res.req.method === 'HEAD' ? undefined : body);
}

function sendFrame(ws: WebSocket, frame: ServerFrame): void {
  if (ws.readyState !== ws.OPEN) return;
  let text: string;
  try {
    text = JSON.stringify(frame);
  } catch {
    // A handler answered something JSON cannot carry; report it instead of dropping the reply.
    const error = { code: 'INTERNAL', message: 'Reply could not be serialised' };
    text = JSON.stringify(frame.type === 'result' ? { type: 'result', id: frame.id, result: { ok: false, error } } : { type: 'error', error });
  }
  ws.send(text);
}

function rawToBytes(data: Buffer | ArrayBuffer | Buffer[]): Uint8Array {
  const buf = Array.isArray(data) ? Buffer.concat(data) : Buffer.isBuffer(data) ? data : Buffer.from(data);
  return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
}

function rawToString(data: Buffer | ArrayBuffer | Buffer[]): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data as ArrayBuffer).toString('utf8');
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
