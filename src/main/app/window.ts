import { BrowserWindow, dialog, screen } from 'electron';
import { fitToDisplays, loadWindowState, MIN_WINDOW_SIZE, saveWindowState, type WindowState } from './window-state';

export interface MainWindowOptions {
  readonly preload: string;
  readonly url: string;
  readonly stateFile: string;
  readonly title: string;
}

export async function createMainWindow(options: MainWindowOptions): Promise<BrowserWindow> {
  const saved = await loadWindowState(options.stateFile);
  const state = fitToDisplays(saved, screen.getAllDisplays().map((d) => d.workArea));

  const win = new BrowserWindow({
    x: state.x,
    y: state.y,
    width: state.width,
    height: state.height,
    minWidth: MIN_WINDOW_SIZE.width,
    minHeight: MIN_WINDOW_SIZE.height,
    title: options.title,
    show: false,
    // Matches the renderer's workspace colour, so no white flash before first paint.
    backgroundColor: '#16171a',
    webPreferences: {
      preload: options.preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
    },
  });
  if (state.maximized) win.maximize();
  win.once('ready-to-show', () => win.show());
  rememberBounds(win, options.stateFile);
  confirmUnsavedClose(win);
  await win.loadURL(options.url);
  return win;
}

/** Saves bounds shortly after moves/resizes and once more on close; failures are logged, never fatal. */
function rememberBounds(win: BrowserWindow, file: string): void {
  let timer: NodeJS.Timeout | undefined;
  const snapshot = (): WindowState => {
    // Normal bounds: the size to come back to after un-maximising.
    const b = win.getNormalBounds();
    return { x: b.x, y: b.y, width: b.width, height: b.height, maximized: win.isMaximized() };
  };
  const save = (state: WindowState) =>
    saveWindowState(file, state).catch((err) => console.error('[window] could not save window state:', err));
  const schedule = () => {
    clearTimeout(timer);
    timer = setTimeout(() => void save(snapshot()), 500);
  };
  win.on('resize', schedule);
  win.on('move', schedule);
  win.on('maximize', schedule);
  win.on('unmaximize', schedule);
  win.on('close', () => {
    clearTimeout(timer);
    void save(snapshot());
  });
}

/**
 * The renderer holds its unload while marks are unsaved (beforeunload in
 * app.svelte); Electron shows no prompt of its own for that, so main asks.
 * preventDefault here means "close anyway".
 */
function confirmUnsavedClose(win: BrowserWindow): void {
  win.webContents.on('will-prevent-unload', (event) => {
    const choice = dialog.showMessageBoxSync(win, {
      type: 'warning',
      buttons: ['Close Without Saving', 'Cancel'],
      defaultId: 1,
      cancelId: 1,
      title: 'Unsaved changes',
      message: 'Close Patina without saving your masks?',
      detail: 'Mask layers and restores since the last save will be lost. Save the project (Ctrl+S) to keep them.',
    });
    if (choice === 0) event.preventDefault();
  });
}
