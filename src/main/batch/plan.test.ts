import { mkdir, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../restore/testing/fixtures';
import { expandTemplate, freeOutputName } from './naming';
import { maskInputFor } from './item-request';
import { BatchSetupError, NOT_A_PHOTO, planBatch } from './plan';
import type { BatchSpec } from './types';

/** Planning reads folder listings only, so placeholder bytes stand in for photos. */
async function touch(root: string, ...files: string[]): Promise<void> {
  for (const f of files) {
    await mkdir(path.dirname(path.join(root, f)), { recursive: true });
    await writeFile(path.join(root, f), 'x');
  }
}

function spec(input: string, output: string, overrides: Partial<BatchSpec> = {}): BatchSpec {
  return {
    input: { kind: 'folder', dir: input, recursive: true },
    masks: { kind: 'auto' },
    output: { dir: output, template: '{stem}.{ext}', format: 'same', collision: 'skip' },
    options: {},
    ...overrides,
  };
}

describe('planBatch', () => {
  it('carries automatic-mask settings from the spec through the plan to each engine request', async () => {
    const root = await tempDir();
    await touch(root, 'in/a.jpg');
    const detect = { sensitivity: 0.8, method: 'classical' as const };
    const plan = await planBatch(spec(path.join(root, 'in'), path.join(root, 'out'), { masks: { kind: 'auto', detect } }));
    expect(plan.items[0]!.mask).toEqual({ kind: 'auto', detect });
    const noSidecars = { maskFor: () => Promise.reject(new Error('not used')) };
    expect(await maskInputFor(plan.items[0]!, noSidecars as never)).toEqual({ kind: 'auto', detect });
    const plain = await planBatch(spec(path.join(root, 'in'), path.join(root, 'out2')));
    expect(await maskInputFor(plain.items[0]!, noSidecars as never)).toEqual({ kind: 'auto' });
  });

  it('walks sub-folders in natural order, mirrors them in the output, and reports non-photos', async () => {
    const root = await tempDir();
    const input = path.join(root, 'scans');
    const out = path.join(root, 'restored');
    await touch(input, 'scan_10.jpg', 'scan_2.JPG', 'Thumbs.db', '.DS_Store', 'notes.txt', 'scan_2_mask.png', '1962/beach.tif', '1962/deep/x.webp');
    const plan = await planBatch(spec(input, out));
    const view = plan.items.map((i) => [i.rel, i.state, i.output && path.relative(out, i.output)]);
    expect(view).toEqual([
      ['scan_2.JPG', 'queued', 'scan_2.JPG'],
      ['scan_10.jpg', 'queued', 'scan_10.jpg'],
      ['1962/beach.tif', 'queued', '1962/beach.tif'],
      ['1962/deep/x.webp', 'queued', '1962/deep/x.webp'],
      ['.DS_Store', 'skipped', null],
      ['notes.txt', 'skipped', null],
      ['Thumbs.db', 'skipped', null],
    ]);
    expect(plan.items.filter((i) => i.state === 'skipped').every((i) => i.reason === NOT_A_PHOTO)).toBe(true);
    expect(plan.items.map((i) => i.id)).toEqual([0, 1, 2, 3, 4, 5, 6]);

    // Not walked, so a sub-folder of the input can take the outputs of a flat run.
    const inside = path.join(input, 'restored');
    await touch(inside, 'old.jpg');
    const flat = await planBatch(spec(input, inside, { input: { kind: 'folder', dir: input, recursive: false } }));
    expect(flat.items.filter((i) => i.state === 'queued').map((i) => i.rel)).toEqual(['scan_2.JPG', 'scan_10.jpg']);
  });

  it('pairs a mask folder by stem (sub-folder first), fails photos without a mask and lists unused masks', async () => {
    const root = await tempDir();
    const input = path.join(root, 'in');
    const masks = path.join(root, 'masks');
    await touch(input, 'a.jpg', 'b.jpg', 'c.jpg', 'sub/a.jpg');
    await touch(masks, 'a_mask.png', 'a.png', 'b.png', 'zzz.png', 'sub/a.png');
    const plan = await planBatch(spec(input, path.join(root, 'out'), { masks: { kind: 'folder', dir: masks } }));
    const byRel = Object.fromEntries(plan.items.map((i) => [i.rel, i]));
    expect(byRel['a.jpg']!.mask).toEqual({ kind: 'file', path: path.join(masks, 'a_mask.png') });
    expect(byRel['b.jpg']!.mask).toEqual({ kind: 'file', path: path.join(masks, 'b.png') });
    expect(byRel['sub/a.jpg']!.mask).toEqual({ kind: 'file', path: path.join(masks, 'sub', 'a.png') });
    expect(byRel['c.jpg']).toMatchObject({ state: 'failed', error: { code: 'MASK_UNREADABLE', message: expect.stringMatching(/No mask for c\.jpg/) } });
    expect(plan.unusedMasks).toEqual([path.join(masks, 'a.png'), path.join(masks, 'zzz.png')]);
  });

  it('applies the template and format, and fails the second photo aimed at the same output', async () => {
    const root = await tempDir();
    const input = path.join(root, 'in');
    await touch(input, 'p.jpg', 'p.png', 'q.tif');
    const out = path.join(root, 'out');
    const plan = await planBatch(spec(input, out, { output: { dir: out, template: '{index}-{stem}_restored.{ext}', format: 'jpeg', collision: 'overwrite' } }));
    expect(plan.items.map((i) => path.basename(i.output!))).toEqual(['1-p_restored.jpg', '2-p_restored.jpg', '3-q_restored.jpg']);

    const clash = await planBatch(spec(input, out, { output: { dir: out, template: '{stem}.{ext}', format: 'png', collision: 'overwrite' } }));
    expect(clash.items.map((i) => [i.rel, i.state, i.error?.code ?? null])).toEqual([
      ['p.jpg', 'queued', null],
      ['p.png', 'failed', 'OUTPUT_CLASH'],
      ['q.tif', 'queued', null],
    ]);
    // 'rename' resolves clashes at run time instead.
    const renamed = await planBatch(spec(input, out, { output: { dir: out, template: '{stem}.{ext}', format: 'png', collision: 'rename' } }));
    expect(renamed.items.every((i) => i.state === 'queued')).toBe(true);
  });

  it('never plans to write over a photo of the batch', async () => {
    const root = await tempDir();
    await touch(root, 'a/x.png', 'b/x.png');
    const files = [path.join(root, 'a', 'x.png'), path.join(root, 'b', 'x.png')];
    const plan = await planBatch(spec(root, path.join(root, 'a'), { input: { kind: 'files', paths: files } }));
    expect(plan.items.map((i) => i.error?.code ?? i.state)).toEqual(['OUTPUT_IS_INPUT', 'OUTPUT_IS_INPUT']);
  });

  it('refuses what cannot start, writing nothing', async () => {
    const root = await tempDir();
    await touch(root, 'in/a.jpg', 'empty/readme.txt', 'mask.png');
    const input = path.join(root, 'in');
    await expect(planBatch(spec(path.join(root, 'nope'), path.join(root, 'out')))).rejects.toThrow(/does not exist/);
    await expect(planBatch(spec(input, input))).rejects.toThrow(/is a folder the photos or masks are read from/);
    await expect(planBatch(spec(path.join(root, 'empty'), path.join(root, 'out')))).rejects.toThrow(/No JPEG, PNG, WebP or TIFF files/);
    await expect(planBatch(spec(input, path.join(root, 'out'), { masks: { kind: 'folder', dir: path.join(root, 'mask.png') } }))).rejects.toThrow(
      BatchSetupError,
    );
  });
});

describe('planBatch and the write rule (links followed)', () => {
  it('refuses an output folder inside a recursively read input, also when reached through a link', async () => {
    const root = await tempDir();
    const input = path.join(root, 'in');
    await touch(input, 'a.jpg', 'sub/a.jpg', 'sub/b.jpg');
    await symlink(input, path.join(root, 'link-to-in'));
    for (const out of [path.join(input, 'sub'), path.join(root, 'link-to-in', 'sub'), path.join(root, 'link-to-in', 'new')]) {
      await expect(planBatch(spec(input, out))).rejects.toThrow(/is inside a folder the photos or masks are read from/);
    }
    // --image given through the link, output inside it: each rerun would restore its own outputs.
    await expect(planBatch(spec(path.join(root, 'link-to-in'), path.join(input, 'restored')))).rejects.toThrow(/inside a folder the photos/);
  });

  it('fails an item whose output resolves onto a photo through a linked output folder', async () => {
    const root = await tempDir();
    await touch(root, 'a/x.png', 'b/x.png');
    await symlink(path.join(root, 'a'), path.join(root, 'out-link'));
    const files = [path.join(root, 'a', 'x.png'), path.join(root, 'b', 'x.png')];
    const plan = await planBatch(spec(root, path.join(root, 'out-link'), { input: { kind: 'files', paths: files }, output: { dir: path.join(root, 'out-link'), template: '{stem}.{ext}', format: 'same', collision: 'overwrite' } }));
    expect(plan.items[0]!.error).toMatchObject({ code: 'OUTPUT_IS_INPUT', message: expect.stringMatching(/would replace the original .*a\/x\.png/) });
  });
});

describe('naming', () => {
  it('expands placeholders and finds a free name for the rename policy', async () => {
    expect(expandTemplate('{stem}-{index}.{ext}', { stem: 'scan', ext: 'tif', index: 7 })).toBe('scan-7.tif');
    const dir = await tempDir();
    await touch(dir, 'photo.jpg', 'photo (1).jpg');
    const taken = new Set([path.join(dir, 'photo (2).jpg')]);
    expect(await freeOutputName(path.join(dir, 'photo.jpg'), taken)).toBe(path.join(dir, 'photo (3).jpg'));
    expect(await freeOutputName(path.join(dir, 'new.jpg'), taken)).toBe(path.join(dir, 'new.jpg'));
  });
});
