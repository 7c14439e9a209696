import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { BatchSnapshot } from '@shared/ipc/batch';
import { GrantTable } from '../access/grants';
import type { CallContext } from '../ipc/handlers';
import { createRouter } from '../ipc/router';
import { withUnusedHandlers } from '../ipc/unused-handlers';
import { syntheticImage, tempDir } from '../restore/testing/fixtures';
import type { AppliedTone } from '@shared/ipc/tone';
import type { RestoreRequest, RestoreResult } from '../restore/types';
import { createBatchCapability, type BatchCapability } from './capability';
import type { Restorer } from './runner';

/**
 * The batch:* channels through the real router: argument checks, errors a
 * person can act on, and events reaching every caller that watches. The
 * restorer answers at once (the engine's own behaviour is covered by
 * batch.integration.test.ts).
 */
const instant: Restorer = {
  run: () => ({
    jobId: 'j',
    cancel: () => {},
    result: Promise.resolve<RestoreResult>({
      jobId: 'j',
      status: 'restored',
      stats: { width: 8, height: 8, maskedPixels: 1, crops: 1, networkPixels: 1024, strategies: { whole: 1, tile: 0, downscale: 0 }, inpaintMs: 1, totalMs: 1 },
    }),
  }),
};

let capability: BatchCapability | undefined;
afterEach(async () => {
  await capability?.dispose();
  capability = undefined;
});

function setup(opened: string[] = [], restorer: Restorer = instant) {
  // Folders reach batch:start only as handles main granted (the folder chooser's answers in the app).
  const grants = new GrantTable();
  capability = createBatchCapability({ restorer, urlFor: (h) => `patina://result/${h}`, openFolder: async (dir) => (opened.push(dir), true), grants });
  const router = createRouter(withUnusedHandlers([capability.handlers]));
  const caller = (callerId: string) => {
    const events: { event: string; payload: unknown }[] = [];
    const ctx: CallContext = { callerId, emit: (event, payload) => events.push({ event, payload }) };
    return { ctx, events, call: (channel: string, arg?: unknown) => router.dispatch(channel, arg, ctx) };
  };
  return { caller, folder: (p: string) => grants.grant(p, 'folder').grant, file: (p: string) => grants.grant(p, 'read').grant };
}

describe('batch IPC handlers', () => {
  it('refuses paths, handles it never issued, bad templates and missing folders with codes a person can act on', async () => {
    const { caller, folder, file } = setup();
    const { call } = caller('w1');
    const dir = await tempDir();
    await mkdir(path.join(dir, 'photos'));
    await syntheticImage(40, 30, 3, 8).png().toFile(path.join(dir, 'photos', 'a.png'));
    const out = folder(path.join(dir, 'out'));
    const base = { input: { folder: folder(path.join(dir, 'photos')) }, masks: { auto: true }, output: { folder: out } };
    for (const input of [{ folder: '/photos' }, { folder: 'photos' }, { files: [path.join(dir, 'photos', 'a.png')] }]) {
      expect(await call('batch:start', { ...base, input })).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT' } });
    }
    // Well-formed handles main never issued, or issued for something else: nothing is read or written.
    const forged = 'dddddddddddddddddddddddd';
    expect(await call('batch:start', { ...base, output: { folder: forged } })).toMatchObject({
      ok: false,
      error: { code: 'NOT_GRANTED', message: /That folder was not chosen in Patina/, details: { field: 'output.folder' } },
    });
    expect(await call('batch:start', { ...base, input: { folder: file(path.join(dir, 'photos', 'a.png')) } })).toMatchObject({
      ok: false,
      error: { code: 'NOT_GRANTED', details: { field: 'input.folder', use: 'folder' } },
    });
    expect(await call('batch:start', { ...base, masks: { folder: forged } })).toMatchObject({ ok: false, error: { code: 'NOT_GRANTED', details: { field: 'masks.folder' } } });
    expect(await call('batch:start', { ...base, masks: { file: folder(dir) } })).toMatchObject({ ok: false, error: { code: 'NOT_GRANTED', details: { field: 'masks.file' } } });
    await expect(readdir(dir)).resolves.toEqual(['photos']);
    expect(await call('batch:start', { ...base, output: { folder: out, template: '../{stem}.{ext}' } })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_ARGUMENT', details: { issues: [{ path: 'output.template' }] } },
    });
    expect(await call('batch:start', { ...base, output: { folder: out, template: '{name}.{ext}' } })).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT' } });
    expect(await call('batch:start', { ...base, input: { folder: folder(path.join(dir, 'nowhere')) } })).toMatchObject({ ok: false, error: { code: 'BATCH_INVALID', message: /does not exist/ } });
    expect(await call('batch:start', { ...base, masks: { auto: true, sensitivity: 1.5 } })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_ARGUMENT', details: { issues: [{ path: 'masks.sensitivity' }] } },
    });
    expect(await call('batch:start', { ...base, masks: { auto: true, method: 'magic' } })).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT' } });
    expect(await call('batch:pause', { batchId: 'nope' })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });

  it('runs a batch, sends its events to every watcher, and serves thumbnails by URL', async () => {
    const opened: string[] = [];
    const { caller, folder } = setup(opened);
    const dir = await tempDir();
    await mkdir(path.join(dir, 'in'));
    await syntheticImage(40, 30, 3, 8).png().toFile(path.join(dir, 'in', 'a.png'));
    await writeFile(path.join(dir, 'in', 'b.txt'), 'not a photo');
    const starter = caller('w1');
    const reply = await starter.call('batch:start', { input: { folder: folder(path.join(dir, 'in')) }, masks: { auto: true }, output: { folder: folder(path.join(dir, 'out')) } });
    expect(reply.ok).toBe(true);
    const snapshot = (reply as { value: BatchSnapshot }).value;
    expect(snapshot.items.map((i) => [i.rel, i.state === 'skipped' ? 'skipped' : 'photo'])).toEqual([
      ['a.png', 'photo'],
      ['b.txt', 'skipped'],
    ]);

    // A second window (or a reloaded one) attaches with batch:get.
    const watcher = caller('w2');
    expect(await watcher.call('batch:get', { batchId: snapshot.batchId })).toMatchObject({ ok: true });
    await expect.poll(() => starter.events.some((e) => e.event === 'batch:progress' && (e.payload as { state: string }).state === 'finished')).toBe(true);
    await expect.poll(() => watcher.events.some((e) => e.event === 'batch:progress' && (e.payload as { state: string }).state === 'finished')).toBe(true);
    expect(starter.events.some((e) => e.event === 'batch:item' && (e.payload as { item: { state: string } }).item.state === 'done')).toBe(true);

    expect(await starter.call('batch:list')).toMatchObject({ ok: true, value: { batches: [{ batchId: snapshot.batchId, state: 'finished' }] } });
    expect(await starter.call('batch:thumbnail', { batchId: snapshot.batchId, itemId: 0, variant: 'source' })).toMatchObject({
      ok: true,
      value: { url: expect.stringMatching(/^patina:\/\/result\/[A-Za-z0-9_-]{22}$/) },
    });
    expect(await starter.call('batch:thumbnail', { batchId: snapshot.batchId, itemId: 1, variant: 'source' })).toEqual({ ok: true, value: { url: null } });
    expect(await starter.call('batch:thumbnail', { batchId: snapshot.batchId, itemId: 9, variant: 'source' })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(await starter.call('batch:open-output', { batchId: snapshot.batchId })).toEqual({ ok: true, value: { opened: true } });
    expect(opened).toEqual([path.join(dir, 'out')]);
  });

  it('starts a tone-only batch (masks: none) with the tone options, and the report records what each photo got', async () => {
    const requests: RestoreRequest[] = [];
    const tone: AppliedTone = { strength: 100, colour: 'keep', contrast: 80, grain: 0, sharpen: 10, look: 'sepia', overridden: ['sharpen'], black: [0.1, 0.1, 0.1], white: [0.9, 0.9, 0.9] };
    const toning: Restorer = {
      run: (request) => {
        requests.push(request);
        const stats = { width: 8, height: 8, maskedPixels: 0, crops: 0, networkPixels: 0, strategies: { whole: 0, tile: 0, downscale: 0 }, inpaintMs: 0, totalMs: 1, tone };
        return { jobId: 'j', cancel: () => {}, result: Promise.resolve<RestoreResult>({ jobId: 'j', status: 'restored', stats }) };
      },
    };
    const { caller, folder } = setup([], toning);
    const { call } = caller('w1');
    const dir = await tempDir();
    await mkdir(path.join(dir, 'in'));
    await syntheticImage(40, 30, 3, 8).png().toFile(path.join(dir, 'in', 'a.png'));
    const args = { input: { folder: folder(path.join(dir, 'in')) }, masks: { none: true }, output: { folder: folder(path.join(dir, 'out')) } };
    // No mask and no tone would be nothing to do.
    expect(await call('batch:start', args)).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT', details: { issues: [{ path: 'masks' }] } } });
    expect(await call('batch:start', { ...args, options: { tone: { sharpen: 101 } } })).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT' } });

    const reply = await call('batch:start', { ...args, options: { tone: { sharpen: 10 } } });
    expect(reply.ok).toBe(true);
    const report = path.join(dir, 'out', 'patina-report.json');
    await expect.poll(async () => (await readFile(report, 'utf8').catch(() => '')).includes('"restored"')).toBe(true);
    expect(requests).toHaveLength(1);
    expect(requests[0]).toMatchObject({ mask: { kind: 'none' }, options: { tone: { sharpen: 10 } } });
    const saved = JSON.parse(await readFile(report, 'utf8')) as { restored: { tone?: AppliedTone }[] };
    expect(saved.restored[0]?.tone).toEqual(tone);
  });
});
