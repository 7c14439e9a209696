/**
 * Runs one batch the way `patina run --image <dir>` does (batch queue, engine,
 * worker thread) in its own process, so the parent can report this process's
 * peak resident memory without its own buffers in it.
 * argv: <input dir> <mask dir | auto> <output dir> <device> <quality mode> [jobs in flight];
 * prints one JSON line. `auto` detects the damage (--auto-mask); jobs in flight
 * defaults to the queue's own (two: one photo's detection, decode or encode
 * beside another's inference).
 */
import { DEFAULT_QUALITY_MODE, QUALITY_MODES, type QualityMode } from '../src/shared/ipc/restore';
import { defaultModelsDir } from '../src/main/inference/models-dir';
import { isDeviceSetting } from '../src/main/inference/providers';
import { BatchSession } from '../src/main/batch/session';
import { RestoreEngine } from '../src/main/restore/engine';
import type { Restorer } from '../src/main/batch/runner';

const [input, masks, output, device = 'auto', mode = DEFAULT_QUALITY_MODE, inFlight] = process.argv.slice(2);
const concurrency = inFlight === undefined ? undefined : Number(inFlight);
if (
  !input ||
  !masks ||
  !output ||
  !isDeviceSetting(device) ||
  !(QUALITY_MODES as readonly string[]).includes(mode) ||
  (concurrency !== undefined && !(Number.isInteger(concurrency) && concurrency >= 1))
) {
  process.stderr.write('usage: batch-child <input dir> <mask dir | auto> <output dir> [device] [fast|best] [jobs in flight]\n');
  process.exit(2);
}
const engine = new RestoreEngine({ modelsDir: defaultModelsDir(), device });
try {
  const status = await engine.status(true); // measure the queue, not the session creation
  if (status.error) throw new Error(status.error.message);
  let inpaintMs = 0;
  let crops = 0;
  const restorer: Restorer = {
    run(request, onProgress) {
      const handle = engine.run(request, onProgress);
      void handle.result.then(
        (r) => {
          if (r.status === 'restored') {
            inpaintMs += r.stats.inpaintMs;
            crops += r.stats.crops;
          }
        },
        () => {},
      );
      return handle;
    },
  };
  const session = await BatchSession.open(
    {
      input: { kind: 'folder', dir: input, recursive: false },
      masks: masks === 'auto' ? { kind: 'auto' } : { kind: 'folder', dir: masks },
      output: { dir: output, template: '{stem}.{ext}', format: 'same', collision: 'overwrite' },
      options: { qualityMode: mode as QualityMode },
    },
    { restorer, ...(concurrency === undefined ? {} : { concurrency }) },
  );
  const started = performance.now();
  const state = await session.start();
  const ms = performance.now() - started;
  await session.close();
  const items = session.runner.items;
  process.stdout.write(
    `${JSON.stringify({
      state,
      ms: Math.round(ms),
      done: items.filter((i) => i.state === 'done').length,
      failed: items.filter((i) => i.state === 'failed').length,
      crops,
      inpaintMs: Math.round(inpaintMs),
      provider: status.provider,
      // resourceUsage().maxRSS is in kilobytes and covers every thread of this process.
      maxRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
    })}\n`,
  );
} finally {
  await engine.close();
}
