/**
 * The engine's one error type. Every capability below the transports (imaging,
 * inference, jobs, tone, defects, restore, documents, batch, cli) throws it;
 * the IPC router maps it to an `IpcError` (src/main/ipc/engine-errors.ts), the
 * CLI to its exit status and --json lines.
 *
 * Error codes the engine reports. They travel through the worker boundary, the
 * IPC contract and the CLI's --json output, so they are a contract: add, never rename.
 */
export type EngineErrorCode =
  | 'MODEL_MISSING'
  | 'MODEL_INVALID'
  | 'MODEL_HASH_MISMATCH'
  | 'PROVIDER_FAILED'
  | 'IMAGE_UNREADABLE'
  | 'IMAGE_UNSUPPORTED'
  | 'MASK_UNREADABLE'
  | 'MASK_EMPTY'
  | 'AUTO_MASK_UNAVAILABLE'
  | 'OUTPUT_EXISTS'
  /** The output would land on an input photo or among the photos being read. */
  | 'OUTPUT_IS_INPUT'
  | 'OUTPUT_FAILED'
  | 'CANCELLED'
  /** A request names something this session does not hold (a document id, an image version, a project's photo). */
  | 'NOT_FOUND'
  /** A request is well-formed but cannot be served as asked (a relative path, a mask count that does not match). */
  | 'INVALID_ARGUMENT'
  /** A project file is damaged, truncated, from a newer Patina, or no longer matches its photo. */
  | 'PROJECT_INVALID'
  /** A save would replace the photo being edited. */
  | 'OUTPUT_IS_ORIGINAL'
  | 'INTERNAL';

/** Plain-data form of an EngineError: what crosses postMessage, IPC and JSON lines. */
export interface EngineErrorData {
  readonly code: EngineErrorCode;
  readonly message: string;
  readonly detail?: string;
}

export class EngineError extends Error {
  readonly code: EngineErrorCode;
  readonly detail?: string;

  constructor(code: EngineErrorCode, message: string, detail?: string) {
    super(message);
    this.name = 'EngineError';
    this.code = code;
    this.detail = detail;
  }

  toData(): EngineErrorData {
    return this.detail === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, detail: this.detail };
  }

  static fromData(data: EngineErrorData): EngineError {
    return new EngineError(data.code, data.message, data.detail);
  }
}

/** Normalises anything thrown into EngineErrorData; unknown errors become INTERNAL. */
export function toErrorData(err: unknown): EngineErrorData {
  if (err instanceof EngineError) return err.toData();
  if (err instanceof Error && err.name === 'AbortError') return { code: 'CANCELLED', message: 'The job was cancelled' };
  const message = err instanceof Error ? err.message : String(err);
  return { code: 'INTERNAL', message };
}

export function cancelledError(): EngineError {
  return new EngineError('CANCELLED', 'The job was cancelled');
}

/** Throws CANCELLED when the signal fired; called between units of work (crops, stages). */
export function throwIfCancelled(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw cancelledError();
}
