import { readdir, readFile, symlink } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultModelsDir } from '../inference/models-dir';
import type { ProgressEvent } from '../jobs/progress';
import { createRouter } from '../ipc/router';
import { withUnusedHandlers } from '../ipc/unused-handlers';
import { RestoreEngine } from './engine';
import { mapEngineError } from '../ipc/engine-errors';
import { GrantTable } from '../access/grants';
import { createRestoreHandlers } from './handlers';
import { ResultStore } from '../jobs/result-store';
import { buildEngineForTests, type BuiltEngine } from './testing/build-engine';
import { scratchMaskPng, syntheticImage, tempDir } from './testing/fixtures';

let built: BuiltEngine;
let engine: RestoreEngine;
let dir: string;

beforeAll(async () => {
  built = await buildEngineForTests();
  engine = new RestoreEngine({ modelsDir: defaultModelsDir(), device: 'cpu', workerPath: built.worker });
  dir = await tempDir();
}, 60_000);
afterAll(async () => {
  await engine?.close();
  await built?.dispose();
});

describe('RestoreEngine (worker thread)', () => {
  it('restores through the worker, returns PNG bytes, and relays progress for its job id', async () => {
    const input = path.join(dir, 'w.png');
    await syntheticImage(96, 64, 3, 8).png().toFile(input);
    const events: ProgressEvent[] = [];
    const handle = engine.run(
      { jobId: 'worker-job-1', imagePath: input, mask: { kind: 'bytes', bytes: await scratchMaskPng(96, 64) }, output: { kind: 'buffer' } },
      (e) => events.push(e),
    );
    expect(handle.jobId).toBe('worker-job-1');
    const result = await handle.result;
    expect(result.status).toBe('restored');
    if (result.status !== 'restored') return;
    expect(result.mime).toBe('image/png');
    const meta = await sharp(Buffer.from(result.bytes!)).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(['png', 96, 64]);
    expect(events.length).toBeGreaterThan(0);
    expect(events.every((e) => e.jobId === 'worker-job-1')).toBe(true);
  });

  it('reports the provider it actually used, ending on CPU with the reason when CUDA is asked for', async () => {
    const cuda = new RestoreEngine({ modelsDir: defaultModelsDir(), device: 'cuda', workerPath: built.worker });
    try {
      const status = await cuda.status(true);
      expect(status.error).toBeNull();
      expect(status.provider).toBe('cpu');
      expect(status.attempts[0]).toMatchObject({ provider: 'cuda', ok: false });
      expect(status.attempts[0]!.reason).toMatch(/\S/);
      expect(status.attempts.at(-1)).toEqual({ provider: 'cpu', ok: true });
    } finally {
      await cuda.close();
    }
  });

  it('cancels a queued job and leaves no output file', async () => {
    const sub = await tempDir();
    const input = path.join(sub, 'c.png');
    await syntheticImage(96, 64, 3, 8).png().toFile(input);
    const mask = { kind: 'bytes', bytes: await scratchMaskPng(96, 64) } as const;
    const first = engine.run({ imagePath: input, mask, output: { kind: 'buffer' } });
    const second = engine.run({ imagePath: input, mask, output: { kind: 'file', path: path.join(sub, 'out.png'), ifExists: 'fail' } });
    second.cancel();
    const secondOutcome = second.result.catch((e: unknown) => e);
    await first.result;
    expect(await secondOutcome).toMatchObject({ code: 'CANCELLED' });
    expect(await readdir(sub)).toEqual(['c.png']);
  });

  it('names the missing model file in its error', async () => {
    const empty = await tempDir();
    const broken = new RestoreEngine({ modelsDir: empty, device: 'cpu', workerPath: built.worker });
    try {
      const input = path.join(dir, 'm.png');
      await syntheticImage(32, 32, 3, 8).png().toFile(input);
      const handle = broken.run({ imagePath: input, mask: { kind: 'bytes', bytes: await scratchMaskPng(32, 32) }, output: { kind: 'buffer' } });
      await expect(handle.result).rejects.toMatchObject({ code: 'MODEL_MISSING', message: expect.stringContaining(path.join(empty, 'manifest.json')) });
    } finally {
      await broken.close();
    }
  });
});

describe('restore IPC handlers', () => {
  const results = new ResultStore();
  // Files reach restore:run only as handles main granted (a dialog's answer in the app).
  const grants = new GrantTable();
  const read = (p: string) => grants.grant(p, 'read').grant;
  const write = (p: string) => grants.grant(p, 'write').grant;
  const router = () =>
    createRouter(withUnusedHandlers([createRestoreHandlers({ engine, results, resultUrl: (h) => `patina://result/${h}`, grants })]), { mapError: mapEngineError });
  const caller = (callerId: string, events: { event: string; payload: unknown }[] = []) => ({
    callerId,
    emit: (event: string, payload: unknown) => events.push({ event, payload }),
  });

  it('restore:run takes mask PNG bytes, emits restore:progress to the caller, and returns a URL instead of pixels', async () => {
    const input = path.join(dir, 'ipc.png');
    await syntheticImage(64, 48, 3, 8).png().toFile(input);
    const events: { event: string; payload: unknown }[] = [];
    const reply = await router().dispatch(
      'restore:run',
      { jobId: 'ipc-1', image: { grant: read(input) }, mask: { png: new Uint8Array(await scratchMaskPng(64, 48)) } },
      caller('window:1', events),
    );
    expect(reply.ok).toBe(true);
    if (!reply.ok) return;
    const value = reply.value as { url: string; handle: string; width: number; status: string };
    expect(value).toMatchObject({ status: 'restored', width: 64, url: `patina://result/${value.handle}` });
    expect(JSON.stringify(value).length).toBeLessThan(1000);
    const stored = results.get(value.handle)!;
    expect((await sharp(Buffer.from(stored.bytes)).metadata()).format).toBe('png');
    expect(events.length).toBeGreaterThan(0);
    expect(events.every((e) => e.event === 'restore:progress' && (e.payload as ProgressEvent).jobId === 'ipc-1')).toBe(true);
  });

  it('restore:run restores tone only (mask none, options.tone) and says which settings it applied', async () => {
    const input = path.join(dir, 'ipc-tone.png');
    await syntheticImage(64, 48, 3, 8).png().toFile(input);
    const noTone = await router().dispatch('restore:run', { image: { grant: read(input) }, mask: { none: true } }, caller('w'));
    expect(noTone).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT' } });
    const reply = await router().dispatch('restore:run', { image: { grant: read(input) }, mask: { none: true }, options: { tone: { colour: 'leave' } } }, caller('w'));
    expect(reply).toMatchObject({ ok: true, value: { status: 'restored', crops: 0, qualityMode: null, tone: { colour: 'leave', overridden: ['colour'], strength: 100 } } });
  });

  it('answers engine failures with their own code, and refuses paths', async () => {
    const input = path.join(dir, 'ipc-empty.png');
    await syntheticImage(32, 32, 3, 8).png().toFile(input);
    const black = new Uint8Array(await sharp({ create: { width: 32, height: 32, channels: 3, background: '#000' } }).png().toBuffer());
    const empty = await router().dispatch('restore:run', { image: { grant: read(input) }, mask: { png: black } }, caller('w'));
    expect(empty).toMatchObject({ ok: false, error: { code: 'MASK_EMPTY' } });
    for (const image of [{ path: input }, { path: 'photo.png' }, { grant: input }]) {
      const named = await router().dispatch('restore:run', { image, mask: { png: black } }, caller('w'));
      expect(named).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT' } });
    }
    const base64 = await router().dispatch('restore:run', { image: { grant: read(input) }, mask: { png: 'iVBORw0KGgo=' } }, caller('w'));
    expect(base64).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT' } });
  });

  it('restore:run never writes onto the photo, even asked to overwrite and reached through a link (the write rule)', async () => {
    const input = path.join(dir, 'ipc-original.png');
    await syntheticImage(32, 32, 3, 8).png().toFile(input);
    await symlink(dir, path.join(dir, 'alias'));
    const before = await readFile(input);
    const mask = { png: new Uint8Array(await scratchMaskPng(32, 32)) };
    for (const target of [input, path.join(dir, 'alias', 'ipc-original.png')]) {
      // Even a write handle for it (the person picked the photo in a Save dialog) does not let it through.
      const reply = await router().dispatch('restore:run', { image: { grant: read(input) }, mask, output: { grant: write(target), overwrite: true } }, caller('w'));
      expect(reply).toMatchObject({ ok: false, error: { code: 'OUTPUT_IS_INPUT', message: expect.stringMatching(/originals are never replaced/) } });
    }
    expect((await readFile(input)).equals(before)).toBe(true);
  });

  it('restore:run refuses handles main never issued, and a handle used for what it was not granted for', async () => {
    const input = path.join(dir, 'ipc-grants.png');
    const elsewhere = path.join(dir, 'ipc-elsewhere.png');
    await syntheticImage(32, 32, 3, 8).png().toFile(input);
    await syntheticImage(32, 32, 3, 8).png().toFile(elsewhere);
    const before = await readFile(elsewhere);
    const mask = { png: new Uint8Array(await scratchMaskPng(32, 32)) };
    const forged = await router().dispatch('restore:run', { image: { grant: 'aaaaaaaaaaaaaaaaaaaaaaaa' }, mask }, caller('w'));
    expect(forged).toMatchObject({ ok: false, error: { code: 'NOT_GRANTED', message: expect.stringContaining('was not chosen in Patina') } });
    // A photo opened for reading is no place to write, even with overwrite.
    const readAsWrite = await router().dispatch('restore:run', { image: { grant: read(input) }, mask, output: { grant: read(elsewhere), overwrite: true } }, caller('w'));
    expect(readAsWrite).toMatchObject({ ok: false, error: { code: 'NOT_GRANTED', details: { field: 'output.grant', use: 'write' } } });
    const maskAsForged = await router().dispatch('restore:run', { image: { grant: read(input) }, mask: { grant: 'bbbbbbbbbbbbbbbbbbbbbbbb' } }, caller('w'));
    expect(maskAsForged).toMatchObject({ ok: false, error: { code: 'NOT_GRANTED', details: { field: 'mask.grant' } } });
    expect((await readFile(elsewhere)).equals(before)).toBe(true);
    // The same handle for its own use works: a granted write target gets the result.
    const target = path.join(dir, 'ipc-granted-out.png');
    const written = await router().dispatch('restore:run', { image: { grant: read(input) }, mask, output: { grant: write(target) } }, caller('w'));
    expect(written).toMatchObject({ ok: true, value: { status: 'restored', outputPath: target } });
  });

  it('lets only the caller that started a job cancel it', async () => {
    const input = path.join(dir, 'ipc-cancel.png');
    await syntheticImage(64, 48, 3, 8).png().toFile(input);
    const r = router();
    const mask = { png: new Uint8Array(await scratchMaskPng(64, 48)) };
    const running = r.dispatch('restore:run', { jobId: 'ipc-cancel', image: { grant: read(input) }, mask }, caller('window:a'));
    expect(await r.dispatch('restore:cancel', { jobId: 'ipc-cancel' }, caller('window:b'))).toEqual({ ok: true, value: { cancelled: false } });
    expect(await r.dispatch('restore:cancel', { jobId: 'ipc-cancel' }, caller('window:a'))).toEqual({ ok: true, value: { cancelled: true } });
    expect(await running).toMatchObject({ ok: false, error: { code: 'CANCELLED' } });
  });
});
