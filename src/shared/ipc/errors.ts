/**
 * The one error shape every request can answer with, whatever the transport
 * (Electron IPC or the test bridge's WebSocket). Requests never reject across
 * the boundary: they resolve to an `IpcResult`, because Electron's
 * contextBridge strips custom fields (like `code`) from thrown errors.
 */

/** Codes the transport itself produces. Engine codes (e.g. MODEL_MISSING) travel in the same field. */
export const TRANSPORT_ERROR_CODES = [
  /** The argument failed the channel's schema; `details.issues` lists where. */
  'INVALID_ARGUMENT',
  /** The channel is not in the contract. */
  'UNKNOWN_CHANNEL',
  /** A handler failed unexpectedly; the message is generic, main logs the cause. */
  'INTERNAL',
  /** The other side is gone (window closing, bridge socket closed). */
  'UNAVAILABLE',
] as const;

export type TransportErrorCode = (typeof TRANSPORT_ERROR_CODES)[number];

export interface IpcError {
  /** UPPER_SNAKE code: a TransportErrorCode or a capability's own code (see src/main/<capability>). */
  readonly code: string;
  /** One sentence a person can act on. */
  readonly message: string;
  /** Structured-clone and JSON safe extra data (validation issues, the failing path, ...). */
  readonly details?: unknown;
}

export type IpcResult<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: IpcError };

export interface ValidationIssue {
  /** Dotted path into the argument ('' for the argument itself). */
  readonly path: string;
  readonly message: string;
}

export function ok<T>(value: T): IpcResult<T> {
  return { ok: true, value };
}

export function fail(code: string, message: string, details?: unknown): IpcResult<never> {
  return details === undefined ? { ok: false, error: { code, message } } : { ok: false, error: { code, message, details } };
}

/** Narrow check used on data that crossed a boundary (bridge frames, tests). */
export function isIpcError(value: unknown): value is IpcError {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v.code === 'string' && typeof v.message === 'string';
}
