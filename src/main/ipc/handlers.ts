import type {
  EventChannel,
  EventPayload,
  RequestChannel,
  RequestResult,
  ValidatedArg,
} from '@shared/ipc/contract';

/**
 * What a handler gets besides its validated argument. The transport builds one
 * per call: Electron IPC wires `emit` to the calling window, the bridge to the
 * calling socket.
 */
export interface CallContext {
  /** Push an event to the caller (progress of the job it started, ...). Dropped when the caller is gone. */
  emit<E extends EventChannel>(event: E, payload: EventPayload<E>): void;
  /** Stable id of the caller (window or socket), so handlers can scope jobs to it. */
  readonly callerId: string;
}

export type Handler<C extends RequestChannel> = (
  arg: ValidatedArg<C>,
  ctx: CallContext,
) => RequestResult<C> | Promise<RequestResult<C>>;

export type HandlerMap = { readonly [C in RequestChannel]: Handler<C> };

/** A capability's share of the handlers (src/main/<capability>/handlers.ts). */
export type HandlerModule = Partial<HandlerMap>;

/** Identity helper that checks a module's handlers against the contract. */
export function defineHandlers<M extends HandlerModule>(module: M): M {
  return module;
}
