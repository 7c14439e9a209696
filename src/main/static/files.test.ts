import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readStaticFile, resolveStaticPath } from './files';

let root: string;
beforeAll(async () => {
  const base = await mkdtemp(path.join(tmpdir(), 'patina-static-'));
  root = path.join(base, 'renderer');
  await mkdir(path.join(root, 'assets'), { recursive: true });
  await writeFile(path.join(root, 'assets', 'app.js'), 'console.log(1)');
  await writeFile(path.join(root, 'assets', 'font.woff2'), Buffer.from([0x77, 0x4f, 0x46, 0x32]));
  await writeFile(path.join(base, 'secret.txt'), 'outside');
});
afterAll(async () => {
  await rm(path.dirname(root), { recursive: true, force: true });
});

describe('resolveStaticPath', () => {
  it('maps a URL path inside the root', () => {
    expect(resolveStaticPath(root, '/assets/app.js')).toBe(path.join(root, 'assets', 'app.js'));
    expect(resolveStaticPath(root, '/assets/my%20file.js')).toBe(path.join(root, 'assets', 'my file.js'));
  });

  it.each(['/../secret.txt', '/assets/../../secret.txt', '/%2e%2e/secret.txt', '/..%2Fsecret.txt', '/a%00b', '/%E0%A4%A', '/'])(
    'refuses %s',
    (pathname) => {
      expect(resolveStaticPath(root, pathname)).toBeNull();
    },
  );
});

describe('readStaticFile', () => {
  it('reads a file with its content type', async () => {
    const js = await readStaticFile(root, '/assets/app.js');
    expect(js?.body.toString()).toBe('console.log(1)');
    expect(js?.contentType).toBe('text/javascript; charset=utf-8');
    expect((await readStaticFile(root, '/assets/font.woff2'))?.contentType).toBe('font/woff2');
  });

  it('returns null for missing files, folders and escapes', async () => {
    await expect(readStaticFile(root, '/assets/missing.js')).resolves.toBeNull();
    await expect(readStaticFile(root, '/assets')).resolves.toBeNull();
    await expect(readStaticFile(root, '/../secret.txt')).resolves.toBeNull();
  });
});
