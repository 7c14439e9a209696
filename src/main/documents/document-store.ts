import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PREVIEW_MAX_SIDE, type DisplayImage, type DocumentInfo } from '@shared/ipc/documents';
import type { GrantTable } from '../access/grants';
import { EngineError } from '../errors/engine-error';
import type { ResultReader, ResultStore } from '../jobs/result-store';
import { makeDisplayImage, probePhoto, type PhotoFacts } from './display';
import { readSidecarSummary } from './project-file';
import { sidecarPathFor } from './naming';

/** One image of a document: version 0 is the photo, later ones restore results kept as PNG files. */
interface Version {
  readonly file: string;
  /** Handles into the display store; re-made when the store has dropped them. */
  preview?: { readonly handle: string; readonly image: DisplayImage };
  full?: { readonly handle: string; readonly image: DisplayImage };
}

export interface OpenDocument {
  readonly id: string;
  /** The photo on disk (or main's copy of an imported file). */
  readonly path: string;
  readonly name: string;
  readonly folder: string | null;
  readonly facts: PhotoFacts;
  readonly fileBytes: number;
  readonly mtimeMs: number;
  readonly versions: Version[];
  /** Private scratch folder (restore results, imports); removed on close. */
  readonly workDir: string;
}

export interface DocumentStoreDeps {
  /** Where display images and raw masks are held for the renderer to fetch. */
  readonly images: ResultStore;
  /** The URL the renderer fetches a stored item from. */
  readonly urlFor: (handle: string) => string;
  /** restore:run's preview results, committed as new versions. */
  readonly restoreResults: ResultReader;
  /** Parent of the per-document scratch folders (default: the OS temp folder). */
  readonly scratchRoot?: string;
  /** The sidecar project a photo offers is granted for reading, so the renderer can open it. */
  readonly grants: GrantTable;
}

/**
 * The photos open in the editor and their image versions. The renderer names
 * a version by number; main keeps the pixels (files) and hands out URLs, so
 * neither the photo nor a restore result ever crosses IPC as bytes.
 */
export class DocumentStore {
  private readonly docs = new Map<string, OpenDocument>();

  constructor(private readonly deps: DocumentStoreDeps) {}

  async open(photoPath: string): Promise<DocumentInfo> {
    if (!path.isAbsolute(photoPath)) throw new EngineError('INVALID_ARGUMENT', 'path must be absolute');
    const file = path.normalize(photoPath);
    const info = await statFile(file);
    return this.register(file, path.basename(file), path.dirname(file), info);
  }

  /** Opens bytes that have no file of their own (dropped from a browser): main keeps a private copy. */
  async import(name: string, bytes: Uint8Array): Promise<DocumentInfo> {
    const workDir = await this.scratchDir();
    const safeName = path.basename(name).replace(/[^\p{L}\p{N} ._()-]/gu, '_').slice(0, 120) || 'photo';
    const file = path.join(workDir, `import-${safeName}`);
    await writeFile(file, bytes);
    return this.register(file, safeName, null, await statFile(file), workDir);
  }

  get(id: string): OpenDocument {
    const doc = this.docs.get(id);
    if (!doc) throw new EngineError('NOT_FOUND', `No open document with id "${id}"`);
    return doc;
  }

  version(doc: OpenDocument, version: number): Version {
    const entry = doc.versions[version];
    if (!entry) throw new EngineError('NOT_FOUND', `${doc.name} has no image version ${version}`);
    return entry;
  }

  /** Display image of one version; the full view is made on first request. */
  async view(id: string, version: number, level: 'preview' | 'full'): Promise<DisplayImage> {
    const doc = this.get(id);
    const entry = this.version(doc, version);
    const cached = entry[level];
    if (cached && this.deps.images.get(cached.handle)) return cached.image;
    const encoded = await makeDisplayImage(entry.file, level === 'preview' ? PREVIEW_MAX_SIDE : null, doc.facts.hasAlpha);
    const handle = this.deps.images.put(encoded.bytes, encoded.mime);
    const image = { url: this.deps.urlFor(handle), width: encoded.width, height: encoded.height };
    entry[level] = { handle, image };
    return image;
  }

  /** Makes a restore result (by its restore:run handle) the document's next version. */
  async commit(id: string, handle: string): Promise<{ version: number; preview: DisplayImage }> {
    const doc = this.get(id);
    const result = this.deps.restoreResults.get(handle);
    if (!result) throw new EngineError('NOT_FOUND', 'That restore result is no longer available; run the restore again');
    const file = path.join(doc.workDir, `version-${doc.versions.length}-${randomBytes(4).toString('hex')}.png`);
    await writeFile(file, result.bytes);
    return this.addVersionFile(doc, file);
  }

  /** Adds an image file (already in the document's scratch folder) as the next version. */
  async addVersionFile(doc: OpenDocument, file: string): Promise<{ version: number; preview: DisplayImage }> {
    const facts = await probePhoto(file, 'the restored image');
    if (facts.width !== doc.facts.width || facts.height !== doc.facts.height) {
      throw new EngineError(
        'INVALID_ARGUMENT',
        `The restored image is ${facts.width}x${facts.height} but ${doc.name} is ${doc.facts.width}x${doc.facts.height}`,
      );
    }
    doc.versions.push({ file });
    const version = doc.versions.length - 1;
    return { version, preview: await this.view(doc.id, version, 'preview') };
  }

  /** restore:run's `image: { id }`: "<document id>@<version>" -> the file holding that version. */
  resolveImageId(imageId: string): string | undefined {
    const at = imageId.lastIndexOf('@');
    if (at <= 0) return undefined;
    const doc = this.docs.get(imageId.slice(0, at));
    const version = Number(imageId.slice(at + 1));
    if (!doc || !Number.isInteger(version)) return undefined;
    return doc.versions[version]?.file;
  }

  async close(id: string): Promise<boolean> {
    const doc = this.docs.get(id);
    if (!doc) return false;
    this.docs.delete(id);
    this.forgetImages(doc);
    await rm(doc.workDir, { recursive: true, force: true });
    return true;
  }

  async dispose(): Promise<void> {
    await Promise.all([...this.docs.keys()].map((id) => this.close(id)));
  }

  async scratchDir(): Promise<string> {
    return mkdtemp(path.join(this.deps.scratchRoot ?? tmpdir(), 'patina-doc-'));
  }

  private async register(
    file: string,
    name: string,
    folder: string | null,
    info: { size: number; mtimeMs: number },
    workDir?: string,
  ): Promise<DocumentInfo> {
    let scratch = workDir;
    try {
      const facts = await probePhoto(file, name);
      scratch ??= await this.scratchDir();
      const doc: OpenDocument = {
        id: randomBytes(9).toString('base64url'),
        path: file,
        name,
        folder,
        facts,
        fileBytes: info.size,
        mtimeMs: info.mtimeMs,
        versions: [{ file }],
        workDir: scratch,
      };
      this.docs.set(doc.id, doc);
      const preview = await this.view(doc.id, 0, 'preview').catch(async (err: unknown) => {
        await this.close(doc.id);
        throw err;
      });
      const found = folder ? await readSidecarSummary(sidecarPathFor(file)) : null;
      const sidecar = found ? { ...found, grant: this.deps.grants.grant(found.path, 'read').grant } : null;
      return {
        id: doc.id,
        path: file,
        name,
        folder,
        format: facts.format,
        width: facts.width,
        height: facts.height,
        hasAlpha: facts.hasAlpha,
        fileBytes: info.size,
        preview,
        sidecar,
      };
    } catch (err) {
      if (scratch && !this.ownsScratch(scratch)) await rm(scratch, { recursive: true, force: true });
      throw err;
    }
  }

  private ownsScratch(dir: string): boolean {
    return [...this.docs.values()].some((d) => d.workDir === dir);
  }

  private forgetImages(doc: OpenDocument): void {
    for (const v of doc.versions) {
      if (v.preview) this.deps.images.delete(v.preview.handle);
      if (v.full) this.deps.images.delete(v.full.handle);
    }
  }
}

async function statFile(file: string): Promise<{ size: number; mtimeMs: number }> {
  try {
    const info = await stat(file);
    if (!info.isFile()) throw new EngineError('IMAGE_UNREADABLE', `${file} is not a file`);
    return { size: info.size, mtimeMs: info.mtimeMs };
  } catch (err) {
    if (err instanceof EngineError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    throw new EngineError(code === 'ENOENT' ? 'NOT_FOUND' : 'IMAGE_UNREADABLE', code === 'ENOENT' ? `${file} does not exist` : `Cannot read ${file}: ${code}`);
  }
}
