import path from 'node:path';
import { app } from 'electron';

/*
 * Where the built pieces live. Everything is resolved from the app root
 * (the folder with package.json, or app.asar when packaged) rather than from
 * import.meta.url, because the bundler may move code into chunk files.
 */

export function rendererDir(): string {
  return path.join(app.getAppPath(), 'out', 'renderer');
}

export function preloadPath(): string {
  return path.join(app.getAppPath(), 'out', 'preload', 'index.cjs');
}

/** models/ is unpacked from the asar (electron-builder asarUnpack) so native code can open the files. */
export function modelsDir(): string {
  return app.isPackaged
    ? path.join(process.resourcesPath, 'app.asar.unpacked', 'models')
    : path.join(app.getAppPath(), 'models');
}

export function windowStateFile(): string {
  return path.join(app.getPath('userData'), 'window-state.json');
}

/** Vite's dev server URL, set by `electron-vite dev`; ignored in packaged builds. */
export function devServerUrl(): string | undefined {
  const url = process.env['ELECTRON_RENDERER_URL'];
  return !app.isPackaged && url ? url : undefined;
}
