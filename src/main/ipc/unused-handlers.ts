import { REQUEST_CHANNELS } from '@shared/ipc/contract';
import type { HandlerModule } from './handlers';
import { IpcFailure } from './router';

/**
 * For tests that exercise a few channels: adds a handler answering
 * UNAVAILABLE for every contract channel the given modules leave out, so the
 * router (which refuses gaps) starts, and a new channel elsewhere in the
 * contract does not break unrelated tests.
 */
export function withUnusedHandlers(modules: readonly HandlerModule[]): HandlerModule[] {
  const covered = new Set(modules.flatMap((m) => Object.keys(m)));
  const stubs: Record<string, () => never> = {};
  for (const channel of REQUEST_CHANNELS) {
    if (covered.has(channel)) continue;
    stubs[channel] = () => {
      throw new IpcFailure('UNAVAILABLE', `${channel} is not wired in this router`);
    };
  }
  return [...modules, stubs as HandlerModule];
}
