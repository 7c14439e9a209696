import { manifestEngineInfo, type EngineInfoProvider } from './about/engine-info';
import { createAboutHandlers } from './about/handlers';
import { createDialogHandlers, type OpenImageDialog } from './dialogs/handlers';
import type { HandlerModule } from './ipc/handlers';
import { createRouter, type Router } from './ipc/router';
import type { DeviceSetting } from './inference/providers';
import { createRestoreCapability } from './restore/capability';
import { mapEngineError } from './restore/handlers';
import type { ResultReader } from './restore/result-store';

/**
 * The composition root of everything the renderer can call. Electron
 * (src/main/app) and the test bridge (src/main/bridge) both build their
 * transport on this, so the renderer sees the same backend in both.
 * Capabilities add their handler module to `modules` below.
 */
export interface BackendOptions {
  readonly appName: string;
  readonly appVersion: string;
  /** Folder holding manifest.json and the ONNX model files. */
  readonly modelsDir: string;
  /** Host-specific pieces: the native dialog in Electron, a scripted one in the bridge. */
  readonly openImageDialog: OpenImageDialog;
  /** Overrides what `app:info` reports about the engine (tests, or the engine once it runs). */
  readonly engineInfo?: EngineInfoProvider;
  /** Execution provider setting for the restore engine (default 'auto'). */
  readonly device?: DeviceSetting;
  /** URL the renderer loads a restore result from; default patina://result/<handle> (Electron). */
  readonly resultUrl?: (handle: string) => string;
}

export interface Backend {
  readonly router: Router;
  /** Restore results by handle, for the transport that serves them (patina:// or the bridge's http route). */
  readonly results: ResultReader;
  /** Stops background work (worker threads, queues); called on quit or bridge close. */
  dispose(): Promise<void>;
}

export function createBackend(options: BackendOptions): Backend {
  const restore = createRestoreCapability({ modelsDir: options.modelsDir, device: options.device, resultUrl: options.resultUrl });
  const engineInfo =
    options.engineInfo ?? manifestEngineInfo({ modelsDir: options.modelsDir, executionProvider: () => restore.executionProvider() });
  const modules: HandlerModule[] = [
    createAboutHandlers({ appName: options.appName, appVersion: options.appVersion, engineInfo }),
    createDialogHandlers(options.openImageDialog),
    restore.handlers,
  ];
  return {
    router: createRouter(modules, { mapError: mapEngineError }),
    results: restore.results,
    dispose: () => restore.dispose(),
  };
}
