/*
 * Sandboxed preload (built as CommonJS: sandboxed preloads cannot load ES
 * modules). No logic beyond the contract's channel lists: it exposes exactly
 * `window.patina` and nothing else. Main validates every argument; the checks
 * here only keep unknown channel names off the wire.
 */
import { contextBridge, ipcRenderer, webUtils, type IpcRendererEvent } from 'electron';
import {
  DROPPED_FILE_CHANNEL,
  EVENT_CHANNELS,
  REQUEST_CHANNELS,
  type EventChannel,
  type EventPayload,
  type PatinaApi,
  type RequestChannel,
} from '@shared/ipc/contract';
import { fail } from '@shared/ipc/errors';

const requestChannels = new Set<string>(REQUEST_CHANNELS);
const eventChannels = new Set<string>(EVENT_CHANNELS);

const api: PatinaApi = {
  invoke(channel: RequestChannel, ...args: unknown[]) {
    if (!requestChannels.has(channel)) {
      return Promise.resolve(fail('UNKNOWN_CHANNEL', `Unknown request channel ${JSON.stringify(String(channel))}`));
    }
    return ipcRenderer.invoke(channel, args[0]);
  },
  on<E extends EventChannel>(event: E, listener: (payload: EventPayload<E>) => void) {
    if (!eventChannels.has(event)) throw new TypeError(`Unknown event channel ${JSON.stringify(String(event))}`);
    if (typeof listener !== 'function') throw new TypeError('Listener must be a function');
    // Wrapped so the renderer never sees the IpcRendererEvent (it exposes `sender`).
    const wrapped = (_event: IpcRendererEvent, payload: EventPayload<E>) => listener(payload);
    ipcRenderer.on(event, wrapped);
    return () => {
      ipcRenderer.removeListener(event, wrapped);
    };
  },
  async grantFile(file: object) {
    // Only a File from disk (dropped, or picked in a file input) has a path; one made in the
    // page gives '' and anything that is no File throws. Main grants the path it is sent here,
    // on a channel the renderer's invoke cannot reach, so the page cannot name a path itself.
    let filePath: string;
    try {
      filePath = webUtils.getPathForFile(file as File);
    } catch {
      return null;
    }
    if (!filePath) return null;
    return ipcRenderer.invoke(DROPPED_FILE_CHANNEL, filePath);
  },
} as PatinaApi;

contextBridge.exposeInMainWorld('patina', api);
