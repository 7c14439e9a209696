import { stat } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import type { DocumentExportArgs, DocumentExportResult } from '@shared/ipc/documents';
import { exists, writeAtomically } from '../jobs/atomic-write';
import { WriteGuard } from '../jobs/write-guard';
import { EngineError } from '../errors/engine-error';
import { reencodedPipeline } from '../imaging/encode';
import { reason } from './display';

export const DEFAULT_EXPORT_QUALITY = 92;

/**
 * Writes one image version to `args.path` in the chosen format.
 *
 * The source is read and written the engine's way (imaging/encode.ts,
 * reencodedPipeline): the exported code values are the restored ones and a
 * colour-managed viewer sees the same colours as in the original.
 *
 * Safety: the opened photo is replaced only with `replaceOriginal` (an
 * explicit confirmation), any other existing file only with `overwrite`; the
 * file appears whole or not at all (temporary file + rename).
 */
export async function exportImage(
  source: string,
  original: string,
  /** `path`: the file a write handle granted (documents/handlers.ts). */
  args: Pick<DocumentExportArgs, 'format' | 'quality' | 'overwrite' | 'replaceOriginal'> & { readonly path: string },
): Promise<DocumentExportResult> {
  if (!path.isAbsolute(args.path)) throw new EngineError('INVALID_ARGUMENT', 'The export path must be absolute');
  const dest = path.normalize(args.path);
  // The write rule (jobs/write-guard.ts): the original, however it is reached, only with the confirmation.
  const guard = await WriteGuard.of({ files: [original], replaceable: args.replaceOriginal ? [original] : [] });
  if (await guard.refusal(dest)) {
    throw new EngineError('OUTPUT_IS_ORIGINAL', `${path.basename(dest)} is the original photo; confirm to replace it`);
  }
  const replacing = args.replaceOriginal || args.overwrite;
  if (!replacing && (await exists(dest))) {
    throw new EngineError('OUTPUT_EXISTS', `${path.basename(dest)} already exists in ${path.dirname(dest)}`);
  }
  try {
    await writeAtomically(dest, replacing ? 'overwrite' : 'fail', async (tmp) => {
      await reencodedPipeline(source, args.format, args.quality ?? DEFAULT_EXPORT_QUALITY).toFile(tmp);
    });
  } catch (err) {
    if (err instanceof EngineError) throw new EngineError(err.code, err.message);
    throw new EngineError('OUTPUT_FAILED', `Cannot write ${dest}: ${reason(err)}`);
  }
  const [info, meta] = await Promise.all([stat(dest), sharp(dest).metadata()]);
  return { path: dest, format: args.format, bytes: info.size, width: meta.width, height: meta.height };
}
