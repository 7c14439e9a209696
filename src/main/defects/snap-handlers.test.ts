import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DefectsSnapResult } from '@shared/ipc/snap';
import { GrantTable } from '../access/grants';
import { mapEngineError } from '../ipc/engine-errors';
import { createRouter } from '../ipc/router';
import { withUnusedHandlers } from '../ipc/unused-handlers';
import { ResultStore } from '../jobs/result-store';
import { SnapEngine } from './snap-engine';
import { createSnapHandlers } from './snap-handlers';
import { buildDefectsForTests, type BuiltDefects } from './testing/build-worker';
import { writeScratchedPhoto } from './testing/fixtures';

let built: BuiltDefects;
let engine: SnapEngine;
let dir: string;
let photo: string;
let scratch: Uint8Array;
const results = new ResultStore();
const grants = new GrantTable();
const read = (p: string) => grants.grant(p, 'read').grant;
const caller = { callerId: 'win-1', emit: () => undefined };

beforeAll(async () => {
  built = await buildDefectsForTests();
  engine = new SnapEngine({ workerPath: built.snapWorker });
  dir = await mkdtemp(path.join(tmpdir(), 'patina-snap-ipc-'));
  ({ photo, truth: scratch } = await writeScratchedPhoto(dir, [20, 40], [220, 60], 25));
}, 120_000);
afterAll(async () => {
  await engine?.close();
  await built?.dispose();
});

const router = () =>
  createRouter(
    withUnusedHandlers([
      createSnapHandlers({ engine, results, resultUrl: (h) => `patina://result/${h}`, resolveImageId: (id) => (id === 'doc-1@0' ? photo : undefined), grants }),
    ]),
    { mapError: mapEngineError },
  );

describe('defects:snap over IPC, run in the snap worker', () => {
  it('answers the damage under a stroke as a PNG window of the photo', async () => {
    const r = await router().dispatch('defects:snap', { image: { grant: read(photo) }, kind: 'stroke', points: [[18, 38], [120, 52], [222, 62]], width: 14 }, caller);
    expect(r.ok).toBe(true);
    const result = (r as { ok: true; value: DefectsSnapResult }).value;
    expect(result.pixels).toBeGreaterThan(300);
    expect(result.url).toBe(`patina://result/${result.handle}`);
    const stored = results.get(result.handle!)!;
    expect(stored.mime).toBe('image/png');
    const { data, info } = await sharp(Buffer.from(stored.bytes)).extractChannel(0).raw().toBuffer({ resolveWithObject: true });
    expect([info.width, info.height]).toEqual([result.width, result.height]);
    expect(data.filter((v) => v === 255).length).toBe(result.pixels);
    // The window sits on the scratch: most of the painted scratch is white in it.
    let hit = 0;
    let total = 0;
    for (let y = 0; y < 160; y++) {
      for (let x = 30; x < 210; x++) {
        if (!scratch[y * 240 + x]) continue;
        total++;
        const lx = x - result.x;
        const ly = y - result.y;
        if (lx >= 0 && ly >= 0 && lx < result.width && ly < result.height && data[ly * result.width + lx] === 255) hit++;
      }
    }
    expect(hit / total).toBeGreaterThan(0.9);
  });

  it('resolves an open document version; nothing under the stroke answers an empty window and no URL', async () => {
    const r = await router().dispatch('defects:snap', { image: { id: 'doc-1@0' }, kind: 'stroke', points: [[20, 120], [220, 130]], width: 10 }, caller);
    expect(r).toMatchObject({ ok: true, value: { pixels: 0, width: 0, height: 0, url: null, handle: null } });
    const spot = await router().dispatch('defects:snap', { image: { id: 'doc-1@0' }, kind: 'spot', points: [[120, 50]], width: 12 }, caller);
    expect(spot.ok).toBe(true);
    expect((spot as { ok: true; value: DefectsSnapResult }).value.pixels).toBeGreaterThan(5);
  });

  it('refuses bad arguments before any work, and photos it was not given', async () => {
    const rt = router();
    const image = { grant: read(photo) };
    const bad = [
      { image: { path: photo }, kind: 'stroke', points: [[1, 1]], width: 10 },
      { image, kind: 'stroke', points: [], width: 10 },
      { image, kind: 'stroke', points: Array.from({ length: 5000 }, (_, i) => [i, i]), width: 10 },
      { image, kind: 'stroke', points: [[1, 1]], width: 0 },
      { image, kind: 'stroke', points: [[1, 1]], width: 5000 },
      { image, kind: 'stroke', points: [[1, 'x']], width: 10 },
      { image, kind: 'stroke', points: [[1, 1e9]], width: 10 },
      { image, kind: 'spot', points: [[1, 1], [2, 2]], width: 10 },
      { image, kind: 'lasso', points: [[1, 1]], width: 10 },
      { image, kind: 'stroke', points: [[1, 1]], width: 10, sensitivity: 3 },
      { image, kind: 'stroke', points: [[1, 1]], width: 10, extra: true },
    ];
    const codes = [];
    for (const arg of bad) {
      const r = await rt.dispatch('defects:snap', arg, caller);
      codes.push(r.ok ? 'ok' : r.error.code);
    }
    expect(codes).toEqual(bad.map(() => 'INVALID_ARGUMENT'));
    const stroke = { kind: 'stroke', points: [[1, 1]], width: 10 } as const;
    expect(await rt.dispatch('defects:snap', { image: { grant: 'cccccccccccccccccccccccc' }, ...stroke }, caller)).toMatchObject({
      ok: false,
      error: { code: 'NOT_GRANTED' },
    });
    // A handle granted for writing is no read handle.
    const writeOnly = grants.grant(path.join(dir, 'out.png'), 'write').grant;
    expect(await rt.dispatch('defects:snap', { image: { grant: writeOnly }, ...stroke }, caller)).toMatchObject({ ok: false, error: { code: 'NOT_GRANTED' } });
    expect(await rt.dispatch('defects:snap', { image: { id: 'doc-1@7' }, ...stroke }, caller)).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    // A path is refused in the person's words, as defects:detect and restore:run refuse it.
    expect(await rt.dispatch('defects:snap', { image: { path: path.join(dir, 'x.png') }, ...stroke }, caller)).toMatchObject({
      ok: false,
      error: { code: 'INVALID_ARGUMENT', message: expect.stringContaining('paths are not accepted') },
    });

    const corrupt = path.join(dir, 'corrupt.jpg');
    await writeFile(corrupt, Buffer.from('\xff\xd8\xff\xe0 truncated', 'latin1'));
    expect(await rt.dispatch('defects:snap', { image: { grant: read(corrupt) }, ...stroke }, caller)).toMatchObject({
      ok: false,
      error: { code: 'IMAGE_UNREADABLE' },
    });
    // The worker survives a bad photo and serves the next stroke.
    expect((await rt.dispatch('defects:snap', { image, ...stroke }, caller)).ok).toBe(true);
  });
});
