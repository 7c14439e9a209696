import { rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { DocumentExportPlan, RecentList as GrantedRecentList } from '@shared/ipc/documents';
import type { ToneOptions } from '@shared/ipc/tone';
import type { GrantTable } from '../access/grants';
import { defineHandlers } from '../ipc/handlers';
import { IpcFailure } from '../ipc/router';
import { exists } from '../jobs/atomic-write';
import type { DocumentStore } from './document-store';
import { exportImage } from './export';
import { exportPathFor, samePath } from './naming';
import { openProject, saveProject, type ProjectDeps } from './projects';
import type { RecentFiles, RecentList } from './recent';

export interface DocumentHandlerDeps extends ProjectDeps {
  readonly documents: DocumentStore;
  readonly recent: RecentFiles;
  /** The files and folders the person chose: the only paths a request can reach (src/main/access/grants.ts). */
  readonly grants: GrantTable;
  /** The photo of a batch item, for opening it from the Batch view; absent where there are no batches. */
  readonly batchPhoto?: (batchId: string, itemId: number) => string | undefined;
  /** Auto tone on an image file through the restore engine (nothing filled): the encoded result. Absent: exports with tone are refused. */
  readonly toneOnly?: (imagePath: string, tone: ToneOptions) => Promise<Uint8Array>;
}

/**
 * `document:*`, `project:*` and `recent:*`: the editor's files. Files arrive
 * as handles; main grants what it derives for the person itself: the planned
 * export file, a project's own file for saving it again, the recent list.
 */
export function createDocumentHandlers(deps: DocumentHandlerDeps) {
  const { documents, recent, grants } = deps;
  return defineHandlers({
    'document:open': async (arg) => {
      const file = 'grant' in arg ? grants.use(arg.grant, 'read', { field: 'grant' }) : batchPhoto(deps, arg.batchId, arg.itemId);
      const info = await documents.open(file);
      await recent.add(info.path, 'photo');
      return info;
    },
    'document:import': ({ name, bytes }) => documents.import(name, bytes),
    'document:view': ({ id, version, level }) => documents.view(id, version, level),
    'document:commit': ({ id, handle }) => documents.commit(id, handle),
    'document:close': async ({ id }) => ({ closed: await documents.close(id) }),
    'document:export-plan': async ({ id, format, folder }): Promise<DocumentExportPlan> => {
      const doc = documents.get(id);
      const target = folder ? grants.use(folder, 'folder', { field: 'folder' }) : doc.folder;
      if (!target) throw new IpcFailure('INVALID_ARGUMENT', 'This photo has no folder of its own; choose one to export into');
      const file = exportPathFor(doc.name, path.normalize(target), format);
      return { path: file, grant: grants.grant(file, 'write').grant, exists: await exists(file), isOriginal: samePath(file, doc.path) };
    },
    'document:export': async ({ grant, tone, ...args }) => {
      const doc = documents.get(args.id);
      const dest = grants.use(grant, 'write', { field: 'grant' });
      const source = documents.version(doc, args.version).file;
      if (!tone) return exportImage(source, doc.path, { ...args, path: dest });
      // Tone still pending in the editor: export what Restore would make of this version, without making a version of it.
      if (!deps.toneOnly) throw new IpcFailure('INVALID_ARGUMENT', 'Auto tone is not available here');
      const toned = path.join(doc.workDir, `export-toned-${Date.now().toString(36)}.png`);
      await writeFile(toned, await deps.toneOnly(source, tone));
      try {
        return await exportImage(toned, doc.path, { ...args, path: dest });
      } finally {
        await rm(toned, { force: true });
      }
    },
    'project:save': async ({ grant, ...args }) => {
      const dest = grant ? grants.use(grant, 'write', { field: 'grant' }) : undefined;
      const saved = await saveProject(deps, { ...args, path: dest });
      await recent.add(saved.path, 'project');
      return { ...saved, grant: grants.grant(saved.path, 'write').grant };
    },
    'project:open': async ({ grant }) => {
      const file = path.normalize(grants.use(grant, 'read', { field: 'grant' }));
      const opened = await openProject(deps, file);
      await recent.add(file, 'project');
      return { ...opened, project: grants.grant(file, 'write') };
    },
    'recent:list': async () => withGrants(grants, await recent.list()),
    'recent:clear': async () => withGrants(grants, await recent.clear()),
  });
}

function batchPhoto(deps: DocumentHandlerDeps, batchId: string, itemId: number): string {
  const file = deps.batchPhoto?.(batchId, itemId);
  if (!file) throw new IpcFailure('NOT_FOUND', `Batch ${batchId} has no photo ${itemId}`);
  return file;
}

/** Recent files are ones the person opened before: each comes with a read handle to open it again. */
export function withGrants(grants: GrantTable, list: RecentList): GrantedRecentList {
  return { files: list.files.map((f) => ({ ...f, grant: grants.grant(f.path, 'read').grant })) };
}
