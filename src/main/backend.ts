import { GrantTable } from './access/grants';
import { manifestEngineInfo, type EngineInfoProvider } from './about/engine-info';
import { createAboutHandlers } from './about/handlers';
import { createBatchCapability } from './batch/capability';
import { createDialogHandlers, type ChooseFolderDialog, type OpenImageDialog, type SaveFileDialog } from './dialogs/handlers';
import { createDocumentsCapability, type DocumentsCapability } from './documents/capability';
import type { RecentFiles } from './documents/recent';
import type { HandlerModule } from './ipc/handlers';
import { createRouter, type Router } from './ipc/router';
import { currentPlatformFacts, type DeviceSetting } from './inference/providers';
import { createDefectsCapability } from './defects/capability';
import { createSettingsHandlers } from './settings/handlers';
import { deviceChoices, SettingsStore, settingsFileIn } from './settings/store';
import { createRestoreCapability, resultSchemeUrl } from './restore/capability';
import { createToneHandlers } from './tone/handlers';
import { newJobId } from './jobs/job-id';
import { mapEngineError } from './ipc/engine-errors';
import type { ResultReader } from './jobs/result-store';

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
  /** "Save as" and folder choosers; without them those dialogs answer "cancelled". */
  readonly saveFileDialog?: SaveFileDialog;
  readonly chooseFolderDialog?: ChooseFolderDialog;
  /** Folder for small persistent state (recent files); kept in memory only when absent. */
  readonly stateDir?: string;
  /** Overrides what `app:info` reports about the engine (tests, or the engine once it runs). */
  readonly engineInfo?: EngineInfoProvider;
  /** Execution provider setting for the restore engine (default 'auto'). */
  readonly device?: DeviceSetting;
  /** URL the renderer loads a restore result from; default patina://result/<handle> (Electron). */
  readonly resultUrl?: (handle: string) => string;
  /** Shows a folder in the system's file manager (a batch's outputs); absent where there is none. */
  readonly openFolder?: (dir: string) => Promise<boolean>;
}

export interface Backend {
  readonly router: Router;
  /** Restore results by handle, for the transport that serves them (patina:// or the bridge's http route). */
  readonly results: ResultReader;
  /**
   * Files and folders the person chose (dialogs, drops, recent files): the
   * only paths the renderer can reach. The host grants a dropped file's path
   * (grantDroppedFile) and a recent file the menu opens.
   */
  readonly grants: GrantTable;
  /** Recently opened files: the app menu's Open Recent lists them and follows their changes. */
  readonly recent: Pick<RecentFiles, 'list' | 'clear' | 'subscribe'>;
  /** Stops background work (worker threads, queues); called on quit or bridge close. */
  dispose(): Promise<void>;
}

export function createBackend(options: BackendOptions): Backend {
  const resultUrl = options.resultUrl ?? resultSchemeUrl;
  // Restore resolves `image: { id }` through the open documents; documents commit restore results.
  const late: { documents?: DocumentsCapability } = {};
  const grants = new GrantTable();
  const settings = new SettingsStore(options.stateDir ? settingsFileIn(options.stateDir) : null);
  // The engine starts on the device asked for by the host (CLI flag, tests) or else the saved setting.
  const device = options.device ?? settings.get().device;
  const restore = createRestoreCapability({
    modelsDir: options.modelsDir,
    device,
    resultUrl,
    resolveImageId: (id) => late.documents?.documents.resolveImageId(id),
    grants,
  });
  const batch = createBatchCapability({
    restorer: restore.engine,
    urlFor: resultUrl,
    openFolder: options.openFolder,
    grants,
    // Documents and detection exist once the backend is built; a batch item opens only after that.
    openResult: {
      documents: () => docs.documents,
      detect: async (imagePath, settings) => (await defects.engine.detect({ imagePath, ...settings }).result).png,
    },
  });
  const docs = createDocumentsCapability({
    restoreResults: restore.results,
    urlFor: resultUrl,
    stateDir: options.stateDir,
    grants,
    batchPhoto: (batchId, itemId) => batch.photoOf(batchId, itemId),
    toneOnly: async (imagePath, tone) => {
      const result = await restore.engine.run({ jobId: newJobId(), imagePath, mask: { kind: 'none' }, output: { kind: 'buffer' }, options: { tone } }).result;
      if (result.status !== 'restored' || !result.bytes) throw new Error('Auto tone returned no image');
      return result.bytes;
    },
  });
  late.documents = docs;
  const defects = createDefectsCapability({
    modelsDir: options.modelsDir,
    resultUrl,
    resolveImageId: (id) => late.documents?.documents.resolveImageId(id),
    grants,
  });
  const engineInfo =
    options.engineInfo ?? manifestEngineInfo({ modelsDir: options.modelsDir, executionProvider: () => restore.executionProvider() });
  const modules: HandlerModule[] = [
    createAboutHandlers({ appName: options.appName, appVersion: options.appVersion, engineInfo }),
    createDialogHandlers(grants, options.openImageDialog, { saveFile: options.saveFileDialog, chooseFolder: options.chooseFolderDialog }),
    restore.handlers,
    createSettingsHandlers({
      store: settings,
      devices: () => deviceChoices(currentPlatformFacts()),
      deviceInUse: () => restore.executionProvider(),
      startedWith: device,
    }),
    docs.handlers,
    batch.handlers,
    defects.handlers,
    createToneHandlers({ modelsDir: options.modelsDir, versionFile: (id, version) => docs.documents.version(docs.documents.get(id), version).file }),
  ];
  return {
    router: createRouter(modules, { mapError: mapEngineError }),
    // One handle space: restore results and the documents' display images / masks share the transport.
    results: {
      get: (handle) =>
        restore.results.get(handle) ?? docs.images.get(handle) ?? batch.images.get(handle) ?? defects.results.get(handle),
    },
    grants,
    recent: docs.recent,
    dispose: async () => {
      // Batches first: they cancel their jobs and save their journals while the engine still answers.
      await batch.dispose();
      await restore.dispose();
      await defects.dispose();
      await docs.dispose();
    },
  };
}
