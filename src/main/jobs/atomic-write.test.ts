import type * as FsPromises from 'node:fs/promises';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { tempDir } from '../restore/testing/fixtures';
import { writeAtomically } from './atomic-write';

/** Every fsync and rename/link, in order, with the path it concerned (the real calls still run). */
const calls = vi.hoisted(() => [] as string[]);

vi.mock('node:fs/promises', async (importOriginal) => {
  const fs = await importOriginal<typeof FsPromises>();
  return {
    ...fs,
    open: async (...args: Parameters<typeof fs.open>) => {
      const fh = await fs.open(...args);
      const sync = fh.sync.bind(fh);
      fh.sync = async () => {
        calls.push(`sync ${path.basename(String(args[0]))}`);
        return sync();
      };
      return fh;
    },
    rename: async (a: string, b: string) => {
      calls.push(`rename -> ${path.basename(b)}`);
      return fs.rename(a, b);
    },
    link: async (a: string, b: string) => {
      calls.push(`link -> ${path.basename(b)}`);
      return fs.link(a, b);
    },
  };
});

describe('writeAtomically durability', () => {
  it.each(['overwrite', 'fail'] as const)('flushes the file before it is moved into place and the folder after (%s)', async (ifExists) => {
    const dir = await tempDir('patina-durable-');
    const dest = path.join(dir, 'photo.png');
    calls.length = 0;
    await writeAtomically(dest, ifExists, (tmp) => writeFile(tmp, 'whole'));
    expect(await readFile(dest, 'utf8')).toBe('whole');
    expect(calls).toHaveLength(3);
    expect(calls[0]).toMatch(/^sync \.photo\.png\.[0-9a-f]{12}\.patina-tmp$/);
    expect(calls[1]).toBe(ifExists === 'overwrite' ? 'rename -> photo.png' : 'link -> photo.png');
    expect(calls[2]).toBe(`sync ${path.basename(dir)}`);
  });
});
