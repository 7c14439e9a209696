import { copyFile, mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { DocumentInfo } from '@shared/ipc/documents';
import type { ProjectOpenResult, ProjectState } from '@shared/ipc/project';
import { GrantTable } from '../access/grants';
import { mapEngineError } from '../ipc/engine-errors';
import type { CallContext } from '../ipc/handlers';
import { createRouter, type Router } from '../ipc/router';
import { withUnusedHandlers } from '../ipc/unused-handlers';
import { ResultStore } from '../jobs/result-store';
import { syntheticImage, tempDir } from '../restore/testing/fixtures';
import { createDocumentsCapability, type DocumentsCapability } from './capability';
import { projectRestoreMask } from './project-file';

/*
 * The documents capability through the real router (argument validation
 * included), on real image files written with sharp. Restore results are
 * planted in a ResultStore the way restore:run leaves them.
 */

const ctx: CallContext = { callerId: 't', emit: () => {} };
let root: string;
let dir: string;
let restoreResults: ResultStore;
let caps: DocumentsCapability;
let router: Router;
/** Files reach the handlers only as handles main granted (in the app: a dialog's answer). */
let grants: GrantTable;
const read = (p: string) => grants.grant(p, 'read').grant;
const write = (p: string) => grants.grant(p, 'write').grant;

beforeAll(async () => {
  root = await tempDir();
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});
beforeEach(async () => {
  dir = path.join(root, `case-${Math.random().toString(36).slice(2)}`);
  await mkdir(dir, { recursive: true });
  restoreResults = new ResultStore();
  grants = new GrantTable();
  caps = createDocumentsCapability({ restoreResults, urlFor: (h) => `patina://result/${h}`, stateDir: path.join(dir, 'state'), scratchRoot: dir, grants });
  router = createRouter(withUnusedHandlers([caps.handlers]), { mapError: mapEngineError });
});
afterEach(async () => {
  await caps.dispose();
});

async function call<T>(channel: string, arg?: unknown): Promise<T> {
  const reply = await router.dispatch(channel, arg, ctx);
  if (!reply.ok) throw Object.assign(new Error(reply.error.message), { code: reply.error.code });
  return reply.value as T;
}

async function failure(channel: string, arg?: unknown): Promise<{ code: string; message: string }> {
  const reply = await router.dispatch(channel, arg, ctx);
  if (reply.ok) throw new Error(`${channel} unexpectedly succeeded`);
  return reply.error;
}

function fetchStored(url: string): Uint8Array {
  const handle = url.replace('patina://result/', '');
  const item = caps.images.get(handle);
  if (!item) throw new Error(`nothing stored at ${url}`);
  return item.bytes;
}

/** A grey 1-bit PNG mask with a filled rectangle, as the editor sends. */
async function rectMaskPng(width: number, height: number, rect: { x: number; y: number; w: number; h: number }): Promise<Uint8Array> {
  const px = Buffer.alloc(width * height);
  for (let y = rect.y; y < rect.y + rect.h; y++) px.fill(255, y * width + rect.x, y * width + rect.x + rect.w);
  return new Uint8Array(await sharp(px, { raw: { width, height, channels: 1 } }).png().toBuffer());
}

async function openPhoto(name = 'old photo.png', width = 300, height = 200): Promise<DocumentInfo> {
  const file = path.join(dir, name);
  await syntheticImage(width, height, 3, 8).toFile(file);
  return call<DocumentInfo>('document:open', { grant: read(file) });
}

/** Plants a "restore result" of the document's size, as restore:run would. */
async function plantResult(doc: DocumentInfo, tint: number): Promise<string> {
  const png = await sharp({ create: { width: doc.width, height: doc.height, channels: 3, background: { r: tint, g: 40, b: 90 } } })
    .png()
    .toBuffer();
  return restoreResults.put(new Uint8Array(png), 'image/png');
}

describe('document:open', () => {
  it('answers the photo facts and a downscaled preview by URL, never pixels', async () => {
    const doc = await openPhoto('scan.png', 2200, 1100);
    expect(doc).toMatchObject({ name: 'scan.png', folder: dir, format: 'png', width: 2200, height: 1100, hasAlpha: false, sidecar: null });
    expect(doc.preview).toMatchObject({ width: 2048, height: 1024, url: expect.stringMatching(/^patina:\/\/result\/[\w-]{22}$/) });
    const meta = await sharp(fetchStored(doc.preview.url)).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(['webp', 2048, 1024]);
  });

  it('uses the upright size of a rotated JPEG (EXIF orientation 6)', async () => {
    const file = path.join(dir, 'rotated.jpg');
    await syntheticImage(40, 30, 3, 8).jpeg().withMetadata({ orientation: 6 }).toFile(file);
    const doc = await call<DocumentInfo>('document:open', { grant: read(file) });
    expect([doc.width, doc.height, doc.format]).toEqual([30, 40, 'jpeg']);
  });

  it('refuses a corrupt file, a text file and a missing file with clear codes, touching nothing', async () => {
    const corrupt = path.join(dir, 'broken.jpg');
    const jpeg = await syntheticImage(64, 64, 3, 8).jpeg().toBuffer();
    await writeFile(corrupt, jpeg.subarray(0, 200));
    const text = path.join(dir, 'notes.txt');
    await writeFile(text, 'not a photo');
    expect((await failure('document:open', { grant: read(corrupt) })).code).toBe('IMAGE_UNREADABLE');
    expect((await failure('document:open', { grant: read(text) })).code).toMatch(/IMAGE_(UNREADABLE|UNSUPPORTED)/);
    expect(await failure('document:open', { grant: read(path.join(dir, 'gone.png')) })).toMatchObject({ code: 'NOT_FOUND' });
    expect((await failure('document:open', { path: 'relative.png' })).code).toBe('INVALID_ARGUMENT');
    expect((await readFile(corrupt)).byteLength).toBe(200);
    // No scratch folders left behind by the failed opens.
    expect((await readdir(dir)).filter((n) => n.startsWith('patina-doc-'))).toEqual([]);
  });

  it('remembers opened photos as recent files, newest first, and says when one is gone', async () => {
    // The app menu follows the list through subscribe().
    const seen: string[][] = [];
    const off = caps.recent.subscribe((list) => seen.push(list.files.map((f) => path.basename(f.path))));
    const a = await openPhoto('a.png', 20, 20);
    const b = await openPhoto('b.png', 20, 20);
    await rm(a.path);
    const { files } = await call<{ files: { path: string; kind: string; exists: boolean }[] }>('recent:list');
    expect(files.map((f) => [path.basename(f.path), f.kind, f.exists])).toEqual([
      ['b.png', 'photo', true],
      ['a.png', 'photo', false],
    ]);
    expect(JSON.parse(await readFile(path.join(dir, 'state', 'recent-files.json'), 'utf8')).files).toHaveLength(2);
    expect(b.id).not.toBe(a.id);
    expect((await call<{ files: unknown[] }>('recent:clear')).files).toEqual([]);
    expect(seen).toEqual([['a.png'], ['b.png', 'a.png'], []]);
    off();
    await openPhoto('c.png', 20, 20);
    expect(seen).toHaveLength(3);
  });
});

describe('document:import', () => {
  it('opens bytes without a path of their own; exports then need a folder', async () => {
    const bytes = new Uint8Array(await syntheticImage(50, 40, 3, 8).png().toBuffer());
    const doc = await call<DocumentInfo>('document:import', { name: '../../evil/dropped.png', bytes });
    expect([doc.name, doc.folder, doc.width]).toEqual(['dropped.png', null, 50]);
    expect(path.dirname(doc.path).startsWith(dir)).toBe(true);
    expect((await failure('document:export-plan', { id: doc.id, format: 'png' })).code).toBe('INVALID_ARGUMENT');
    const plan = await call<{ path: string }>('document:export-plan', { id: doc.id, format: 'png', folder: grants.grant(dir, 'folder').grant });
    expect(plan.path).toBe(path.join(dir, 'dropped_restored.png'));
  });
});

describe('versions', () => {
  it('commits restore results as versions that restore:run can name, and serves their views', async () => {
    const doc = await openPhoto();
    const first = await call<{ version: number; preview: { url: string; width: number } }>('document:commit', {
      id: doc.id,
      handle: await plantResult(doc, 200),
    });
    expect(first.version).toBe(1);
    const second = await call<{ version: number }>('document:commit', { id: doc.id, handle: await plantResult(doc, 10) });
    expect(second.version).toBe(2);

    const file = caps.documents.resolveImageId(`${doc.id}@2`);
    expect(file).toBeDefined();
    const { data } = await sharp(file!).raw().toBuffer({ resolveWithObject: true });
    expect(data[0]).toBe(10);
    expect(caps.documents.resolveImageId(`${doc.id}@0`)).toBe(doc.path);
    expect(caps.documents.resolveImageId(`${doc.id}@9`)).toBeUndefined();
    expect(caps.documents.resolveImageId('nope@1')).toBeUndefined();

    const full = await call<{ url: string; width: number; height: number }>('document:view', { id: doc.id, version: 1, level: 'full' });
    expect([full.width, full.height]).toEqual([300, 200]);
    expect((await sharp(fetchStored(full.url)).metadata()).format).toBe('jpeg');
  });

  it('refuses a result of another size and a stale handle', async () => {
    const doc = await openPhoto();
    const small = restoreResults.put(new Uint8Array(await syntheticImage(10, 10, 3, 8).png().toBuffer()), 'image/png');
    expect((await failure('document:commit', { id: doc.id, handle: small })).code).toBe('INVALID_ARGUMENT');
    expect((await failure('document:commit', { id: doc.id, handle: 'AAAAAAAAAAAAAAAAAAAAAA' })).code).toBe('NOT_FOUND');
  });

  it('close removes the scratch folder and the display images', async () => {
    const doc = await openPhoto();
    await call('document:commit', { id: doc.id, handle: await plantResult(doc, 5) });
    const scratch = path.dirname(caps.documents.resolveImageId(`${doc.id}@1`)!);
    expect(await call('document:close', { id: doc.id })).toEqual({ closed: true });
    await expect(stat(scratch)).rejects.toThrow();
    expect(() => fetchStored(doc.preview.url)).toThrow();
    expect((await failure('document:view', { id: doc.id, version: 0, level: 'preview' })).code).toBe('NOT_FOUND');
  });
});

describe('document:export', () => {
  it('plans <stem>_restored.<ext> beside the original and writes the chosen format and quality', async () => {
    const doc = await openPhoto('Grandma 1962.png');
    const { version } = await call<{ version: number }>('document:commit', { id: doc.id, handle: await plantResult(doc, 120) });
    const plan = await call<{ path: string; grant: string; exists: boolean; isOriginal: boolean }>('document:export-plan', { id: doc.id, format: 'jpeg' });
    expect(plan).toEqual({ path: path.join(dir, 'Grandma 1962_restored.jpg'), grant: expect.any(String), exists: false, isOriginal: false });

    const high = await call<{ bytes: number; width: number }>('document:export', { id: doc.id, version, grant: plan.grant, format: 'jpeg', quality: 95 });
    expect(high.width).toBe(300);
    const low = path.join(dir, 'low.jpg');
    const lowResult = await call<{ bytes: number }>('document:export', { id: doc.id, version, grant: write(low), format: 'jpeg', quality: 20 });
    expect(lowResult.bytes).toBeLessThan(high.bytes);
    const { data } = await sharp(plan.path).raw().toBuffer({ resolveWithObject: true });
    expect(Math.abs(data[0]! - 120)).toBeLessThanOrEqual(3);
    expect((await call<{ exists: boolean }>('document:export-plan', { id: doc.id, format: 'jpeg' })).exists).toBe(true);

    const tif = path.join(dir, 'archive.tif');
    await call('document:export', { id: doc.id, version: 0, grant: write(tif), format: 'tiff' });
    const original = await sharp(doc.path).raw().toBuffer();
    expect(Buffer.compare(await sharp(tif).raw().toBuffer(), original)).toBe(0);
  });

  it('never replaces an existing file or the original without the matching confirmation', async () => {
    const doc = await openPhoto('keep.png');
    const before = await readFile(doc.path);
    const { version } = await call<{ version: number }>('document:commit', { id: doc.id, handle: await plantResult(doc, 7) });

    const refused = await failure('document:export', { id: doc.id, version, grant: write(doc.path), format: 'png', overwrite: true });
    expect(refused.code).toBe('OUTPUT_IS_ORIGINAL');
    const link = path.join(dir, 'same-file.png');
    await import('node:fs/promises').then((fs) => fs.link(doc.path, link));
    expect((await failure('document:export', { id: doc.id, version, grant: write(link), format: 'png', overwrite: true })).code).toBe('OUTPUT_IS_ORIGINAL');
    expect(Buffer.compare(await readFile(doc.path), before)).toBe(0);

    const other = path.join(dir, 'other.png');
    await copyFile(doc.path, other);
    expect((await failure('document:export', { id: doc.id, version, grant: write(other), format: 'png' })).code).toBe('OUTPUT_EXISTS');
    await call('document:export', { id: doc.id, version, grant: write(other), format: 'png', overwrite: true });
    expect((await sharp(other).raw().toBuffer())[0]).toBe(7);

    await call('document:export', { id: doc.id, version, grant: write(doc.path), format: 'png', replaceOriginal: true });
    expect((await sharp(doc.path).raw().toBuffer())[0]).toBe(7);
    expect((await readdir(dir)).filter((n) => n.includes('patina-tmp'))).toEqual([]);
  });
});

describe('projects', () => {
  const state: ProjectState = {
    layers: [
      { id: 'scratches', name: 'Scratches', color: '#ff4d4d', visible: true, locked: false },
      { id: 'dust', name: 'Dust', color: '#4da6ff', visible: false, locked: true },
    ],
    activeLayerId: 'scratches',
    overlayOpacity: 0.6,
    restoreRuns: 1,
  };

  it('saves beside the photo and reopens layers, masks and the restored head', async () => {
    const doc = await openPhoto('family.png', 120, 80);
    const { version } = await call<{ version: number }>('document:commit', { id: doc.id, handle: await plantResult(doc, 33) });
    const masks = [await rectMaskPng(120, 80, { x: 10, y: 5, w: 20, h: 4 }), await rectMaskPng(120, 80, { x: 60, y: 60, w: 3, h: 3 })];
    const saved = await call<{ path: string }>('project:save', { id: doc.id, version, state, masks });
    expect(saved.path).toBe(path.join(dir, 'family.patina'));
    await call('document:close', { id: doc.id });

    const reopenedPhoto = await call<DocumentInfo>('document:open', { grant: read(doc.path) });
    expect(reopenedPhoto.sidecar?.path).toBe(saved.path);

    const opened = await call<ProjectOpenResult>('project:open', { grant: read(saved.path) });
    expect(opened.state).toEqual(state);
    expect(opened.photoChanged).toBe(false);
    expect(opened.head.version).toBe(1);
    const headFile = caps.documents.resolveImageId(`${opened.document.id}@1`)!;
    expect((await sharp(headFile).raw().toBuffer())[0]).toBe(33);
    const raw = fetchStored(opened.masks[0]!.url);
    expect(raw.byteLength).toBe(120 * 80);
    expect([raw[5 * 120 + 10], raw[5 * 120 + 9], raw[8 * 120 + 29], raw[9 * 120 + 10]]).toEqual([255, 0, 255, 0]);
    expect(fetchStored(opened.masks[1]!.url)[61 * 120 + 61]).toBe(255);

    // Batch reads the restore mask from the sidecar: visible layers only.
    const mask = await projectRestoreMask(saved.path);
    expect(mask.data.reduce((n, v) => n + v, 0)).toBe(20 * 4);
    const recent = await call<{ files: { kind: string }[] }>('recent:list');
    expect(recent.files[0]!.kind).toBe('project');
  });

  it('finds the photo beside a moved project pair and notices a changed photo', async () => {
    const doc = await openPhoto('pair.png', 40, 30);
    const saved = await call<{ path: string }>('project:save', {
      id: doc.id,
      version: 0,
      state: { ...state, restoreRuns: 0 },
      masks: [await rectMaskPng(40, 30, { x: 0, y: 0, w: 2, h: 2 }), await rectMaskPng(40, 30, { x: 0, y: 0, w: 1, h: 1 })],
    });
    const moved = path.join(dir, 'moved');
    await mkdir(moved);
    await copyFile(saved.path, path.join(moved, 'pair.patina'));
    await copyFile(doc.path, path.join(moved, 'pair.png'));
    await rm(doc.path);
    const opened = await call<ProjectOpenResult>('project:open', { grant: read(path.join(moved, 'pair.patina')) });
    expect(opened.document.path).toBe(path.join(moved, 'pair.png'));
    expect(opened.head.version).toBe(0);
    expect(opened.photoChanged).toBe(true);
  });

  it('refuses masks of the wrong size, a project over a foreign file, and damaged projects', async () => {
    const doc = await openPhoto('x.png', 40, 30);
    const good = await rectMaskPng(40, 30, { x: 0, y: 0, w: 2, h: 2 });
    const wrong = await rectMaskPng(41, 30, { x: 0, y: 0, w: 2, h: 2 });
    const base = { id: doc.id, version: 0, state: { ...state, restoreRuns: 0 } };
    expect((await failure('project:save', { ...base, masks: [good, wrong] })).code).toBe('INVALID_ARGUMENT');
    expect((await failure('project:save', { ...base, masks: [good] })).code).toBe('INVALID_ARGUMENT');
    const foreign = path.join(dir, 'notes.patina');
    await writeFile(foreign, 'my notes');
    expect((await failure('project:save', { ...base, masks: [good, good], grant: write(foreign) })).code).toBe('OUTPUT_EXISTS');
    expect(await readFile(foreign, 'utf8')).toBe('my notes');
    expect((await failure('project:open', { grant: read(foreign) })).code).toBe('PROJECT_INVALID');

    const saved = await call<{ path: string }>('project:save', { ...base, masks: [good, good] });
    const bytes = await readFile(saved.path);
    const truncated = path.join(dir, 'truncated.patina');
    await writeFile(truncated, bytes.subarray(0, bytes.byteLength - 10));
    expect((await failure('project:open', { grant: read(truncated) })).code).toBe('PROJECT_INVALID');
    const badState = { ...base, masks: [good, good], state: { ...base.state, activeLayerId: 'missing' } };
    expect((await failure('project:save', badState)).code).toBe('INVALID_ARGUMENT');
  });
});

describe('file access by grant', () => {
  it('opens, exports and saves only through handles main issued, each for its own use', async () => {
    const photos = path.join(dir, 'photos');
    await mkdir(photos);
    const file = path.join(photos, 'granted.png');
    const bystander = path.join(photos, 'bystander.png');
    await syntheticImage(40, 30, 3, 8).png().toFile(file);
    await syntheticImage(40, 30, 3, 8).png().toFile(bystander);
    const before = await readFile(bystander);
    const forged = 'eeeeeeeeeeeeeeeeeeeeeeee';

    // Paths are not accepted at all; a handle main never issued names nothing.
    expect(await failure('document:open', { path: file })).toMatchObject({ code: 'INVALID_ARGUMENT' });
    expect(await failure('document:open', { grant: forged })).toMatchObject({
      code: 'NOT_GRANTED',
      message: 'That file was not chosen in Patina, so Patina will not open it: open it with File ▸ Open or drop it on the window.',
    });
    expect(await failure('project:open', { grant: forged })).toMatchObject({ code: 'NOT_GRANTED' });

    const doc = await call<DocumentInfo>('document:open', { grant: read(file) });
    const { version } = await call<{ version: number }>('document:commit', { id: doc.id, handle: await plantResult(doc, 9) });
    // A file opened for reading is no export target, nor is a forged handle, even with overwrite.
    for (const grant of [read(bystander), forged]) {
      expect(await failure('document:export', { id: doc.id, version, grant, format: 'png', overwrite: true })).toMatchObject({ code: 'NOT_GRANTED' });
      expect(await failure('project:save', { id: doc.id, version, grant, state: { layers: [], activeLayerId: null, overlayOpacity: 0.5, restoreRuns: 1 }, masks: [] })).toMatchObject({ code: 'NOT_GRANTED' });
    }
    expect(await failure('document:export-plan', { id: doc.id, format: 'png', folder: forged })).toMatchObject({ code: 'NOT_GRANTED' });
    expect(await failure('document:export-plan', { id: doc.id, format: 'png', folder: read(photos) })).toMatchObject({ code: 'NOT_GRANTED' });
    expect((await readFile(bystander)).equals(before)).toBe(true);
    expect((await readdir(photos)).sort()).toEqual(['bystander.png', 'granted.png']);

    // The plan's own handle writes exactly the planned file.
    const plan = await call<{ path: string; grant: string }>('document:export-plan', { id: doc.id, format: 'png' });
    expect(plan.path).toBe(path.join(photos, 'granted_restored.png'));
    await call('document:export', { id: doc.id, version, grant: plan.grant, format: 'png' });
    expect((await readdir(photos)).sort()).toEqual(['bystander.png', 'granted.png', 'granted_restored.png']);

    // Recent files come back with read handles that open them again.
    const recent = await call<{ files: { path: string; grant: string }[] }>('recent:list');
    expect(recent.files[0]).toMatchObject({ path: file, grant: read(file) });
    await call('document:close', { id: doc.id });
    expect((await call<DocumentInfo>('document:open', { grant: recent.files[0]!.grant })).path).toBe(file);
  });
});
