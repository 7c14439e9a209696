import { link, mkdir, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../restore/testing/fixtures';
import { resolveLinks, WriteGuard } from './write-guard';

describe('WriteGuard', () => {
  it('refuses a write onto an input however it is reached: same path, symlink, linked folder, hard link', async () => {
    const root = await tempDir('patina-guard-');
    const photo = path.join(root, 'in', 'photo.jpg');
    await mkdir(path.dirname(photo));
    await writeFile(photo, 'original');
    await symlink(photo, path.join(root, 'link.jpg'));
    await symlink(path.join(root, 'in'), path.join(root, 'in-link'));
    await link(photo, path.join(root, 'hard.jpg'));
    const guard = await WriteGuard.of({ files: [photo] });
    for (const target of [photo, path.join(root, 'link.jpg'), path.join(root, 'in-link', 'photo.jpg'), path.join(root, 'hard.jpg'), path.join(root, 'in', '..', 'in', 'photo.jpg')]) {
      expect(await guard.refusal(target)).toMatch(/would replace the original .*photo\.jpg.*originals are never replaced/);
    }
    expect(await guard.refusal(path.join(root, 'in', 'other.jpg'))).toBeNull();
    await expect(guard.check(path.join(root, 'link.jpg'))).rejects.toMatchObject({ code: 'OUTPUT_IS_INPUT' });
  });

  it('refuses writes among the files of a folder being read (below it too when recursive), not beside it', async () => {
    const root = await tempDir('patina-guard-');
    await mkdir(path.join(root, 'in', 'sub'), { recursive: true });
    await symlink(path.join(root, 'in'), path.join(root, 'in-link'));
    const flat = await WriteGuard.of({ files: [], folders: [{ dir: path.join(root, 'in-link'), recursive: false }] });
    expect(await flat.refusal(path.join(root, 'in', 'new.png'))).toMatch(/among the photos and masks being read/);
    expect(await flat.refusal(path.join(root, 'in', 'sub', 'new.png'))).toBeNull();
    expect(await flat.folderRefusal(path.join(root, 'in-link', 'sub'))).toBeNull();
    expect(await flat.folderRefusal(path.join(root, 'in'))).toMatch(/is a folder the photos or masks are read from/);
    const deep = await WriteGuard.of({ files: [], folders: [{ dir: path.join(root, 'in'), recursive: true }] });
    expect(await deep.refusal(path.join(root, 'in-link', 'sub', 'not-yet', 'new.png'))).toMatch(/among the photos/);
    expect(await deep.folderRefusal(path.join(root, 'in-link', 'sub'))).toMatch(/inside a folder the photos or masks are read from/);
    expect(await deep.refusal(path.join(root, 'out', 'new.png'))).toBeNull();
  });

  it('allows exactly the file the person asked to replace', async () => {
    const root = await tempDir('patina-guard-');
    const photo = path.join(root, 'photo.png');
    await writeFile(photo, 'original');
    const guard = await WriteGuard.of({ files: [photo], folders: [{ dir: root, recursive: false }], replaceable: [photo] });
    expect(await guard.refusal(photo)).toBeNull();
    expect(await guard.refusal(path.join(root, 'other.png'))).not.toBeNull();
  });

  it('resolves links of a path that does not exist yet through its deepest existing folder', async () => {
    const root = await tempDir('patina-guard-');
    await mkdir(path.join(root, 'real'));
    await symlink(path.join(root, 'real'), path.join(root, 'alias'));
    expect(await resolveLinks(path.join(root, 'alias', 'a', 'b.png'))).toBe(path.join(await resolveLinks(root), 'real', 'a', 'b.png'));
  });
});
