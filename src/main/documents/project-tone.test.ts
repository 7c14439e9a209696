import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
import { readProjectFile, writeProjectFile } from './project-file';

/*
 * The Tone & colour settings in the `.patina` project file (ProjectState.tone):
 * saved and reopened through the real router and file, validated like the
 * rest of the state, and optional, so projects saved before the field existed
 * open unchanged (tone off).
 */

const ctx: CallContext = { callerId: 't', emit: () => {} };
let dir: string;
let caps: DocumentsCapability;
let router: Router;
let grants: GrantTable;

beforeAll(async () => {
  dir = await tempDir();
  await mkdir(path.join(dir, 'state'));
  grants = new GrantTable();
  caps = createDocumentsCapability({ restoreResults: new ResultStore(), urlFor: (h) => `patina://result/${h}`, stateDir: path.join(dir, 'state'), scratchRoot: dir, grants });
  router = createRouter(withUnusedHandlers([caps.handlers]), { mapError: mapEngineError });
});
afterAll(async () => {
  await caps.dispose();
  await rm(dir, { recursive: true, force: true });
});

async function call<T>(channel: string, arg?: unknown): Promise<T> {
  const reply = await router.dispatch(channel, arg, ctx);
  if (!reply.ok) throw Object.assign(new Error(reply.error.message), { code: reply.error.code });
  return reply.value as T;
}

async function openPhoto(name: string): Promise<DocumentInfo> {
  const file = path.join(dir, name);
  await syntheticImage(60, 40, 3, 8).toFile(file);
  return call<DocumentInfo>('document:open', { grant: grants.grant(file, 'read').grant });
}

const mask = () => sharp(Buffer.alloc(60 * 40), { raw: { width: 60, height: 40, channels: 1 } }).png().toBuffer().then((b) => new Uint8Array(b));
const base: ProjectState = {
  layers: [{ id: 'damage', name: 'Damage', color: '#ff4d4d', visible: true, locked: false }],
  activeLayerId: 'damage',
  overlayOpacity: 0.55,
  restoreRuns: 0,
};

describe('tone settings in the project file', () => {
  it('saves the Tone & colour settings and reopens them', async () => {
    const doc = await openPhoto('toned.png');
    const state: ProjectState = { ...base, tone: { on: true, strength: 70, colour: 'keep' } };
    const saved = await call<{ path: string }>('project:save', { id: doc.id, version: 0, state, masks: [await mask()] });
    expect((await readProjectFile(saved.path)).header.state.tone).toEqual({ on: true, strength: 70, colour: 'keep' });
    await call('document:close', { id: doc.id });
    const opened = await call<ProjectOpenResult>('project:open', { grant: grants.grant(saved.path, 'read').grant });
    expect(opened.state.tone).toEqual({ on: true, strength: 70, colour: 'keep' });
    await call('document:close', { id: opened.document.id });
  });

  it('opens a project saved before tone settings were kept, unchanged and with no tone', async () => {
    const doc = await openPhoto('older.png');
    const file = path.join(dir, 'older.patina');
    // The header an earlier build wrote: the same container, a state without `tone`.
    await writeProjectFile(file, {
      savedAt: '2026-11-01T10:00:00.000Z',
      photo: { path: doc.path, relativePath: 'older.png', name: 'older.png', width: 60, height: 40, fileBytes: doc.fileBytes, mtimeMs: 0 },
      state: base,
      masks: new Map([['damage', await mask()]]),
      headImageFile: null,
    });
    await call('document:close', { id: doc.id });
    const opened = await call<ProjectOpenResult>('project:open', { grant: grants.grant(file, 'read').grant });
    expect(opened.state).toEqual(base);
    expect('tone' in opened.state).toBe(false);
    await call('document:close', { id: opened.document.id });
  });

  it('refuses tone settings out of range or of an unknown kind, saving nothing', async () => {
    const doc = await openPhoto('bad.png');
    for (const tone of [{ on: true, strength: 140, colour: 'auto' }, { on: true, strength: 50, colour: 'purple' }, { on: 'yes', strength: 50, colour: 'auto' }, { on: true, strength: 50, colour: 'auto', contrast: 3 }]) {
      const reply = await router.dispatch('project:save', { id: doc.id, version: 0, state: { ...base, tone }, masks: [await mask()] }, ctx);
      expect(reply.ok, JSON.stringify(tone)).toBe(false);
      if (!reply.ok) expect(reply.error.code).toBe('INVALID_ARGUMENT');
    }
    await expect(readProjectFile(path.join(dir, 'bad.patina'))).rejects.toThrow(/Cannot open project/);
    await call('document:close', { id: doc.id });
  });
});
