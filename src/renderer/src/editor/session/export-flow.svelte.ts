import { EXPORT_FORMATS, type DocumentExportResult, type DocumentInfo, type ExportFormat } from '@shared/ipc/documents';
import type { GrantedPath } from '@shared/ipc/grants';
import type { ToneOptions } from '@shared/ipc/tone';
import { PHOTO_FORMAT_EXTENSIONS, PHOTO_FORMAT_LABELS, writtenExtension } from '@shared/photo-formats';
import { baseName } from '../../lib/format';
import { IpcRequestError, request } from '../../lib/ipc';

export const FORMAT_LABELS: Readonly<Record<ExportFormat, string>> = PHOTO_FORMAT_LABELS;
/** Formats whose size/quality trade-off the person chooses. */
const LOSSY_FORMATS: readonly ExportFormat[] = ['jpeg', 'webp'];
export const isLossy = (format: ExportFormat): boolean => LOSSY_FORMATS.includes(format);

export type Confirm = (options: { title: string; message: string; confirmLabel: string; danger?: boolean }) => Promise<boolean>;

/**
 * The export dialog's state and the one path every export takes: plan the
 * default `<stem>_restored.<ext>` (beside the original, or in a chosen
 * folder), confirm before replacing anything (the original needs its own,
 * explicit confirmation), then ask main to write it. Files and folders go to
 * main as the handles it granted (the folder chooser, the plan, Save as).
 */
export class ExportFlow {
  open = $state(false);
  format = $state<ExportFormat>('jpeg');
  /** The format the dialog opens with (the settings' export format): the photo's own, or one for all. */
  defaultFormat: ExportFormat | 'same' = 'same';
  quality = $state(92);
  /** Export folder chosen in the folder chooser; null = beside the original. */
  folder = $state<GrantedPath | null>(null);
  /** The planned file (shown); `targetGrant` is main's write handle for it. */
  target = $state<string | null>(null);
  private targetGrant: string | null = null;
  targetExists = $state(false);
  targetIsOriginal = $state(false);
  busy = $state(false);
  error = $state<string | null>(null);

  constructor(private readonly confirm: Confirm) {}

  show(doc: DocumentInfo): void {
    this.format = this.defaultFormat === 'same' ? doc.format : this.defaultFormat;
    this.error = null;
    if (!doc.folder && !this.folder) this.folder = null;
    this.open = true;
    void this.plan(doc);
  }

  async plan(doc: DocumentInfo): Promise<void> {
    this.error = null;
    if (!doc.folder && !this.folder) {
      this.target = null;
      return;
    }
    try {
      const plan = await request('document:export-plan', { id: doc.id, format: this.format, ...(this.folder ? { folder: this.folder.grant } : {}) });
      this.target = plan.path;
      this.targetGrant = plan.grant;
      this.targetExists = plan.exists;
      this.targetIsOriginal = plan.isOriginal;
    } catch (err) {
      this.target = null;
      this.targetGrant = null;
      this.error = err instanceof Error ? err.message : String(err);
    }
  }

  async chooseFolder(doc: DocumentInfo): Promise<void> {
    const { folder } = await request('dialog:choose-folder', { title: 'Export Into Folder', ...(doc.folder ? { defaultPath: this.folder?.path ?? doc.folder } : {}) });
    if (!folder) return;
    this.folder = folder;
    await this.plan(doc);
  }

  async besideOriginal(doc: DocumentInfo): Promise<void> {
    this.folder = null;
    await this.plan(doc);
  }

  /** "Save as…": any name and place; the OS dialog confirms replacing a file, we still guard the original. */
  async saveAs(doc: DocumentInfo, version: number, tone?: ToneOptions): Promise<DocumentExportResult | null> {
    const ext = writtenExtension(this.format);
    const suggested = this.target ?? `${baseName(doc.name).replace(/\.[^.]+$/, '')}_restored.${ext}`;
    const { file } = await request('dialog:save-file', {
      title: 'Export Restored Photo',
      defaultPath: suggested,
      filters: [{ name: FORMAT_LABELS[this.format], extensions: [...PHOTO_FORMAT_EXTENSIONS[this.format]] }],
    });
    if (!file) return null;
    return this.write(doc, version, file.grant, { overwrite: true }, tone);
  }

  /**
   * Exports to the planned target, confirming first when it would replace something.
   * `tone`: Auto tone on in the editor and not yet applied by a Restore; the file is that version toned.
   */
  async exportPlanned(doc: DocumentInfo, version: number, tone?: ToneOptions): Promise<DocumentExportResult | null> {
    if (!this.target || !this.targetGrant) {
      this.error = 'Choose a folder to export into';
      return null;
    }
    let overwrite = false;
    if (this.targetExists && !this.targetIsOriginal) {
      overwrite = await this.confirm({
        title: 'Replace the existing file?',
        message: `${baseName(this.target)} already exists in that folder. Replacing it cannot be undone.`,
        confirmLabel: 'Replace',
        danger: true,
      });
      if (!overwrite) return null;
    }
    return this.write(doc, version, this.targetGrant, { overwrite }, tone);
  }

  private async write(doc: DocumentInfo, version: number, grant: string, opts: { overwrite: boolean }, tone?: ToneOptions): Promise<DocumentExportResult | null> {
    this.busy = true;
    this.error = null;
    const args = { id: doc.id, version, grant, format: this.format, ...(isLossy(this.format) ? { quality: this.quality } : {}), ...(tone ? { tone } : {}) };
    try {
      return await request('document:export', { ...args, overwrite: opts.overwrite });
    } catch (err) {
      if (err instanceof IpcRequestError && err.code === 'OUTPUT_IS_ORIGINAL') {
        const sure = await this.confirm({
          title: 'Replace the original photo?',
          message: `This writes over ${doc.name} itself. The original scan will be gone; Patina keeps no copy.`,
          confirmLabel: 'Replace original',
          danger: true,
        });
        if (!sure) return null;
        try {
          return await request('document:export', { ...args, replaceOriginal: true });
        } catch (again) {
          this.error = again instanceof Error ? again.message : String(again);
          return null;
        }
      }
      this.error = err instanceof Error ? err.message : String(err);
      return null;
    } finally {
      this.busy = false;
    }
  }
}

export { EXPORT_FORMATS };
