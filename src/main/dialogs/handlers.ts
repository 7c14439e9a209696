import type { ChooseFolderResult, OpenImageArgs, OpenImageResult, SaveFileResult } from '@shared/ipc/dialog';
import type { GrantTable } from '../access/grants';
import { defineHandlers } from '../ipc/handlers';

/**
 * Shows an "open image" chooser and resolves to the chosen absolute paths
 * (empty when cancelled). Electron's native dialog in the app
 * (src/main/app/dialogs.ts); a test-controlled one in the bridge.
 * With `projects`, saved editor projects (.patina) are offered too.
 */
export type OpenImageDialog = (options: { readonly multiple: boolean; readonly title?: string; readonly projects?: boolean }) => Promise<string[]>;

export interface FileFilter {
  readonly name: string;
  readonly extensions: readonly string[];
}

/** "Save as" chooser: the chosen absolute path, or null when cancelled. */
export type SaveFileDialog = (options: {
  readonly title?: string;
  readonly defaultPath?: string;
  readonly filters?: readonly FileFilter[];
}) => Promise<string | null>;

/** Folder chooser: the chosen absolute folder, or null when cancelled. */
export type ChooseFolderDialog = (options: { readonly title?: string; readonly defaultPath?: string }) => Promise<string | null>;

export interface MoreDialogs {
  readonly saveFile?: SaveFileDialog;
  readonly chooseFolder?: ChooseFolderDialog;
}

/**
 * The dialogs are where the person grants access: each answer comes back with
 * a handle (read for opened files, write for a "save as" answer, folder for a
 * chosen folder) and requests name files only by those handles.
 * Hosts without a save or folder dialog (tests) answer "cancelled".
 */
export function createDialogHandlers(grants: GrantTable, openImage: OpenImageDialog, more: MoreDialogs = {}) {
  return defineHandlers({
    'dialog:open-image': async (arg: OpenImageArgs): Promise<OpenImageResult> => {
      const paths = await openImage({ multiple: arg?.multiple ?? false, title: arg?.title, ...(arg?.projects ? { projects: true } : {}) });
      return { files: paths.map((p) => grants.grant(p, 'read')) };
    },
    'dialog:save-file': async (arg): Promise<SaveFileResult> => {
      const chosen = more.saveFile ? await more.saveFile(arg) : null;
      return { file: chosen ? grants.grant(chosen, 'write') : null };
    },
    'dialog:choose-folder': async (arg): Promise<ChooseFolderResult> => {
      const chosen = more.chooseFolder ? await more.chooseFolder(arg ?? {}) : null;
      return { folder: chosen ? grants.grant(chosen, 'folder') : null };
    },
  });
}
