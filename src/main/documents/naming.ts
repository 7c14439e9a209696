import path from 'node:path';
import type { ExportFormat } from '@shared/ipc/documents';
import { writtenExtension } from '@shared/photo-formats';
import { PROJECT_EXTENSION } from '@shared/ipc/project';
import { stemOf } from '../imaging/files';

/** The default export name: `<stem>_restored.<ext>` in `folder`. */
export function exportPathFor(photoName: string, folder: string, format: ExportFormat): string {
  return path.join(folder, `${stemOf(photoName)}_restored.${writtenExtension(format)}`);
}

/** The project sidecar beside a photo: `<folder>/<stem>.patina`. */
export function sidecarPathFor(photoPath: string): string {
  return path.join(path.dirname(photoPath), `${stemOf(path.basename(photoPath))}.${PROJECT_EXTENSION}`);
}

/**
 * Same file, as far as paths can tell: resolved, and case-folded where the
 * usual file systems ignore case. (Hard links and symlinks are caught
 * separately by comparing inodes where the file exists.)
 */
export function samePath(a: string, b: string, platform: NodeJS.Platform = process.platform): boolean {
  const norm = (p: string) => {
    const resolved = path.resolve(p);
    return platform === 'win32' || platform === 'darwin' ? resolved.toLowerCase() : resolved;
  };
  return norm(a) === norm(b);
}
