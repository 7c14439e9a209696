import type {
  EventChannel,
  EventPayload,
  PatinaApi,
  RequestArgTuple,
  RequestChannel,
  RequestResult,
  Unsubscribe,
} from '@shared/ipc/contract';
import type { IpcError } from '@shared/ipc/errors';

/** A request answered with the contract's error shape, as an exception for `await` code. */
export class IpcRequestError extends Error {
  readonly code: string;
  readonly details?: unknown;

  constructor(readonly channel: RequestChannel, error: IpcError) {
    super(error.message);
    this.name = 'IpcRequestError';
    this.code = error.code;
    this.details = error.details;
  }

  /** The library's own words behind the message (engine errors carry them as `details.detail`). */
  get detail(): string | undefined {
    const d = this.details;
    return typeof d === 'object' && d !== null && typeof (d as { detail?: unknown }).detail === 'string' ? (d as { detail: string }).detail : undefined;
  }
}

function api(): PatinaApi {
  const patina = window.patina;
  if (!patina) throw new Error('window.patina is missing: open Patina through the app or `npm run e2e:serve`.');
  return patina;
}

export function hasBackend(): boolean {
  return window.patina !== undefined;
}

export async function request<C extends RequestChannel>(channel: C, ...arg: RequestArgTuple<C>): Promise<RequestResult<C>> {
  const result = await api().invoke(channel, ...arg);
  if (result.ok) return result.value;
  throw new IpcRequestError(channel, result.error);
}

export function subscribe<E extends EventChannel>(event: E, listener: (payload: EventPayload<E>) => void): Unsubscribe {
  return api().on(event, listener);
}
