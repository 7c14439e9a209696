import type { BatchItemEvent, BatchProgress, BatchSnapshot } from '@shared/ipc/batch';
import type { CallContext } from '../ipc/handlers';
import type { Restorer } from './runner';
import { BatchSession } from './session';
import type { SidecarMasks } from './sidecar';
import type { BatchSpec } from './types';
import { itemView } from './views';

interface Entry {
  readonly session: BatchSession;
  /** Every caller that started or looked at the batch gets its events (a reloaded window re-attaches). */
  readonly watchers: Map<string, CallContext>;
}

/**
 * The app's batches: several may exist (one per output folder); they outlive
 * the window that started them, like downloads. Events go to every caller
 * that started or asked about a batch.
 */
export class BatchManager {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly restorer: Restorer,
    private readonly sidecars?: SidecarMasks,
  ) {}

  async start(spec: BatchSpec, caller: CallContext): Promise<BatchSnapshot> {
    // A finished batch over the same folder makes way: starting it again is how it resumes.
    for (const [id, entry] of this.entries) {
      if (entry.session.spec.output.dir === spec.output.dir && isIdle(entry)) {
        this.entries.delete(id);
        await entry.session.close();
      }
    }
    const watchers = new Map<string, CallContext>([[caller.callerId, caller]]);
    // The hooks run only once the session has started, after `session` is assigned.
    const session: BatchSession = await BatchSession.open(spec, {
      restorer: this.restorer,
      sidecars: this.sidecars,
      hooks: {
        item: (item) => {
          const payload: BatchItemEvent = { batchId: session.batchId, item: itemView(item, session.journal.runs) };
          for (const watcher of watchers.values()) watcher.emit('batch:item', payload);
        },
        progress: (progress) => {
          for (const watcher of watchers.values()) watcher.emit('batch:progress', progress);
        },
        warning: (message) => console.warn(`[batch] ${message}`),
      },
    });
    const entry: Entry = { session, watchers };
    this.entries.set(session.batchId, entry);
    void session.start();
    return session.snapshot();
  }

  /** The batch's full state; the caller receives its events from now on. */
  get(batchId: string, caller?: CallContext): BatchSnapshot | undefined {
    const entry = this.entries.get(batchId);
    if (!entry) return undefined;
    if (caller) entry.watchers.set(caller.callerId, caller);
    return entry.session.snapshot();
  }

  session(batchId: string): BatchSession | undefined {
    return this.entries.get(batchId)?.session;
  }

  list(): BatchProgress[] {
    return [...this.entries.values()].map((e) => e.session.runner.progress());
  }

  async dispose(): Promise<void> {
    const all = [...this.entries.values()];
    this.entries.clear();
    await Promise.all(all.map((e) => e.session.close()));
  }
}

function isIdle(entry: Entry): boolean {
  const state = entry.session.runner.state;
  return state === 'finished' || state === 'cancelled';
}
