import type { OpenImageArgs, OpenImageResult } from '@shared/ipc/dialog';
import { defineHandlers } from '../ipc/handlers';

/**
 * Shows an "open image" chooser and resolves to the chosen absolute paths
 * (empty when cancelled). Electron's native dialog in the app
 * (src/main/app/dialogs.ts); a test-controlled one in the bridge.
 */
export type OpenImageDialog = (options: { readonly multiple: boolean; readonly title?: string }) => Promise<string[]>;

export function createDialogHandlers(openImage: OpenImageDialog) {
  return defineHandlers({
    'dialog:open-image': async (arg: OpenImageArgs): Promise<OpenImageResult> => {
      const paths = await openImage({ multiple: arg?.multiple ?? false, title: arg?.title });
      return { paths };
    },
  });
}
