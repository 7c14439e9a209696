// @ts-check
/*
 * Runs in the browser page the test bridge serves, before the app's own
 * scripts. It plays the preload's part: defines exactly `window.patina`
 * ({ invoke, on }) and forwards over a WebSocket to the bridge, which calls
 * the same router the Electron app uses. The file is a single function
 * expression: the bridge serves it as `(<this file>)(config);`.
 * Frame format: src/main/bridge/frames.ts.
 */
// eslint-disable-next-line @typescript-eslint/no-unused-expressions -- the bridge appends the call
(
  /**
   * @param {{ wsUrl: string; requestChannels: string[]; eventChannels: string[] }} config
   */
  function installPatinaBridge(config) {
    const requestChannels = new Set(config.requestChannels);
    const eventChannels = new Set(config.eventChannels);
    /** @type {Map<number, (result: unknown) => void>} */
    const pending = new Map();
    /** @type {Map<string, Set<(payload: unknown) => void>>} */
    const listeners = new Map();
    /** @type {(string | ArrayBufferView | ArrayBuffer)[]} frames waiting for the socket to open */
    const outbox = [];
    let nextId = 1;
    let closed = false;

    /** @param {string} code @param {string} message */
    const failure = (code, message) => ({ ok: false, error: { code, message } });

    const socket = new WebSocket(config.wsUrl);
    socket.addEventListener('open', () => {
      for (const frame of outbox.splice(0)) socket.send(frame);
    });
    socket.addEventListener('message', (event) => {
      /** @type {any} */
      let frame;
      try {
        frame = JSON.parse(String(event.data));
      } catch {
        console.error('[patina bridge] unreadable frame from bridge');
        return;
      }
      if (frame.type === 'result') {
        const resolve = pending.get(frame.id);
        pending.delete(frame.id);
        resolve?.(frame.result);
      } else if (frame.type === 'event') {
        for (const listener of listeners.get(frame.event) ?? []) {
          try {
            listener(frame.payload);
          } catch (err) {
            console.error(err);
          }
        }
      } else if (frame.type === 'error') {
        console.error('[patina bridge]', frame.error?.message);
      }
    });
    socket.addEventListener('close', () => {
      closed = true;
      for (const resolve of pending.values()) resolve(failure('UNAVAILABLE', 'The bridge connection closed'));
      pending.clear();
    });

    const api = Object.freeze({
      /** @param {string} channel @param {unknown} [arg] */
      invoke(channel, arg) {
        if (!requestChannels.has(channel)) {
          return Promise.resolve(failure('UNKNOWN_CHANNEL', `Unknown request channel ${JSON.stringify(String(channel))}`));
        }
        if (closed) return Promise.resolve(failure('UNAVAILABLE', 'The bridge connection closed'));
        const id = nextId++;
        // Byte arrays (mask PNGs, dropped files) go as binary frames right after the
        // JSON frame, which names them { $binary: i }: the preload's structured clone, by other means.
        /** @type {ArrayBufferView[]} */
        const binaries = [];
        const json = JSON.stringify(arg === undefined ? {} : { arg }, (_key, value) => {
          if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer) {
            binaries.push(value instanceof ArrayBuffer ? new Uint8Array(value) : value);
            return { $binary: binaries.length - 1 };
          }
          return value;
        });
        const frame = JSON.stringify({ type: 'invoke', id, channel, ...JSON.parse(json), ...(binaries.length ? { binaries: binaries.length } : {}) });
        return new Promise((resolve) => {
          pending.set(id, resolve);
          for (const part of [frame, ...binaries]) {
            if (socket.readyState === WebSocket.OPEN) socket.send(part);
            else outbox.push(part);
          }
        });
      },
      /** @param {string} event @param {(payload: unknown) => void} listener */
      on(event, listener) {
        if (!eventChannels.has(event)) throw new TypeError(`Unknown event channel ${JSON.stringify(String(event))}`);
        if (typeof listener !== 'function') throw new TypeError('Listener must be a function');
        let set = listeners.get(event);
        if (!set) listeners.set(event, (set = new Set()));
        set.add(listener);
        return () => {
          set.delete(listener);
        };
      },
      /** A browser never reveals where a dropped file lives, so there is nothing to grant; the editor imports its bytes instead. */
      grantFile() {
        return Promise.resolve(null);
      },
    });
    Object.defineProperty(window, 'patina', { value: api, enumerable: true, configurable: false, writable: false });
  }
)
