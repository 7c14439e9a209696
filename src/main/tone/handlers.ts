import { defineHandlers, type HandlerModule } from '../ipc/handlers';
import { loadToneEstimator } from './estimator';
import { tonePreview } from './preview';

export interface ToneHandlerDeps {
  /** Folder holding the models (the learned estimator under tone/, when installed). */
  readonly modelsDir: string;
  /** The file of an open document's image version (unknown ids and versions throw NOT_FOUND). */
  readonly versionFile: (id: string, version: number) => string;
}

/** `tone:preview`: Auto tone's map for an open document's version, for the editor's live preview. */
export function createToneHandlers(deps: ToneHandlerDeps): HandlerModule {
  // An open document's version never changes: its map is computed once (ids are not reused).
  const cache = new Map<string, ReturnType<typeof tonePreview>>();
  return defineHandlers({
    'tone:preview': ({ id, version }) => {
      const file = deps.versionFile(id, version);
      const key = `${id}@${version}`;
      let result = cache.get(key);
      if (!result) {
        result = loadToneEstimator(deps.modelsDir).then((estimator) => tonePreview(file, estimator));
        result.catch(() => cache.delete(key));
        cache.set(key, result);
      }
      return result;
    },
  });
}
