import { ipcMain, type IpcMainInvokeEvent, type WebContents } from 'electron';
import type { EventChannel, EventPayload } from '@shared/ipc/contract';
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
