import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DefectsDetectResult, DefectsProgress } from '@shared/ipc/defects';
import { defaultModelsDir } from '../inference/models-dir';
import { createRouter } from '../ipc/router';
import { withUnusedHandlers } from '../ipc/unused-handlers';
import { mapEngineError } from '../ipc/engine-errors';
import { ResultStore } from '../jobs/result-store';
import { DefectsEngine } from './engine';
import { GrantTable } from '../access/grants';
import { createDefectsHandlers } from './handlers';
import { buildDefectsForTests, type BuiltDefects } from './testing/build-worker';
import { gradientRgb, writeScratchedPhoto } from './testing/fixtures';

let built: BuiltDefects;
let engine: DefectsEngine;
let dir: string;
let photo: string;
const results = new ResultStore();

beforeAll(async () => {
  built = await buildDefectsForTests();
  engine = new DefectsEngine({ modelsDir: defaultModelsDir(), workerPath: built.worker });
  dir = await mkdtemp(path.join(tmpdir(), 'patina-defects-ipc-'));
  ({ photo } = await writeScratchedPhoto(dir, [10, 20], [230, 140], 245));
}, 120_000);
afterAll(async () => {
  await engine?.close();
  await built?.dispose();
});

const caller = (callerId: string, events: { event: string; payload: unknown }[] = []) => ({
  callerId,
  emit: (event: string, payload: unknown) => events.push({ event, payload }),
});

describe('defects:detect over IPC, run in the defects worker', () => {
  // Photos reach defects:detect only as handles main granted (a dialog's answer in the app).
  const grants = new GrantTable();
  const read = (p: string) => grants.grant(p, 'read').grant;
  const router = () =>
    createRouter(
      withUnusedHandlers([
        createDefectsHandlers({ engine, results, resultUrl: (h) => `patina://result/${h}`, resolveImageId: (id) => (id === 'doc-1' ? photo : undefined), grants }),
      ]),
      { mapError: mapEngineError },
    );

  it('returns a URL to a white-on-black PNG mask of the photo and emits defects:progress to the caller', async () => {
    const events: { event: string; payload: unknown }[] = [];
    const r = await router().dispatch('defects:detect', { jobId: 'detect-1', image: { grant: read(photo) } }, caller('win-1', events));
    expect(r.ok).toBe(true);
    const result = (r as { ok: true; value: DefectsDetectResult }).value;
    expect(result).toMatchObject({ jobId: 'detect-1', width: 240, height: 160, sensitivity: 0.5 });
    expect(result.url).toBe(`patina://result/${result.handle}`);
    expect(result.flaggedPixels).toBeGreaterThan(200);
    const stored = results.get(result.handle)!;
    expect(stored.mime).toBe('image/png');
    const meta = await sharp(Buffer.from(stored.bytes)).metadata();
    expect([meta.format, meta.width, meta.height, meta.channels]).toEqual(['png', 240, 160, 1]);
    const data = await sharp(Buffer.from(stored.bytes)).extractChannel(0).raw().toBuffer();
    expect(data.filter((v) => v === 255).length).toBe(result.flaggedPixels);
    expect(data.every((v) => v === 0 || v === 255)).toBe(true);
    const progress = events.filter((e) => e.event === 'defects:progress').map((e) => e.payload as DefectsProgress);
    expect(progress.length).toBeGreaterThan(1);
    expect(progress.every((p) => p.jobId === 'detect-1' && p.stage === 'detect')).toBe(true);
    expect(progress.at(-1)!.done).toBe(progress.at(-1)!.total);
  });

  it('resolves an open document id, and a higher sensitivity never flags less', async () => {
    const low = await router().dispatch('defects:detect', { image: { id: 'doc-1' }, sensitivity: 0 }, caller('win-1'));
    const high = await router().dispatch('defects:detect', { image: { id: 'doc-1' }, sensitivity: 1 }, caller('win-1'));
    expect(low.ok && high.ok).toBe(true);
    const [a, b] = [low, high].map((r) => (r as { ok: true; value: DefectsDetectResult }).value.flaggedPixels);
    expect(b!).toBeGreaterThanOrEqual(a!);
  });

  it('refuses bad arguments before any work, and reports unreadable photos with their own code', async () => {
    const rt = router();
    const bad = [
      { image: { path: 'relative/photo.png' } },
      { image: { path: photo } },
      { image: { grant: read(photo) }, sensitivity: 2 },
      { image: { grant: read(photo) }, extra: true },
      { image: {} },
    ];
    const codes = [];
    for (const arg of bad) {
      const r = await rt.dispatch('defects:detect', arg, caller('win-1'));
      codes.push(r.ok ? 'ok' : r.error.code);
    }
    expect(codes).toEqual(['INVALID_ARGUMENT', 'INVALID_ARGUMENT', 'INVALID_ARGUMENT', 'INVALID_ARGUMENT', 'INVALID_ARGUMENT']);
    // A well-formed handle main never issued names no file.
    expect(await rt.dispatch('defects:detect', { image: { grant: 'cccccccccccccccccccccccc' } }, caller('win-1'))).toMatchObject({
      ok: false,
      error: { code: 'NOT_GRANTED', message: expect.stringContaining('File ▸ Open') },
    });

    expect(await rt.dispatch('defects:detect', { image: { id: 'nope' } }, caller('win-1'))).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });

    const corrupt = path.join(dir, 'corrupt.jpg');
    await writeFile(corrupt, Buffer.from('\xff\xd8\xff\xe0 truncated', 'latin1'));
    const r = await rt.dispatch('defects:detect', { image: { grant: read(corrupt) } }, caller('win-1'));
    expect(r).toMatchObject({ ok: false, error: { code: 'IMAGE_UNREADABLE' } });

    // The worker survives a bad photo and serves the next request.
    expect((await rt.dispatch('defects:detect', { image: { grant: read(photo) } }, caller('win-1'))).ok).toBe(true);
  });

  it('cancels a running detection for its own caller only', async () => {
    const big = path.join(dir, 'big.png');
    const img = gradientRgb(3000, 2000);
    await sharp(img.data, { raw: { width: 3000, height: 2000, channels: 3 } }).png().toFile(big);
    const rt = router();
    const pending = rt.dispatch('defects:detect', { jobId: 'to-cancel', image: { grant: read(big) } }, caller('win-1'));
    await new Promise((r) => setTimeout(r, 50));
    expect(await rt.dispatch('defects:cancel', { jobId: 'to-cancel' }, caller('win-2'))).toEqual({ ok: true, value: { cancelled: false } });
    expect(await rt.dispatch('defects:cancel', { jobId: 'to-cancel' }, caller('win-1'))).toEqual({ ok: true, value: { cancelled: true } });
    expect(await pending).toMatchObject({ ok: false, error: { code: 'CANCELLED' } });
  });
});
