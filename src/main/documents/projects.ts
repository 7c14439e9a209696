import { stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import sharp, { type Metadata } from 'sharp';
import type { ProjectOpenResult, ProjectSaveArgs, ProjectSaveResult } from '@shared/ipc/project';
import { EngineError } from '../errors/engine-error';
import { exists } from '../jobs/atomic-write';
import type { ResultStore } from '../jobs/result-store';
import type { DocumentStore } from './document-store';
import { reason } from './display';
import { samePath, sidecarPathFor } from './naming';
import { decodeLayerMask, readBlob, readProjectFile, writeProjectFile, type ProjectHeader } from './project-file';

export interface ProjectDeps {
  readonly documents: DocumentStore;
  /** Where raw masks wait for the renderer to fetch them. */
  readonly images: ResultStore;
  readonly urlFor: (handle: string) => string;
  readonly now?: () => Date;
}

/** Saves the editor's head state beside the photo (or where asked). */
/** `project:save` with its handle already turned into the path it grants (absent: beside the photo). */
export type SaveProjectArgs = Omit<ProjectSaveArgs, 'grant'> & { readonly path?: string };

export async function saveProject(deps: ProjectDeps, args: SaveProjectArgs): Promise<Omit<ProjectSaveResult, 'grant'>> {
  const doc = deps.documents.get(args.id);
  const version = deps.documents.version(doc, args.version);
  // An imported file lives in main's scratch folder, which goes away on close; a project could not find it again.
  if (!doc.folder) {
    throw new EngineError('INVALID_ARGUMENT', 'Projects need the photo on disk: export it to a folder, open that file, then save the project');
  }
  const dest = path.normalize(args.path ?? sidecarPathFor(doc.path));
  if (!path.isAbsolute(dest)) throw new EngineError('INVALID_ARGUMENT', 'The project path must be absolute');
  if (samePath(dest, doc.path)) throw new EngineError('OUTPUT_IS_ORIGINAL', 'A project cannot replace the photo itself');
  if (await exists(dest)) {
    // Our own earlier save is replaced; any other file is not ours to overwrite.
    await readProjectFile(dest).catch(() => {
      throw new EngineError('OUTPUT_EXISTS', `${path.basename(dest)} exists and is not a Patina project`);
    });
  }
  if (args.masks.length !== args.state.layers.length) {
    throw new EngineError('INVALID_ARGUMENT', `Got ${args.masks.length} masks for ${args.state.layers.length} layers`);
  }
  const masks = new Map<string, Uint8Array>();
  for (const [i, layer] of args.state.layers.entries()) {
    const png = args.masks[i]!;
    await checkMaskSize(png, doc.facts.width, doc.facts.height, layer.name);
    masks.set(layer.id, png);
  }
  const savedAt = (deps.now?.() ?? new Date()).toISOString();
  await writeProjectFile(dest, {
    savedAt,
    photo: {
      path: doc.path,
      relativePath: path.relative(path.dirname(dest), doc.path) || path.basename(doc.path),
      name: doc.name,
      width: doc.facts.width,
      height: doc.facts.height,
      fileBytes: doc.fileBytes,
      mtimeMs: doc.mtimeMs,
    },
    state: args.state,
    masks,
    headImageFile: args.version > 0 ? version.file : null,
  });
  return { path: dest, savedAt };
}

/** Opens a project: its photo as a new document, the head image as version 1, masks by URL. */
export async function openProject(deps: ProjectDeps, file: string): Promise<Omit<ProjectOpenResult, 'project'>> {
  if (!path.isAbsolute(file)) throw new EngineError('INVALID_ARGUMENT', 'path must be absolute');
  const project = await readProjectFile(path.normalize(file));
  const { header } = project;
  const photoPath = await locatePhoto(project.path, header);
  const document = await deps.documents.open(photoPath);
  try {
    if (document.width !== header.photo.width || document.height !== header.photo.height) {
      throw new EngineError(
        'PROJECT_INVALID',
        `${document.name} is now ${document.width}x${document.height}; the project was made for ${header.photo.width}x${header.photo.height}`,
      );
    }
    const doc = deps.documents.get(document.id);
    let head = { version: 0, preview: document.preview };
    if (header.headImage) {
      const headFile = path.join(doc.workDir, 'project-head.png');
      await writeFile(headFile, await readBlob(project, header.headImage));
      head = await deps.documents.addVersionFile(doc, headFile);
    }
    const masks = [];
    for (const layer of header.state.layers) {
      const raw = await decodeLayerMask(project, layer.id);
      masks.push({ layerId: layer.id, url: deps.urlFor(deps.images.put(raw, 'application/octet-stream')) });
    }
    const now = await stat(photoPath);
    return {
      document,
      state: header.state,
      masks,
      head,
      savedAt: header.savedAt,
      photoChanged: now.size !== header.photo.fileBytes || Math.abs(now.mtimeMs - header.photo.mtimeMs) > 1,
    };
  } catch (err) {
    await deps.documents.close(document.id);
    throw err;
  }
}

/** Beside the project first (the pair may have moved together), then where it was when saved. */
async function locatePhoto(projectPath: string, header: ProjectHeader): Promise<string> {
  const candidates = [path.resolve(path.dirname(projectPath), header.photo.relativePath), header.photo.path];
  for (const candidate of candidates) if (await exists(candidate)) return candidate;
  throw new EngineError('NOT_FOUND', `The photo of this project, ${header.photo.name}, is missing (looked for ${candidates.join(' and ')})`);
}

async function checkMaskSize(png: Uint8Array, width: number, height: number, layerName: string): Promise<void> {
  let meta: Metadata;
  try {
    meta = await sharp(png).metadata();
  } catch (err) {
    throw new EngineError('INVALID_ARGUMENT', `The mask of layer "${layerName}" is not a readable image: ${reason(err)}`);
  }
  if (meta.format !== 'png') throw new EngineError('INVALID_ARGUMENT', `The mask of layer "${layerName}" must be a PNG`);
  if (meta.width !== width || meta.height !== height) {
    throw new EngineError('INVALID_ARGUMENT', `The mask of layer "${layerName}" is ${meta.width}x${meta.height}, not ${width}x${height}`);
  }
}
