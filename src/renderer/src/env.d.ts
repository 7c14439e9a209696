/// <reference types="svelte" />
/// <reference types="vite/client" />
import type { PatinaApi } from '@shared/ipc/contract';

declare global {
  interface Window {
    /** Provided by the preload (Electron) or the test bridge's shim (browser); absent elsewhere. */
    readonly patina?: PatinaApi;
  }
}
