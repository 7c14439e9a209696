import type { DefectsSnapResult } from '@shared/ipc/snap';
import { resolvePhoto, type PhotoSources } from '../access/grants';
import { defineHandlers, type HandlerModule } from '../ipc/handlers';
import type { ResultStore } from '../jobs/result-store';
import type { SnapEngine } from './snap-engine';

export interface SnapHandlerDeps extends PhotoSources {
  readonly engine: SnapEngine;
  /** Where the window's PNG waits for the renderer to load it. */
  readonly results: ResultStore;
  readonly resultUrl: (handle: string) => string;
}

/**
 * `defects:snap`: arguments arrive schema-validated (point count, brush
 * width, finite coordinates); here the photo is checked as defects:detect
 * checks it (a granted handle or an open document). The mask window is
 * stored as a PNG behind a handle; only its URL crosses IPC.
 */
export function createSnapHandlers(deps: SnapHandlerDeps): HandlerModule {
  return defineHandlers({
    'defects:snap': async (arg) => {
      const imagePath = resolvePhoto(arg.image, deps);
      const found = await deps.engine.snap({
        imagePath,
        kind: arg.kind,
        points: arg.points,
        width: arg.width,
        sensitivity: arg.sensitivity,
      });
      const handle = found.png ? deps.results.put(found.png, 'image/png') : null;
      return {
        x: found.x,
        y: found.y,
        width: found.width,
        height: found.height,
        pixels: found.pixels,
        url: handle ? deps.resultUrl(handle) : null,
        handle,
        ms: Math.round(found.ms),
      } satisfies DefectsSnapResult;
    },
  });
}
