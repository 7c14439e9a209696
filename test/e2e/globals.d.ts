import type { PatinaApi } from '../../src/shared/ipc/contract';

// What page.evaluate callbacks see: the preload's (or bridge shim's) API.
declare global {
  interface Window {
    readonly patina?: PatinaApi;
  }
}
