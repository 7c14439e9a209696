import { app, Menu, shell, type BrowserWindow } from 'electron';
import { createBackend, type Backend } from '../backend';
import { electronChooseFolderDialog, electronOpenImageDialog, electronSaveFileDialog } from './dialogs';
import { emitTo, serveDroppedFileGrants, serveRouterOverIpc } from './ipc-transport';
import type { RecentList } from '../documents/recent';
import { buildMenuTemplate } from './menu-template';
import { devServerUrl, modelsDir, preloadPath, rendererDir, windowStateFile } from './paths';
import { APP_ENTRY_URL, registerAppScheme, serveRenderer } from './protocol';
import { RESULT_SCHEME_PRIVILEGES, serveResults } from './result-protocol';
import { hardenApp } from './security';
import { createMainWindow } from './window';

const APP_NAME = 'Patina';

/** Electron entry: one instance, one window, everything else delegated to the backend. */
export function startApp(): void {
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }
  // Every renderer sandboxed, whatever a window's own settings say (must precede 'ready').
  app.enableSandbox();
  registerAppScheme([RESULT_SCHEME_PRIVILEGES]);

  const devUrl = devServerUrl();
  const entryUrl = devUrl ?? APP_ENTRY_URL;
  const trustedOrigin = new URL(entryUrl).origin;
  const isAppUrl = (url: string): boolean => {
    try {
      return new URL(url).origin === trustedOrigin;
    } catch {
      return false;
    }
  };

  let window: BrowserWindow | null = null;
  let backend: Backend | null = null;

  app.on('second-instance', () => {
    if (!window) return;
    if (window.isMinimized()) window.restore();
    window.focus();
  });

  app.on('window-all-closed', () => app.quit());

  app.on('will-quit', (event) => {
    if (!backend) return;
    // Let background work (worker threads, queues) stop cleanly before exit.
    const closing = backend;
    backend = null;
    event.preventDefault();
    closing
      .dispose()
      .catch((err: unknown) => console.error('[app] backend dispose failed:', err))
      .finally(() => app.quit());
  });

  void app.whenReady().then(async () => {
    hardenApp(isAppUrl);
    if (!devUrl) serveRenderer(rendererDir());
    backend = createBackend({
      appName: APP_NAME,
      appVersion: app.getVersion(),
      modelsDir: modelsDir(),
      openImageDialog: electronOpenImageDialog(),
      saveFileDialog: electronSaveFileDialog(),
      chooseFolderDialog: electronChooseFolderDialog(),
      stateDir: app.getPath('userData'),
      // shell.openPath answers '' on success, else the reason.
      openFolder: async (dir) => (await shell.openPath(dir)) === '',
    });
    serveResults(backend.results, trustedOrigin);
    serveRouterOverIpc(backend.router, isAppUrl);
    serveDroppedFileGrants(backend.grants, isAppUrl);

    // Rebuilt whenever the recent list changes, so File ▸ Open Recent stays current.
    const installMenu = (recent: RecentList): void => {
      const template = buildMenuTemplate({
        platform: process.platform,
        appName: APP_NAME,
        developer: !app.isPackaged,
        send: (command) => {
          if (window) emitTo(window.webContents, 'menu:command', { command });
        },
        recent: recent.files,
        openRecent: (path) => {
          // The person picked it from the menu: that is the grant.
          if (window && backend) emitTo(window.webContents, 'menu:open-recent', backend.grants.grant(path, 'read'));
        },
        clearRecent: () => void backend?.recent.clear(),
      });
      Menu.setApplicationMenu(Menu.buildFromTemplate(template));
    };
    installMenu(await backend.recent.list());
    backend.recent.subscribe(installMenu);

    window = await createMainWindow({
      preload: preloadPath(),
      url: entryUrl,
      stateFile: windowStateFile(),
      title: APP_NAME,
    });
    window.on('closed', () => {
      window = null;
    });
  });
}
