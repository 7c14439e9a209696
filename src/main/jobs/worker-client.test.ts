import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { EngineError } from '../errors/engine-error';
import { tempDir } from '../restore/testing/fixtures';
import { findWorkerScript, WorkerClient } from './worker-client';

// A real worker thread speaking the job protocol by hand: doubles numbers,
// reports progress, waits for a cancel on 'wait', and dies on 'crash'.
const WORKER = `
import { parentPort } from 'node:worker_threads';
const waiting = new Map();
parentPort.postMessage({ type: 'ready' });
parentPort.on('message', (m) => {
  if (m.type === 'cancel') {
    if (waiting.has(m.jobId)) parentPort.postMessage({ type: 'failed', jobId: m.jobId, error: { code: 'CANCELLED', message: 'Cancelled' } });
    waiting.delete(m.jobId);
    return;
  }
  if (m.type === 'ping') return parentPort.postMessage({ type: 'pong', n: m.n });
  if (m.request.op === 'crash') process.exit(3);
  if (m.request.op === 'wait') return waiting.set(m.jobId, true);
  parentPort.postMessage({ type: 'progress', event: { jobId: m.jobId, stage: 'inpaint', done: 1, total: 1, etaMs: 0 } });
  parentPort.postMessage({ type: 'done', jobId: m.jobId, result: m.request.n * 2 });
});
`;

interface Req {
  readonly op: 'double' | 'wait' | 'crash';
  readonly n?: number;
}

const clients: WorkerClient<Req, number>[] = [];
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
});

async function client(other?: (m: { readonly type: string }) => void): Promise<WorkerClient<Req, number>> {
  const dir = await tempDir();
  const file = path.join(dir, 'test-worker.mjs');
  await writeFile(file, WORKER);
  const c = new WorkerClient<Req, number>({ name: 'Test', workerPath: () => file, workerData: null, onOtherMessage: other });
  clients.push(c);
  return c;
}

describe('WorkerClient', () => {
  it('runs jobs in a real worker thread, relays progress and answers extra messages', async () => {
    const pongs: unknown[] = [];
    const c = await client((m) => pongs.push(m));
    const progress: string[] = [];
    const handle = c.start(undefined, { op: 'double', n: 21 }, (e) => progress.push(`${e.jobId}:${e.stage}`));
    expect(await handle.result).toBe(42);
    expect(progress).toEqual([`${handle.jobId}:inpaint`]);
    c.send({ type: 'ping', n: 7 } as { type: string }, true);
    await expect.poll(() => pongs).toEqual([{ type: 'pong', n: 7 }]);
    c.release();
  });

  it('rejects a cancelled job with CANCELLED and refuses duplicate or malformed job ids', async () => {
    const c = await client();
    const waiting = c.start('job-1', { op: 'wait' });
    expect(() => c.start('job-1', { op: 'double', n: 1 })).toThrow(/already running/);
    expect(() => c.start('../etc', { op: 'double', n: 1 })).toThrow(/Invalid job id/);
    expect(c.cancel('job-1')).toBe(true);
    await expect(waiting.result).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(c.cancel('job-1')).toBe(false);
  });

  it('fails every job in flight when the worker dies, then starts a fresh worker for the next job', async () => {
    const c = await client();
    const waiting = c.start(undefined, { op: 'wait' });
    const crashing = c.start(undefined, { op: 'crash' });
    await expect(crashing.result).rejects.toThrow(/Test worker exited with code 3/);
    await expect(waiting.result).rejects.toBeInstanceOf(EngineError);
    expect(await c.start(undefined, { op: 'double', n: 5 }).result).toBe(10);
  });

  it('rejects jobs in flight on close and refuses new ones after', async () => {
    const c = await client();
    const waiting = c.start(undefined, { op: 'wait' });
    await c.close();
    await expect(waiting.result).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(() => c.start(undefined, { op: 'double', n: 1 })).toThrow(/shut down/);
  });
});

describe('WorkerClient start-up', () => {
  it('waits for a worker that is still loading (a native addon may be) before terminating it on close', async () => {
    // A worker whose imports take 400 ms: it says ready only after them, as hostJobs does.
    const dir = await tempDir();
    const file = path.join(dir, 'slow-worker.mjs');
    const marker = path.join(dir, 'loaded');
    await writeFile(
      file,
      `import { parentPort } from 'node:worker_threads';
import { writeFileSync } from 'node:fs';
Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 400);
writeFileSync(${JSON.stringify(marker)}, 'yes');
parentPort.postMessage({ type: 'ready' });
parentPort.on('message', () => {});
`,
    );
    const c = new WorkerClient<Req, number>({ name: 'Slow', workerPath: () => file, workerData: null });
    c.open();
    await c.close();
    // Terminated only once its start-up had finished, not in the middle of it.
    expect(await readFile(marker, 'utf8')).toBe('yes');
  });
});

describe('findWorkerScript', () => {
  it('names the places it looked and the build command when the script is missing', async () => {
    const dir = await tempDir();
    expect(() => findWorkerScript('nope-worker.js', 'PATINA_TEST_UNSET_WORKER', dir)).toThrow(/nope-worker\.js not found .*npm run build/);
  });
});
