import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../restore/testing/fixtures';
import { writeAtomically } from './atomic-write';
import { ProgressReporter, type ProgressEvent } from './progress';

describe('ProgressReporter', () => {
  it('throttles steps to one per interval but always sends stage starts and ends, with an ETA', () => {
    let t = 0;
    const events: ProgressEvent[] = [];
    const r = new ProgressReporter('j1', (e) => events.push(e), 100, () => t);
    r.begin('inpaint', 10);
    for (let i = 1; i <= 10; i++) {
      t += 30;
      r.step(i);
    }
    r.begin('encode', 1);
    r.step(1);
    expect(events.map((e) => `${e.stage}:${e.done}`)).toEqual(['inpaint:0', 'inpaint:4', 'inpaint:8', 'inpaint:10', 'encode:0', 'encode:1']);
    expect(events[0]!.etaMs).toBeNull();
    // 4 steps in 120 ms -> 6 left at 30 ms each.
    expect(events[1]!.etaMs).toBe(180);
    expect(events[3]!.etaMs).toBe(0);
    expect(events.every((e) => e.jobId === 'j1')).toBe(true);
  });
});

describe('writeAtomically', () => {
  it('moves a complete file into place and leaves no temporary file', async () => {
    const dir = await tempDir();
    const dest = path.join(dir, 'out.bin');
    await writeAtomically(dest, 'fail', (tmp) => writeFile(tmp, 'whole'));
    expect(await readFile(dest, 'utf8')).toBe('whole');
    expect(await readdir(dir)).toEqual(['out.bin']);
  });

  it('leaves nothing behind and keeps the old file when writing fails or is abandoned', async () => {
    const dir = await tempDir();
    const dest = path.join(dir, 'photo.jpg');
    await writeFile(dest, 'original');
    const failing = writeAtomically(dest, 'overwrite', async (tmp) => {
      await writeFile(tmp, 'half');
      throw new Error('disk full');
    });
    await expect(failing).rejects.toMatchObject({ code: 'OUTPUT_FAILED', message: expect.stringContaining('disk full') });
    const abandoned = writeAtomically(
      dest,
      'overwrite',
      (tmp) => writeFile(tmp, 'new'),
      () => {
        throw Object.assign(new Error('cancelled'), { code: 'CANCELLED' });
      },
    );
    await expect(abandoned).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(await readFile(dest, 'utf8')).toBe('original');
    expect(await readdir(dir)).toEqual(['photo.jpg']);
  });

  it('refuses to replace an existing file unless told to', async () => {
    const dir = await tempDir();
    const dest = path.join(dir, 'a.png');
    await writeFile(dest, 'keep');
    await expect(writeAtomically(dest, 'fail', (tmp) => writeFile(tmp, 'x'))).rejects.toMatchObject({ code: 'OUTPUT_EXISTS' });
    await writeAtomically(dest, 'overwrite', (tmp) => writeFile(tmp, 'new'));
    expect(await readFile(dest, 'utf8')).toBe('new');
    expect(await readdir(dir)).toEqual(['a.png']);
  });
});
