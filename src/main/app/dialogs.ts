import { BrowserWindow, dialog, type OpenDialogOptions } from 'electron';
import { IMAGE_FILE_EXTENSIONS } from '@shared/ipc/dialog';
import type { OpenImageDialog } from '../dialogs/handlers';

export function electronOpenImageDialog(): OpenImageDialog {
  return async ({ multiple, title }) => {
    const options: OpenDialogOptions = {
      title: title ?? (multiple ? 'Open Photos' : 'Open Photo'),
      properties: multiple ? ['openFile', 'multiSelections'] : ['openFile'],
      filters: [{ name: 'Images', extensions: [...IMAGE_FILE_EXTENSIONS] }],
    };
    const parent = BrowserWindow.getFocusedWindow();
    const result = parent ? await dialog.showOpenDialog(parent, options) : await dialog.showOpenDialog(options);
    return result.canceled ? [] : result.filePaths;
  };
}
