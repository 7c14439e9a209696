import path from 'node:path';
import type { DocumentExportPlan } from '@shared/ipc/documents';
import { defineHandlers } from '../ipc/handlers';
import { IpcFailure } from '../ipc/router';
import { exists } from '../jobs/atomic-write';
import type { DocumentStore } from './document-store';
import { exportImage } from './export';
import { exportPathFor, samePath } from './naming';
import { openProject, saveProject, type ProjectDeps } from './projects';
import type { RecentFiles } from './recent';

export interface DocumentHandlerDeps extends ProjectDeps {
  readonly documents: DocumentStore;
  readonly recent: RecentFiles;
}

/** `document:*`, `project:*` and `recent:*`: the editor's files. */
export function createDocumentHandlers(deps: DocumentHandlerDeps) {
  const { documents, recent } = deps;
  return defineHandlers({
    'document:open': async ({ path: file }) => {
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
      const target = folder ?? doc.folder;
      if (!target) throw new IpcFailure('INVALID_ARGUMENT', 'This photo has no folder of its own; choose one to export into');
      if (!path.isAbsolute(target)) throw new IpcFailure('INVALID_ARGUMENT', 'folder must be absolute');
      const file = exportPathFor(doc.name, path.normalize(target), format);
      return { path: file, exists: await exists(file), isOriginal: samePath(file, doc.path) };
    },
    'document:export': async (args) => {
      const doc = documents.get(args.id);
      return exportImage(documents.version(doc, args.version).file, doc.path, args);
    },
    'project:save': async (args) => {
      const saved = await saveProject(deps, args);
      await recent.add(saved.path, 'project');
      return saved;
    },
    'project:open': async ({ path: file }) => {
      const opened = await openProject(deps, file);
      await recent.add(path.normalize(file), 'project');
      return opened;
    },
    'recent:list': () => recent.list(),
    'recent:clear': () => recent.clear(),
  });
}
