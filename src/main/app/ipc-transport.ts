import { ipcMain, type IpcMainInvokeEvent, type WebContents } from 'electron';
import { DROPPED_FILE_CHANNEL, type EventChannel, type EventPayload } from '@shared/ipc/contract';
import { grantDroppedFile, type GrantTable } from '../access/grants';
import { fail } from '@shared/ipc/errors';
import type { CallContext } from '../ipc/handlers';
import type { Router } from '../ipc/router';

/**
 * Serves the router over Electron IPC: one `ipcMain.handle` per contract
 * channel. Calls from frames that are not our renderer (an injected iframe, a
 * navigated page) are refused before any argument is looked at.
 */
export function serveRouterOverIpc(router: Router, isTrustedUrl: (url: string) => boolean): () => void {
  for (const channel of router.channels) {
    ipcMain.handle(channel, (event: IpcMainInvokeEvent, arg: unknown) => {
      const frameUrl = event.senderFrame?.url;
      if (!frameUrl || !isTrustedUrl(frameUrl)) {
        return fail('UNAVAILABLE', `Refused ${channel} from an untrusted frame`);
      }
      return router.dispatch(channel, arg, contextFor(event.sender));
    });
  }
  return () => {
    for (const channel of router.channels) ipcMain.removeHandler(channel);
  };
}

/**
 * The preload's own channel (not in the contract's `requests`, so the
 * renderer's `invoke` cannot reach it): a dropped file's path, which only the
 * preload can read from a real File (webUtils), granted for reading.
 */
export function serveDroppedFileGrants(grants: GrantTable, isTrustedUrl: (url: string) => boolean): () => void {
  ipcMain.handle(DROPPED_FILE_CHANNEL, async (event: IpcMainInvokeEvent, filePath: unknown) => {
    const frameUrl = event.senderFrame?.url;
    if (!frameUrl || !isTrustedUrl(frameUrl)) return null;
    return grantDroppedFile(grants, filePath);
  });
  return () => ipcMain.removeHandler(DROPPED_FILE_CHANNEL);
}

/** Typed push of a contract event to one window; silently dropped once the window is gone. */
export function emitTo<E extends EventChannel>(contents: WebContents, event: E, payload: EventPayload<E>): void {
  if (!contents.isDestroyed()) contents.send(event, payload);
}

function contextFor(sender: WebContents): CallContext {
  return {
    callerId: `webContents:${sender.id}`,
    emit: (event, payload) => emitTo(sender, event, payload),
  };
}
