import type { DeviceSetting } from '@shared/ipc/settings';
import { defineHandlers, type HandlerModule } from '../ipc/handlers';
import { IpcFailure } from '../ipc/router';
import type { SettingsStore } from './store';

export interface SettingsHandlerDeps {
  readonly store: SettingsStore;
  /** Device choices present on this computer. */
  readonly devices: () => readonly DeviceSetting[];
  /** The provider the restore engine runs on. */
  readonly deviceInUse: () => Promise<string | null>;
  /** The device setting the engine was started with (a change applies after a restart). */
  readonly startedWith: DeviceSetting;
}

/** `settings:get` / `settings:set`. Arguments arrive schema-checked; a device this computer lacks is refused. */
export function createSettingsHandlers(deps: SettingsHandlerDeps): HandlerModule {
  const view = async () => {
    const settings = deps.store.get();
    return {
      settings,
      devices: deps.devices(),
      deviceInUse: await deps.deviceInUse(),
      restartForDevice: settings.device !== deps.startedWith,
    };
  };
  return defineHandlers({
    'settings:get': () => view(),
    'settings:set': async (patch) => {
      if (patch.device !== undefined && !deps.devices().includes(patch.device)) {
        throw new IpcFailure('INVALID_ARGUMENT', `This computer has no ${patch.device} device; choose one of ${deps.devices().join(', ')}`);
      }
      await deps.store.set(patch);
      return view();
    },
  });
}
