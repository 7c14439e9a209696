import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pairPhoto } from './pairing';

describe('pairPhoto (a single photo; folders go through the batch queue)', () => {
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'patina-pairing-'));
    await mkdir(path.join(root, 'masks'));
    // Only names matter here: pairing never decodes the files.
    for (const f of ['alpha.jpg', 'masks/alpha.png', 'masks/alpha_mask.png', 'masks/beta.png']) await writeFile(path.join(root, f), 'x');
  });
  afterAll(() => rm(root, { recursive: true, force: true }));

  it('prefers <stem>_mask in a mask folder and keeps the photo extension for the output', async () => {
    const item = await pairPhoto({ image: path.join(root, 'alpha.jpg'), mask: path.join(root, 'masks'), output: path.join(root, 'out'), autoMask: false });
    expect(item).toEqual({ image: path.join(root, 'alpha.jpg'), mask: path.join(root, 'masks', 'alpha_mask.png'), output: path.join(root, 'out', 'alpha.jpg') });
  });

  it('reports a missing mask as a problem of the item, not a usage error', async () => {
    await writeFile(path.join(root, 'gamma.png'), 'x');
    const item = await pairPhoto({ image: path.join(root, 'gamma.png'), mask: path.join(root, 'masks'), output: root, autoMask: false });
    expect(item.mask).toBeNull();
    expect(item.problem).toMatch(/No mask for gamma\.png .*looked for gamma_mask\.\* and gamma\.\*/);
  });

  it('uses a mask file as given, and no mask with --auto-mask', async () => {
    const image = path.join(root, 'alpha.jpg');
    expect((await pairPhoto({ image, mask: path.join(root, 'masks', 'beta.png'), output: root, autoMask: false })).mask).toBe(path.join(root, 'masks', 'beta.png'));
    expect(await pairPhoto({ image, mask: null, output: root, autoMask: true })).toEqual({ image, mask: null, output: path.join(root, 'alpha.jpg') });
  });

  it('refuses a missing photo or mask with the flag named', async () => {
    await expect(pairPhoto({ image: path.join(root, 'nope.jpg'), mask: null, output: root, autoMask: true })).rejects.toThrow(/--image .* does not exist/);
    await expect(pairPhoto({ image: path.join(root, 'alpha.jpg'), mask: path.join(root, 'nope'), output: root, autoMask: false })).rejects.toThrow(/--mask .* does not exist/);
  });
});
