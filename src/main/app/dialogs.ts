import { BrowserWindow, dialog, type OpenDialogOptions, type SaveDialogOptions } from 'electron';
import { PHOTO_EXTENSIONS } from '@shared/photo-formats';
import { PROJECT_EXTENSION } from '@shared/ipc/project';
import type { ChooseFolderDialog, OpenImageDialog, SaveFileDialog } from '../dialogs/handlers';

export function electronOpenImageDialog(): OpenImageDialog {
  return async ({ multiple, title, projects }) => {
    const images = { name: 'Images', extensions: [...PHOTO_EXTENSIONS] };
    const options: OpenDialogOptions = {
      title: title ?? (multiple ? 'Open Photos' : 'Open Photo'),
      properties: multiple ? ['openFile', 'multiSelections'] : ['openFile'],
      filters: projects
        ? [
            { name: 'Photos and Patina projects', extensions: [...PHOTO_EXTENSIONS, PROJECT_EXTENSION] },
            images,
            { name: 'Patina projects', extensions: [PROJECT_EXTENSION] },
          ]
        : [images],
    };
    const parent = BrowserWindow.getFocusedWindow();
    const result = parent ? await dialog.showOpenDialog(parent, options) : await dialog.showOpenDialog(options);
    return result.canceled ? [] : result.filePaths;
  };
}

/** The OS "save as" sheet; it asks before replacing an existing file itself. */
export function electronSaveFileDialog(): SaveFileDialog {
  return async ({ title, defaultPath, filters }) => {
    const options: SaveDialogOptions = {
      title,
      defaultPath,
      filters: filters?.map((f) => ({ name: f.name, extensions: [...f.extensions] })),
      properties: ['createDirectory', 'showOverwriteConfirmation'],
    };
    const parent = BrowserWindow.getFocusedWindow();
    const result = parent ? await dialog.showSaveDialog(parent, options) : await dialog.showSaveDialog(options);
    return result.canceled || !result.filePath ? null : result.filePath;
  };
}

export function electronChooseFolderDialog(): ChooseFolderDialog {
  return async ({ title, defaultPath }) => {
    const options: OpenDialogOptions = { title: title ?? 'Choose Folder', defaultPath, properties: ['openDirectory', 'createDirectory'] };
    const parent = BrowserWindow.getFocusedWindow();
    const result = parent ? await dialog.showOpenDialog(parent, options) : await dialog.showOpenDialog(options);
    return result.canceled ? null : (result.filePaths[0] ?? null);
  };
}
