import { z } from 'zod';
import type { IpcError, IpcResult } from '@shared/ipc/errors';

/*
 * The bridge's WebSocket wire format (JSON text frames). The browser side is
 * browser-shim.js; it mirrors what the preload does over Electron IPC.
 *   browser -> bridge  { type: 'invoke', id, channel, arg?, binaries? }
 *                      then `binaries` binary frames: the byte arrays of arg, in
 *                      order, each replaced in arg's JSON by { $binary: index }
 *   bridge -> browser  { type: 'result', id, result: IpcResult }
 *                      { type: 'event', event, payload }
 *                      { type: 'error', error }   (a frame that had no usable id)
 */

/** Byte arrays one request may carry (e.g. one mask PNG per layer). */
export const MAX_BINARIES = 128;

const invokeFrameSchema = z.strictObject({
  type: z.literal('invoke'),
  id: z.number().int().nonnegative(),
  channel: z.unknown(),
  arg: z.unknown().optional(),
  /** How many binary frames follow, each standing in for one `{ $binary: i }` inside arg. */
  binaries: z.number().int().min(1).max(MAX_BINARIES).optional(),
});

export type InvokeFrame = z.infer<typeof invokeFrameSchema>;

export type ServerFrame =
  | { readonly type: 'result'; readonly id: number; readonly result: IpcResult<unknown> }
  | { readonly type: 'event'; readonly event: string; readonly payload: unknown }
  | { readonly type: 'error'; readonly error: IpcError };

export type ParsedFrame =
  | { readonly ok: true; readonly frame: InvokeFrame }
  | { readonly ok: false; readonly id: number | null; readonly error: IpcError };

/** Parses one untrusted text frame; never throws. */
export function parseClientFrame(text: string): ParsedFrame {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, id: null, error: { code: 'INVALID_ARGUMENT', message: 'Bridge frame is not valid JSON' } };
  }
  const parsed = invokeFrameSchema.safeParse(json);
  if (parsed.success) return { ok: true, frame: parsed.data };
  const id = typeof json === 'object' && json !== null ? (json as { id?: unknown }).id : undefined;
  return {
    ok: false,
    id: typeof id === 'number' && Number.isInteger(id) && id >= 0 ? id : null,
    error: {
      code: 'INVALID_ARGUMENT',
      message: 'Bridge frame must be { type: "invoke", id, channel, arg? }',
      details: { issues: parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })) },
    },
  };
}

/**
 * Puts the binary frames back where arg's JSON named them ({ $binary: i }),
 * as Uint8Arrays, the way structured clone delivers them over Electron IPC.
 * An index with no frame stays a plain object (the channel's schema refuses it).
 */
export function reviveBinaries(value: unknown, binaries: readonly Uint8Array[]): unknown {
  if (Array.isArray(value)) return value.map((v) => reviveBinaries(v, binaries));
  if (typeof value !== 'object' || value === null) return value;
  const entries = Object.entries(value);
  if (entries.length === 1 && entries[0]![0] === '$binary' && typeof entries[0]![1] === 'number') {
    return binaries[entries[0]![1]] ?? value;
  }
  return Object.fromEntries(entries.map(([k, v]) => [k, reviveBinaries(v, binaries)]));
}
