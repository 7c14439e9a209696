import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DefectsDetectResult, DefectsFacesResult, DefectsProgress, DefectsRethresholdResult } from '@shared/ipc/defects';
import { scoreLevel } from '@shared/ipc/detection';
import { defaultModelsDir } from '../inference/models-dir';
import { createRouter } from '../ipc/router';
import { withUnusedHandlers } from '../ipc/unused-handlers';
import { mapEngineError } from '../ipc/engine-errors';
import { ResultStore } from '../jobs/result-store';
import { DefectsEngine } from './engine';
import { GrantTable } from '../access/grants';
import { createDefectsHandlers } from './handlers';
import { buildDefectsForTests, type BuiltDefects } from './testing/build-worker';
import { CRACKED_PRINT, gradientRgb, REPO_ROOT, writeLineScratchedFrame, writeScratchedPhoto } from './testing/fixtures';

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

  it('re-thresholds the kept detection at another sensitivity exactly as a fresh detection would, and says so', async () => {
    const rt = router();
    const print = path.join(dir, 'cracked.png');
    await writeFile(print, await (await import('node:fs/promises')).readFile(CRACKED_PRINT));
    const image = { grant: read(print) };
    const first = await rt.dispatch('defects:detect', { image, sensitivity: 0.5 }, caller('win-1'));
    expect(first.ok).toBe(true);
    const detected = (first as { ok: true; value: DefectsDetectResult }).value;
    // The learned detector's preview scores: the reduced photo's size, and above the 50 % level where it flagged.
    expect(detected.scores).toMatchObject({ width: detected.width, height: detected.height, factor: 1 });
    const scores = await sharp(Buffer.from(results.get(detected.scores!.handle)!.bytes)).extractChannel(0).raw().toBuffer();
    const mask = await sharp(Buffer.from(results.get(detected.handle)!.bytes)).extractChannel(0).raw().toBuffer();
    let agree = 0;
    for (let i = 0; i < mask.length; i++) if (mask[i] && scores[i]! > scoreLevel(0.5)) agree++;
    expect(agree / detected.flaggedPixels).toBeGreaterThan(0.9);

    for (const sensitivity of [0.9, 0.2]) {
      const events: { event: string; payload: unknown }[] = [];
      const again = await rt.dispatch('defects:rethreshold', { image, sensitivity }, caller('win-1', events));
      const fresh = await rt.dispatch('defects:detect', { image: { grant: read(print) }, sensitivity }, caller('win-2'));
      expect(again.ok && fresh.ok).toBe(true);
      const a = (again as { ok: true; value: DefectsRethresholdResult }).value;
      const f = (fresh as { ok: true; value: DefectsDetectResult }).value;
      expect(a.reused).toBe(true);
      expect(a.sensitivity).toBe(sensitivity);
      expect(a.flaggedPixels).toBe(f.flaggedPixels);
      expect(Buffer.from(results.get(a.handle)!.bytes).equals(Buffer.from(results.get(f.handle)!.bytes))).toBe(true);
      // Only the fast step ran: no stage of the network's analysis reported progress.
      const progress = events.filter((e) => e.event === 'defects:progress').map((e) => e.payload as DefectsProgress);
      expect(progress.every((p) => p.total === 1)).toBe(true);
    }
    const high = (await rt.dispatch('defects:rethreshold', { image, sensitivity: 0.9 }, caller('win-1'))) as { ok: true; value: DefectsRethresholdResult };
    expect(high.value.flaggedPixels).toBeGreaterThan(detected.flaggedPixels);
  });

  it('detects afresh when asked to re-threshold a photo it never detected, and checks its arguments like detect', async () => {
    const rt = router();
    const other = path.join(dir, 'other.png');
    const img = gradientRgb(200, 120);
    await sharp(img.data, { raw: { width: 200, height: 120, channels: 3 } }).png().toFile(other);
    const r = await rt.dispatch('defects:rethreshold', { image: { grant: read(other) }, sensitivity: 0.7 }, caller('win-1'));
    expect(r).toMatchObject({ ok: true, value: { reused: false, width: 200, height: 120, sensitivity: 0.7 } });
    const codes = [];
    for (const arg of [{ image: { grant: read(other) } }, { image: { grant: read(other) }, sensitivity: -0.1 }, { image: { path: other }, sensitivity: 0.5 }, { image: { grant: read(other) }, sensitivity: 0.5, extra: 1 }]) {
      const res = await rt.dispatch('defects:rethreshold', arg, caller('win-1'));
      codes.push(res.ok ? 'ok' : res.error.code);
    }
    expect(codes).toEqual(['INVALID_ARGUMENT', 'INVALID_ARGUMENT', 'INVALID_ARGUMENT', 'INVALID_ARGUMENT']);
    expect(await rt.dispatch('defects:rethreshold', { image: { grant: 'cccccccccccccccccccccccc' }, sensitivity: 0.5 }, caller('win-1'))).toMatchObject({ ok: false, error: { code: 'NOT_GRANTED' } });
  });
});

describe('defects:detect medium over IPC', () => {
  const grants = new GrantTable();
  const read = (p: string) => grants.grant(p, 'read').grant;
  const router = () =>
    createRouter(withUnusedHandlers([createDefectsHandlers({ engine, results, resultUrl: (h) => `patina://result/${h}`, grants })]), { mapError: mapEngineError });

  it("finds film's line scratches only when the photo is said to be film, keeps that through re-thresholding, and refuses other media", async () => {
    const rt = router();
    const frame = path.join(dir, 'frame.png');
    await writeLineScratchedFrame(frame);
    const image = { grant: read(frame) };
    const flagged = async (channel: 'defects:detect' | 'defects:rethreshold', arg: Record<string, unknown>) => {
      const r = await rt.dispatch(channel, { image, method: 'classical', sensitivity: 0.5, ...arg }, caller('win-1'));
      expect(r.ok).toBe(true);
      return (r as { ok: true; value: DefectsRethresholdResult }).value;
    };
    expect((await flagged('defects:detect', {})).flaggedPixels).toBe(0);
    const film = await flagged('defects:detect', { medium: 'film' });
    // Two 2-px lines of 500 rows, marked a pixel wider each side.
    expect(film.flaggedPixels).toBeGreaterThan(2 * 3 * 400);
    expect(film.strokes).toBeGreaterThanOrEqual(2);
    const again = await flagged('defects:rethreshold', { medium: 'film', sensitivity: 0.6 });
    expect(again.reused).toBe(true);
    expect(again.flaggedPixels).toBeGreaterThanOrEqual(film.flaggedPixels);
    // The print detection is kept apart from the film one: asked as a print, the lines are not there.
    expect((await flagged('defects:rethreshold', { medium: 'print', sensitivity: 0.6 })).flaggedPixels).toBe(0);

    for (const channel of ['defects:detect', 'defects:rethreshold'] as const) {
      const r = await rt.dispatch(channel, { image, sensitivity: 0.5, medium: 'glass' }, caller('win-1'));
      expect(r).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT' } });
    }
  });
});

describe('defects:faces over IPC, run in the defects worker', () => {
  const grants = new GrantTable();
  const router = () =>
    createRouter(withUnusedHandlers([createDefectsHandlers({ engine, results, resultUrl: (h) => `patina://result/${h}`, grants })]), { mapError: mapEngineError });

  it('answers the faces of a granted portrait in photo pixels, and none for a photo without people', async () => {
    const rt = router();
    const portrait = path.resolve(REPO_ROOT, '../shared/data/damaged/bopb_old_photos/old_w_scratch/d.png');
    const r = await rt.dispatch('defects:faces', { image: { grant: grants.grant(portrait, 'read').grant } }, caller('win-1'));
    expect(r.ok).toBe(true);
    const found = (r as { ok: true; value: DefectsFacesResult }).value;
    expect(found).toMatchObject({ width: 400, height: 256, note: null });
    // The couple: two faces, side by side, inside the photo.
    expect(found.faces).toHaveLength(2);
    for (const f of found.faces) {
      expect(f.x).toBeGreaterThanOrEqual(0);
      expect(f.x + f.width).toBeLessThanOrEqual(400);
      expect(f.width).toBeGreaterThan(40);
    }
    const harbour = path.resolve(REPO_ROOT, '../shared/data/damaged/bopb_old_photos/old/f.png');
    expect(await rt.dispatch('defects:faces', { image: { grant: grants.grant(harbour, 'read').grant } }, caller('win-1'))).toMatchObject({ ok: true, value: { faces: [] } });
  });

  it('refuses paths, forged handles and extra keys', async () => {
    const rt = router();
    const codes = [];
    for (const arg of [{ image: { path: '/etc/passwd' } }, { image: { grant: 'cccccccccccccccccccccccc' } }, { image: { id: 'x' }, extra: true }, undefined]) {
      const res = await rt.dispatch('defects:faces', arg, caller('win-1'));
      codes.push(res.ok ? 'ok' : res.error.code);
    }
    expect(codes).toEqual(['INVALID_ARGUMENT', 'NOT_GRANTED', 'INVALID_ARGUMENT', 'INVALID_ARGUMENT']);
  });
});
