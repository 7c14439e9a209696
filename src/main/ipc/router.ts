import { isRequestChannel, REQUEST_CHANNELS, requests, type RequestChannel } from '@shared/ipc/contract';
import { fail, ok, type IpcError, type IpcResult } from '@shared/ipc/errors';
import type { CallContext, Handler, HandlerModule } from './handlers';
import { mapEngineError } from './engine-errors';
import { describeIssues } from './validation';

/**
 * Transport-independent dispatch: channel name + untrusted argument in, an
 * `IpcResult` out. Electron IPC (src/main/app) and the test bridge
 * (src/main/bridge) both call `dispatch`, so they behave identically.
 */
export interface Router {
  readonly channels: readonly RequestChannel[];
  /** Never throws and never rejects: every failure comes back as `{ ok: false, error }`. */
  dispatch(channel: unknown, arg: unknown, ctx: CallContext): Promise<IpcResult<unknown>>;
}

export interface RouterOptions {
  /**
   * Turns an error a handler threw into the error shape when it is an expected
   * failure; return undefined for anything else. The engine's EngineError is
   * always mapped (mapEngineError) when this does not; what neither maps
   * becomes a generic INTERNAL error.
   */
  readonly mapError?: (err: unknown) => IpcError | undefined;
  /** Where unexpected handler errors are reported (default console.error). */
  readonly logError?: (channel: RequestChannel, err: unknown) => void;
}

/** A handler can throw this to answer a specific error code. */
export class IpcFailure extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'IpcFailure';
  }
}

export function createRouter(modules: readonly HandlerModule[], options: RouterOptions = {}): Router {
  const table = buildTable(modules);
  const logError = options.logError ?? ((channel, err) => console.error(`[ipc] ${channel} failed:`, err));

  async function dispatch(channel: unknown, arg: unknown, ctx: CallContext): Promise<IpcResult<unknown>> {
    if (!isRequestChannel(channel)) {
      return fail('UNKNOWN_CHANNEL', `Unknown request channel ${describeValue(channel)}`);
    }
    const parsed = requests[channel].args.safeParse(arg);
    if (!parsed.success) {
      const issues = describeIssues(parsed.error.issues);
      const summary = issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join('; ');
      return fail('INVALID_ARGUMENT', `Invalid argument for ${channel}: ${summary}`, { issues });
    }
    const handler = table.get(channel) as Handler<typeof channel>;
    try {
      return ok(await handler(parsed.data as never, ctx));
    } catch (err) {
      if (err instanceof IpcFailure) return fail(err.code, err.message, err.details);
      const mapped = options.mapError?.(err) ?? mapEngineError(err);
      if (mapped) return { ok: false, error: mapped };
      logError(channel, err);
      return fail('INTERNAL', `${channel} failed unexpectedly; see the application log`);
    }
  }

  return { channels: REQUEST_CHANNELS, dispatch };
}

/** Every contract channel must have exactly one handler; a gap is a startup error, not a runtime surprise. */
function buildTable(modules: readonly HandlerModule[]): Map<RequestChannel, Handler<RequestChannel>> {
  const table = new Map<RequestChannel, Handler<RequestChannel>>();
  for (const module of modules) {
    for (const [channel, handler] of Object.entries(module)) {
      if (!isRequestChannel(channel)) throw new Error(`Handler registered for unknown channel "${channel}"`);
      if (typeof handler !== 'function') throw new Error(`Handler for "${channel}" is not a function`);
      if (table.has(channel)) throw new Error(`Two handlers registered for "${channel}"`);
      table.set(channel, handler as Handler<RequestChannel>);
    }
  }
  const missing = REQUEST_CHANNELS.filter((c) => !table.has(c));
  if (missing.length > 0) throw new Error(`No handler for contract channel(s): ${missing.join(', ')}`);
  return table;
}

function describeValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 80 ? `${value.slice(0, 80)}…` : value);
  return `(${value === null ? 'null' : typeof value})`;
}
