import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { grantIdSchema } from '@shared/ipc/grants';
import { IpcFailure } from '../ipc/router';
import { tempDir } from '../restore/testing/fixtures';
import { grantDroppedFile, GrantTable } from './grants';

let dir: string;
beforeAll(async () => {
  dir = await tempDir();
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function refusal(fn: () => unknown): IpcFailure {
  try {
    fn();
  } catch (err) {
    if (err instanceof IpcFailure) return err;
    throw err;
  }
  throw new Error('expected a refusal');
}

describe('GrantTable', () => {
  it('hands out opaque handles the contract accepts, one per path and use', () => {
    const grants = new GrantTable();
    const photo = grants.grant('/photos/a.jpg', 'read');
    expect(grantIdSchema.safeParse(photo.grant).success).toBe(true);
    expect(photo.grant).not.toContain('a.jpg');
    expect(photo.path).toBe('/photos/a.jpg');
    // The same choice again answers the same handle (repeated dialogs do not grow the table) ...
    expect(grants.grant('/photos/./a.jpg', 'read')).toEqual(photo);
    // ... another use of the same file is another handle.
    const asTarget = grants.grant('/photos/a.jpg', 'write');
    expect(asTarget.grant).not.toBe(photo.grant);
    expect(grants.grant('/photos/b.jpg', 'read').grant).not.toBe(photo.grant);
    expect(grants.size).toBe(3);
    expect(grants.use(photo.grant, 'read', { field: 'image' })).toBe('/photos/a.jpg');
    expect(grants.use(asTarget.grant, 'write', { field: 'output' })).toBe('/photos/a.jpg');
  });

  it('refuses a handle it never issued, and one used for what it was not granted for, in words', () => {
    const grants = new GrantTable();
    const photo = grants.grant('/photos/a.jpg', 'read');
    const folder = grants.grant('/photos', 'folder');
    const forged = refusal(() => grants.use('AAAAAAAAAAAAAAAAAAAAAAAA', 'read', { field: 'grant' }));
    expect(forged).toMatchObject({
      code: 'NOT_GRANTED',
      message: 'That file was not chosen in Patina, so Patina will not open it: open it with File ▸ Open or drop it on the window.',
      details: { field: 'grant', use: 'read' },
    });
    expect(refusal(() => grants.use(photo.grant, 'write', { field: 'output.grant' }))).toMatchObject({
      code: 'NOT_GRANTED',
      message: 'That file was not chosen in Patina, so Patina will not write to it: choose where to save in the Save dialog.',
    });
    expect(refusal(() => grants.use(photo.grant, 'folder', { field: 'output.folder' })).message).toBe(
      'That folder was not chosen in Patina, so Patina will not use it: choose it with Choose….',
    );
    expect(refusal(() => grants.use(folder.grant, 'read', { field: 'grant' })).code).toBe('NOT_GRANTED');
    // Another table (another app run or bridge session) knows nothing of these handles.
    expect(refusal(() => new GrantTable().use(photo.grant, 'read', { field: 'grant' })).code).toBe('NOT_GRANTED');
  });

  it('grants absolute paths only: main never resolves a path against its own working folder', () => {
    expect(() => new GrantTable().grant('photos/a.jpg', 'read')).toThrow(/absolute/);
  });
});

describe('grantDroppedFile', () => {
  it('grants an existing regular file for reading, and nothing else', async () => {
    const file = path.join(dir, 'dropped.png');
    await writeFile(file, 'bytes');
    await mkdir(path.join(dir, 'a-folder'));
    const grants = new GrantTable();
    const granted = await grantDroppedFile(grants, file);
    expect(granted?.path).toBe(file);
    expect(grants.use(granted!.grant, 'read', { field: 'grant' })).toBe(file);
    expect(() => grants.use(granted!.grant, 'write', { field: 'grant' })).toThrow(IpcFailure);
    for (const bad of [path.join(dir, 'a-folder'), path.join(dir, 'missing.png'), 'dropped.png', '', 42, null, { path: file }, 'x'.repeat(5000)]) {
      expect(await grantDroppedFile(grants, bad)).toBeNull();
    }
    expect(grants.size).toBe(1);
  });
});
