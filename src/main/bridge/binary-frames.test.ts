import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { reviveBinaries } from './frames';
import { startBridge, type Bridge } from './server';

/*
 * Byte arrays in requests (mask PNGs, dropped files) cross the bridge as
 * binary WebSocket frames behind their JSON frame, the way browser-shim.js
 * sends them; the handler must receive real Uint8Arrays, as over Electron IPC.
 */

let base: string;
let bridge: Bridge;

beforeAll(async () => {
  base = await mkdtemp(path.join(tmpdir(), 'patina-bridge-bin-'));
  await mkdir(path.join(base, 'renderer'), { recursive: true });
  await writeFile(path.join(base, 'renderer', 'index.html'), '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'" />');
  bridge = await startBridge({ rendererDir: path.join(base, 'renderer'), modelsDir: path.join(base, 'models'), appVersion: '1.0.0' });
});

afterAll(async () => {
  await bridge?.close();
  await rm(base, { recursive: true, force: true });
});

function connect(): Promise<WebSocket> {
  const url = `${bridge.origin.replace('http', 'ws')}/__patina/ws?token=${bridge.token}`;
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { origin: bridge.origin });
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

function nextFrame(ws: WebSocket): Promise<Record<string, unknown>> {
  return new Promise((resolve) => ws.once('message', (data) => resolve(JSON.parse(String(data)))));
}

/** Every frame from now on, in order: two replies can arrive in one read, before a later `once` listens. */
function frames(ws: WebSocket): () => Promise<Record<string, unknown>> {
  const queued: Record<string, unknown>[] = [];
  const waiting: ((frame: Record<string, unknown>) => void)[] = [];
  ws.on('message', (data) => {
    const frame = JSON.parse(String(data)) as Record<string, unknown>;
    const take = waiting.shift();
    if (take) take(frame);
    else queued.push(frame);
  });
  return () => (queued.length > 0 ? Promise.resolve(queued.shift()!) : new Promise((resolve) => waiting.push(resolve)));
}

describe('reviveBinaries', () => {
  it('puts byte arrays back at their placeholders, at any depth', () => {
    const a = new Uint8Array([1]);
    const b = new Uint8Array([2, 3]);
    expect(reviveBinaries({ x: { $binary: 1 }, list: [{ $binary: 0 }, 'k'], n: 3 }, [a, b])).toEqual({ x: b, list: [a, 'k'], n: 3 });
  });

  it('leaves placeholders without a frame, and look-alikes, as plain objects', () => {
    expect(reviveBinaries({ $binary: 5 }, [])).toEqual({ $binary: 5 });
    expect(reviveBinaries({ $binary: 0, extra: 1 }, [new Uint8Array(1)])).toEqual({ $binary: 0, extra: 1 });
  });
});

describe('bridge binary frames', () => {
  it('delivers a request whose byte array follows as a binary frame', async () => {
    const ws = await connect();
    const png = await sharp({ create: { width: 12, height: 8, channels: 3, background: '#808080' } }).png().toBuffer();
    const reply = nextFrame(ws);
    ws.send(JSON.stringify({ type: 'invoke', id: 1, channel: 'document:import', arg: { name: 'drop.png', bytes: { $binary: 0 } }, binaries: 1 }));
    ws.send(png);
    expect(await reply).toMatchObject({ type: 'result', id: 1, result: { ok: true, value: { name: 'drop.png', width: 12, height: 8 } } });
    ws.close();
  });

  it('refuses a request whose binaries never came, and keeps serving', async () => {
    const ws = await connect();
    const next = frames(ws);
    ws.send(JSON.stringify({ type: 'invoke', id: 1, channel: 'document:import', arg: { name: 'x.png', bytes: { $binary: 0 } }, binaries: 1 }));
    ws.send(JSON.stringify({ type: 'invoke', id: 2, channel: 'app:info' }));
    expect(await next()).toMatchObject({ id: 1, result: { ok: false, error: { code: 'INVALID_ARGUMENT' } } });
    expect(await next()).toMatchObject({ id: 2, result: { ok: true } });
    ws.close();
  });

  it('still refuses oversized JSON frames', async () => {
    const ws = await connect();
    const reply = nextFrame(ws);
    ws.send(JSON.stringify({ type: 'invoke', id: 1, channel: 'app:info', arg: 'x'.repeat(1024 * 1024 + 10) }));
    expect(await reply).toMatchObject({ type: 'error', error: { code: 'INVALID_ARGUMENT' } });
    ws.close();
  });
});

describe('bridge frame cap', () => {
  it('closes a socket whose binary frame, or a request whose frames together, exceed the cap', async () => {
    const small = await startBridge({ rendererDir: path.join(base, 'renderer'), modelsDir: path.join(base, 'models'), appVersion: '1.0.0', maxBinaryBytes: 64 * 1024 });
    const open = () =>
      new Promise<WebSocket>((resolve, reject) => {
        const ws = new WebSocket(`${small.origin.replace('http', 'ws')}/__patina/ws?token=${small.token}`, { origin: small.origin });
        ws.once('open', () => resolve(ws));
        ws.once('error', reject);
      });
    const closed = (ws: WebSocket) => new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
    try {
      const one = await open();
      const oneClosed = closed(one);
      one.send(JSON.stringify({ type: 'invoke', id: 1, channel: 'document:import', arg: { name: 'x.png', bytes: { $binary: 0 } }, binaries: 1 }));
      one.send(Buffer.alloc(64 * 1024 + 1));
      expect(await oneClosed).toBe(1009);

      const many = await open();
      const manyClosed = closed(many);
      const reply = nextFrame(many);
      const arg = { layers: [{ $binary: 0 }, { $binary: 1 }, { $binary: 2 }] };
      many.send(JSON.stringify({ type: 'invoke', id: 7, channel: 'document:import', arg, binaries: 3 }));
      for (let i = 0; i < 3; i++) many.send(Buffer.alloc(30 * 1024));
      expect(await reply).toMatchObject({ id: 7, result: { ok: false, error: { code: 'INVALID_ARGUMENT', message: expect.stringMatching(/limited to/) } } });
      expect(await manyClosed).toBe(1009);
    } finally {
      await small.close();
    }
  });
});
