import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultModelsDir } from '../inference/models-dir';
import { createRouter } from '../ipc/router';
import { withUnusedHandlers } from '../ipc/unused-handlers';
import { RestoreEngine } from './engine';
import { mapEngineError } from '../ipc/engine-errors';
import { GrantTable } from '../access/grants';
import { createRestoreHandlers } from './handlers';
import { ResultStore } from '../jobs/result-store';
import { buildEngineForTests, runBuiltCli, type BuiltEngine } from './testing/build-engine';
import { damagedPhoto, DAMAGE_FILLS } from './testing/damage';
import { syntheticPixels, tempDir } from './testing/fixtures';

/*
 * The mask invariant (mask-invariance.test.ts) through the paths a user's
 * photo takes: the editor's restore:run (IPC handler -> worker thread), the
 * CLI on one photo, the CLI on a folder (the batch queue), and --auto-mask.
 */

let built: BuiltEngine;
let root: string;
const W = 420;
const H = 300;
const layout = { width: W, height: H, channels: 3, bits: 8 } as const;
const truth = syntheticPixels(W, H, 3, 8);

/** Two thin scratches and a dust speck, 1 = damage. */
function scratchMask(): Uint8Array {
  const m = new Uint8Array(W * H);
  for (let x = 20; x < 400; x++) {
    const y = 80 + Math.round(x * 0.3);
    for (let t = -1; t <= 1; t++) m[(y + t) * W + x] = 1;
  }
  for (let y = 30; y < 270; y++) for (let t = 0; t < 2; t++) m[y * W + 300 + Math.round(y * 0.1) + t] = 1;
  for (let y = 40; y < 46; y++) m.fill(1, y * W + 60, y * W + 66);
  return m;
}
const mask = scratchMask();

const patina = (args: string[]) => runBuiltCli(built.cli, args, root);

beforeAll(async () => {
  built = await buildEngineForTests();
  root = await tempDir('patina-invariance-product-');
  await mkdir(path.join(root, 'folder'));
  await sharp(Uint8Array.from(mask, (v) => v * 255), { raw: { width: W, height: H, channels: 1 } })
    .png()
    .toFile(path.join(root, 'mask.png'));
  for (const fill of DAMAGE_FILLS) {
    await damagedPhoto(truth, mask, layout, fill).png().toFile(path.join(root, `${fill}.png`));
    await damagedPhoto(truth, mask, layout, fill).png().toFile(path.join(root, 'folder', `${fill}.png`));
  }
}, 60_000);
afterAll(() => built?.dispose());

async function expectAllIdentical(files: readonly string[]): Promise<void> {
  const [first, ...rest] = await Promise.all(files.map((f) => readFile(f)));
  for (const [i, bytes] of rest.entries()) expect(Buffer.compare(bytes, first!), `${files[i + 1]} vs ${files[0]}`).toBe(0);
}

describe('the mask invariant through the product paths', () => {
  it('the editor restore (IPC handler and worker thread) ignores what is under the mask', async () => {
    const engine = new RestoreEngine({ modelsDir: defaultModelsDir(), device: 'cpu', workerPath: built.worker });
    try {
      const results = new ResultStore();
      const grants = new GrantTable();
      const router = createRouter(withUnusedHandlers([createRestoreHandlers({ engine, results, resultUrl: (h) => `patina://result/${h}`, grants })]), {
        mapError: mapEngineError,
      });
      const png = new Uint8Array(await readFile(path.join(root, 'mask.png')));
      const outputs: Buffer[] = [];
      for (const fill of DAMAGE_FILLS) {
        const reply = await router.dispatch('restore:run', { image: { grant: grants.grant(path.join(root, `${fill}.png`), 'read').grant }, mask: { png } }, { callerId: 'w', emit: () => {} });
        if (!reply.ok) throw new Error(`${fill}: ${reply.error.message}`);
        outputs.push(Buffer.from(results.get((reply.value as { handle: string }).handle)!.bytes));
      }
      for (const out of outputs.slice(1)) expect(Buffer.compare(out, outputs[0]!)).toBe(0);
    } finally {
      await engine.close();
    }
  });

  it('patina run on one photo and on a folder (the batch queue) ignores what is under the mask', async () => {
    for (const fill of DAMAGE_FILLS) {
      const r = await patina(['run', '--image', `${fill}.png`, '--mask', 'mask.png', '--output', `single-${fill}`]);
      expect(r.code, r.stderr).toBe(0);
    }
    await expectAllIdentical(DAMAGE_FILLS.map((f) => path.join(root, `single-${f}`, `${f}.png`)));

    const r = await patina(['run', '--image', 'folder', '--mask', 'mask.png', '--output', 'batch']);
    expect(r.code, r.stderr).toBe(0);
    const batch = DAMAGE_FILLS.map((f) => path.join(root, 'batch', `${f}.png`));
    await expectAllIdentical([...batch, path.join(root, 'single-truth', 'truth.png')]);
  }, 120_000);

  it('--auto-mask fills the mask it detected exactly as an explicit mask would, whatever lies under it', async () => {
    // White scratches as the detector should see them; its mask then decides the rest.
    const detect = await patina(['detect', '--image', 'white.png', '--output', 'detected']);
    expect(detect.code, detect.stderr).toBe(0);
    const detectedPng = path.join(root, 'detected', 'white.png');
    const { data } = await sharp(detectedPng).extractChannel(0).raw().toBuffer({ resolveWithObject: true });
    const detected = Uint8Array.from(data, (v) => (v > 127 ? 1 : 0));
    const marked = detected.reduce((a, b) => a + b, 0);
    expect(marked).toBeGreaterThan(0);

    const auto = await patina(['run', '--image', 'white.png', '--auto-mask', '--output', 'auto']);
    expect(auto.code, auto.stderr).toBe(0);
    const outputs = [path.join(root, 'auto', 'white.png')];
    for (const fill of ['black', 'noise'] as const) {
      const input = path.join(root, `auto-${fill}.png`);
      // The white photo with everything the detector marked replaced by other damage.
      const white = await sharp(path.join(root, 'white.png')).raw().toBuffer();
      await damagedPhoto(new Uint8Array(white), detected, layout, fill).png().toFile(input);
      const r = await patina(['run', '--image', input, '--mask', detectedPng, '--output', `explicit-${fill}`]);
      expect(r.code, r.stderr).toBe(0);
      outputs.push(path.join(root, `explicit-${fill}`, `auto-${fill}.png`));
    }
    await expectAllIdentical(outputs);
  }, 120_000);
});
