import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { BatchProgress } from '@shared/ipc/batch';
import type { RunHandle } from '../restore/engine';
import { cancelledError, EngineError } from '../errors/engine-error';
import type { RestoreRequest, RestoreResult } from '../restore/types';
import { tempDir } from '../restore/testing/fixtures';
import { ActiveClock } from './eta';
import { BatchRunner, type Restorer } from './runner';
import type { BatchItem, BatchSpec, Collision } from './types';

/**
 * The scheduler's own logic (order, concurrency, pause, cancel, retry) with
 * a restorer the test answers by hand, so every interleaving is exact. The
 * real engine runs under this same runner in batch.integration.test.ts.
 */
class ScriptedRestorer implements Restorer {
  readonly calls: { request: RestoreRequest; finish: (r: 'done' | 'skipped' | Error) => void; cancelled: boolean }[] = [];

  run(request: RestoreRequest): RunHandle {
    let finish!: (r: 'done' | 'skipped' | Error) => void;
    const call = { request, finish: (r: 'done' | 'skipped' | Error) => finish(r), cancelled: false };
    const result = new Promise<RestoreResult>((resolve, reject) => {
      finish = (r) => {
        if (r instanceof Error) reject(r);
        else if (r === 'skipped') resolve({ jobId: 'j', status: 'skipped', outputPath: path.basename(request.imagePath), reason: 'exists' });
        else resolve({ jobId: 'j', status: 'restored', stats: { width: 1, height: 1, maskedPixels: 1, crops: 3, networkPixels: 4096, strategies: { whole: 1, tile: 0, downscale: 0 }, inpaintMs: 1, totalMs: 1 } });
      };
    });
    this.calls.push(call);
    return { jobId: 'j', result, cancel: () => ((call.cancelled = true), finish(cancelledError())) };
  }

  names(): string[] {
    return this.calls.map((c) => path.basename(c.request.imagePath));
  }
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 5));
async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 400 && !check(); i++) await tick();
  if (!check()) throw new Error('condition not reached');
}

async function setup(count: number, collision: Collision = 'skip') {
  const out = await tempDir();
  const items: BatchItem[] = Array.from({ length: count }, (_, id) => ({
    id,
    source: `/in/p${id}.jpg`,
    rel: `p${id}.jpg`,
    mask: { kind: 'auto' },
    output: path.join(out, `p${id}.jpg`),
    state: 'queued',
    reason: null,
    error: null,
    ms: null,
    crops: null,
    before: null,
    doneInRun: null,
  }));
  const spec: BatchSpec = {
    input: { kind: 'folder', dir: '/in', recursive: false },
    masks: { kind: 'auto' },
    output: { dir: out, template: '{stem}.{ext}', format: 'same', collision },
    options: {},
  };
  let now = 0;
  const clock = new ActiveClock(0, () => now);
  const restorer = new ScriptedRestorer();
  const saved: string[][] = [];
  const settled: string[] = [];
  const progress: BatchProgress[] = [];
  const runner = new BatchRunner({
    batchId: 'b1',
    spec,
    items,
    restorer,
    sidecars: { maskFor: async () => ({ kind: 'auto' }) },
    save: async () => {
      saved.push(items.map((i) => i.state));
    },
    settle: async (state) => {
      settled.push(state);
    },
    run: 1,
    clock,
    hooks: { progress: (p) => progress.push(p) },
  });
  return { out, items, restorer, runner, saved, settled, progress, clock, advance: (ms: number) => (now += ms) };
}

describe('BatchRunner', () => {
  it('works in order with two in flight; a failing photo fails alone', async () => {
    const t = await setup(5);
    const done = t.runner.start();
    await until(() => t.restorer.calls.length === 2);
    // Both jobs in flight prepare their outputs on disk at once, so either may reach the engine first.
    const call = (name: string) => t.restorer.calls[t.restorer.names().indexOf(name)]!;
    expect([...t.restorer.names()].sort()).toEqual(['p0.jpg', 'p1.jpg']);
    // The journal said "running" before the engine got the item.
    expect(t.saved.at(-1)!.slice(0, 2)).toEqual(['running', 'running']);

    call('p1.jpg').finish(new EngineError('IMAGE_UNREADABLE', 'Cannot read image p1.jpg: corrupt'));
    await until(() => t.restorer.calls.length === 3);
    expect(t.restorer.names()[2]).toBe('p2.jpg');
    for (const c of t.restorer.calls) c.finish('done');
    await until(() => t.restorer.calls.length === 5);
    // Automatic detection that finds no damage: the photo is clean, not failed.
    call('p3.jpg').finish(new EngineError('MASK_EMPTY', 'The mask marks no pixels to restore'));
    call('p4.jpg').finish('skipped');
    expect(await done).toBe('finished');
    expect(t.items.map((i) => i.state)).toEqual(['done', 'failed', 'done', 'skipped', 'skipped']);
    expect(t.items[3]!.reason).toMatch(/No damage found/);
    expect(t.items[1]!.error).toEqual({ code: 'IMAGE_UNREADABLE', message: 'Cannot read image p1.jpg: corrupt' });
    expect(t.items[0]).toMatchObject({ crops: 3, doneInRun: 1 });
    expect(t.settled).toEqual(['finished']);
    expect(t.progress.at(-1)).toMatchObject({ state: 'finished', etaMs: 0, counts: { total: 5, done: 2, failed: 1, skipped: 2, queued: 0, running: 0 } });
  });

  it('pauses after the items in flight, stops the clock, and resumes where it left off', async () => {
    const t = await setup(4);
    const done = t.runner.start();
    await until(() => t.restorer.calls.length === 2);
    t.advance(1000);
    t.restorer.calls[0]!.finish('done');
    await until(() => t.restorer.calls.length === 3);
    t.runner.pause();
    expect(t.runner.state).toBe('pausing');
    t.advance(500);
    t.restorer.calls[1]!.finish('done');
    t.restorer.calls[2]!.finish('done');
    await until(() => t.runner.state === 'paused');
    expect(t.restorer.calls).toHaveLength(3); // nothing new started
    const elapsed = t.runner.progress().elapsedMs;
    const eta = t.runner.progress().etaMs;
    expect(eta).not.toBeNull();
    t.advance(60 * 60_000); // an hour away from the computer
    expect(t.runner.progress()).toMatchObject({ state: 'paused', elapsedMs: elapsed, etaMs: eta });

    t.runner.resume();
    await until(() => t.restorer.calls.length === 4);
    t.restorer.calls[3]!.finish('done');
    expect(await done).toBe('finished');
    expect(t.runner.progress().elapsedMs).toBe(elapsed);
    expect(t.items.every((i) => i.state === 'done')).toBe(true);
  });

  it('cancel stops the jobs in flight and leaves the rest queued for a later run', async () => {
    const t = await setup(5);
    const done = t.runner.start();
    await until(() => t.restorer.calls.length === 2);
    // Either job in flight may reach the engine first (both prepare their outputs on disk at once).
    const first = t.restorer.names().indexOf('p0.jpg');
    t.restorer.calls[first]!.finish('done');
    await until(() => t.restorer.calls.length === 3);
    t.runner.cancel();
    expect(await done).toBe('cancelled');
    expect(t.restorer.calls.filter((_, i) => i !== first).every((c) => c.cancelled)).toBe(true);
    expect(t.items.map((i) => i.state)).toEqual(['done', 'queued', 'queued', 'queued', 'queued']);
    expect(t.settled).toEqual(['cancelled']);
    // The journal's last word matches.
    expect(t.saved.at(-1)).toEqual(['done', 'queued', 'queued', 'queued', 'queued']);
  });

  it('retries failed items, but not a photo that would overwrite another output', async () => {
    const t = await setup(3);
    t.items[2]!.state = 'failed';
    t.items[2]!.error = { code: 'OUTPUT_CLASH', message: 'clash' };
    const first = t.runner.start();
    await until(() => t.restorer.calls.length === 2);
    // Two jobs run at once and either may reach the restorer first: pick them by photo.
    const call = (name: string) => t.restorer.calls[t.restorer.names().indexOf(name)]!;
    call('p0.jpg').finish(new Error('disk full'));
    call('p1.jpg').finish('done');
    expect(await first).toBe('finished');
    expect(t.items.map((i) => i.state)).toEqual(['failed', 'done', 'failed']);
    expect(t.items[0]!.error!.code).toBe('INTERNAL');

    const again = t.runner.whenSettled();
    expect(t.runner.retryFailed()).toBe(1);
    await until(() => t.restorer.calls.length === 3);
    expect(t.restorer.names()[2]).toBe('p0.jpg');
    t.restorer.calls[2]!.finish('done');
    expect(await again).toBe('finished');
    expect(t.items.map((i) => i.state)).toEqual(['done', 'done', 'failed']);
    expect(t.settled).toEqual(['finished', 'finished']);
  });

  it("'rename' gives photos aimed at one name distinct free names", async () => {
    const t = await setup(3, 'rename');
    for (const it of t.items) it.output = path.join(t.out, 'same.jpg');
    await writeFile(path.join(t.out, 'same.jpg'), 'a file from before');
    const done = t.runner.start();
    await until(() => t.restorer.calls.length === 2);
    t.restorer.calls[0]!.finish('done');
    t.restorer.calls[1]!.finish('done');
    await until(() => t.restorer.calls.length === 3);
    t.restorer.calls[2]!.finish('done');
    await done;
    // Names are chosen in queue order; the engine may see the two jobs in flight in either order.
    expect(t.restorer.calls.map((c) => (c.request.output.kind === 'file' ? path.basename(c.request.output.path) : '')).sort()).toEqual([
      'same (1).jpg',
      'same (2).jpg',
      'same (3).jpg',
    ]);
    expect(t.restorer.calls.every((c) => c.request.output.kind === 'file' && c.request.output.ifExists === 'fail')).toBe(true);
  });
});
