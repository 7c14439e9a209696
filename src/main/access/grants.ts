import { randomBytes } from 'node:crypto';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { GrantedPath, GrantKind, PhotoRef } from '@shared/ipc/grants';
import { IpcFailure } from '../ipc/router';

/** What a request does with a handle; each use accepts exactly one kind of grant. */
export type GrantUse = GrantKind;

const VERBS: Readonly<Record<GrantUse, string>> = {
  read: 'open it',
  write: 'write to it',
  folder: 'use it',
};

/** How a refused handle is named in the message (the field a request put it in). */
export interface GrantRefusal {
  /** The argument field, e.g. 'output.folder', for details and logs. */
  readonly field: string;
}

/**
 * Main's table of files and folders the person chose (see
 * src/shared/ipc/grants.ts): the only way a renderer request reaches a path.
 * A handle is 144 random bits, so none can be guessed; granting the same path
 * for the same use again answers the same handle, so a table fed by repeated
 * dialogs stays small. Grants live as long as the backend (the app's run, a
 * bridge session): after a restart the person chooses again.
 */
export class GrantTable {
  private readonly byId = new Map<string, { readonly path: string; readonly kind: GrantKind }>();
  private readonly byKey = new Map<string, string>();

  /** Grants `kind` access to an absolute path main got from the person (a dialog, a drop) or derived itself. */
  grant(p: string, kind: GrantKind): GrantedPath {
    if (!path.isAbsolute(p)) throw new Error(`Only absolute paths are granted (got "${p}")`);
    const resolved = path.resolve(p);
    const key = `${kind}\0${resolved}`;
    let id = this.byKey.get(key);
    if (!id) {
      id = randomBytes(18).toString('base64url');
      this.byId.set(id, { path: resolved, kind });
      this.byKey.set(key, id);
    }
    return { grant: id, path: resolved };
  }

  /**
   * The path behind a handle a request sent, for `use`; an IpcFailure
   * NOT_GRANTED (in the person's words) when main never issued it or issued
   * it for another use.
   */
  use(id: string, use: GrantUse, refusal: GrantRefusal): string {
    const entry = this.byId.get(id);
    if (entry && entry.kind === use) return entry.path;
    const what = use === 'folder' ? 'That folder' : 'That file';
    const how =
      use === 'folder' ? 'choose it with Choose…' : use === 'write' ? 'choose where to save in the Save dialog' : 'open it with File ▸ Open or drop it on the window';
    throw new IpcFailure(
      'NOT_GRANTED',
      `${what} was not chosen in Patina, so Patina will not ${VERBS[use]}: ${how}.`,
      { field: refusal.field, use },
    );
  }

  /** How many handles are live (tests). */
  get size(): number {
    return this.byId.size;
  }
}

/**
 * A file the person dropped on the window (its path from Electron's
 * webUtils in the preload, which only real files from disk have): granted
 * for reading when it is an existing regular file; null otherwise.
 */
export async function grantDroppedFile(grants: GrantTable, p: unknown): Promise<GrantedPath | null> {
  if (typeof p !== 'string' || p.length === 0 || p.length > 4096 || !path.isAbsolute(p)) return null;
  const info = await stat(p).catch(() => null);
  return info?.isFile() ? grants.grant(p, 'read') : null;
}

/** Where the photo a request names is found: the person's grants, and the ids main handed out. */
export interface PhotoSources {
  /** The files and folders the person chose: the only paths a request can reach. */
  readonly grants: GrantTable;
  /** Resolves `image: { id }` (an open document's version, a batch item) to its file; absent where main hands out none. */
  readonly resolveImageId?: (id: string) => string | undefined;
}

/**
 * The path of the photo a request names: the file behind a read handle, or
 * behind an id main handed out; an IpcFailure NOT_GRANTED or NOT_FOUND
 * otherwise.
 */
export function resolvePhoto(image: PhotoRef, sources: PhotoSources): string {
  if ('grant' in image) return sources.grants.use(image.grant, 'read', { field: 'image.grant' });
  const found = sources.resolveImageId?.(image.id);
  if (!found) throw new IpcFailure('NOT_FOUND', `No open image with id "${image.id}"`);
  return found;
}
