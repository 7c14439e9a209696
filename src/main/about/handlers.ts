import type { AppInfo } from '@shared/ipc/app';
import { defineHandlers } from '../ipc/handlers';
import type { EngineInfoProvider } from './engine-info';

export interface AboutDeps {
  readonly appName: string;
  readonly appVersion: string;
  readonly engineInfo: EngineInfoProvider;
}

export function createAboutHandlers(deps: AboutDeps) {
  return defineHandlers({
    'app:info': async (): Promise<AppInfo> => {
      const engine = await deps.engineInfo();
      return {
        name: deps.appName,
        version: deps.appVersion,
        platform: process.platform,
        arch: process.arch,
        versions: {
          node: process.versions.node,
          electron: process.versions.electron ?? null,
          chrome: process.versions.chrome ?? null,
        },
        model: engine.model,
        modelIssue: engine.modelIssue,
        executionProvider: engine.executionProvider,
      };
    },
  });
}
