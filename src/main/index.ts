/** Electron main-process entry. All Electron wiring lives in ./app; the engine never imports electron. */
import { startApp } from './app/start';

startApp();
