import type { IpcError } from '@shared/ipc/errors';
import { EngineError } from '../errors/engine-error';

/**
 * Router hook (createRouter's mapError): engine failures are expected outcomes
 * with their own codes, not INTERNAL errors. The engine's `detail` travels as
 * `details.detail`; an INTERNAL EngineError stays generic and is logged.
 */
export function mapEngineError(err: unknown): IpcError | undefined {
  if (!(err instanceof EngineError)) return undefined;
  if (err.code === 'INTERNAL') return undefined;
  return err.detail === undefined ? { code: err.code, message: err.message } : { code: err.code, message: err.message, details: { detail: err.detail } };
}
