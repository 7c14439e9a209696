import { stat } from 'node:fs/promises';
import path from 'node:path';
import sharp, { type Sharp } from 'sharp';
import type { DocumentExportArgs, DocumentExportResult, ExportFormat } from '@shared/ipc/documents';
import { exists, writeAtomically } from '../jobs/atomic-write';
import { WriteGuard } from '../jobs/write-guard';
import { EngineError } from '../errors/engine-error';
import { reason } from './display';

export const DEFAULT_EXPORT_QUALITY = 92;

/**
 * Writes one image version to `args.path` in the chosen format.
 *
 * The source is read like the engine reads photos (EXIF orientation applied,
 * ICC profile not applied but carried over with the other metadata), so the
 * exported code values are the restored ones and a colour-managed viewer sees
 * the same colours as in the original.
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
      await encoder(source, args.format, args.quality ?? DEFAULT_EXPORT_QUALITY).toFile(tmp);
    });
  } catch (err) {
    if (err instanceof EngineError) throw new EngineError(err.code, err.message);
    throw new EngineError('OUTPUT_FAILED', `Cannot write ${dest}: ${reason(err)}`);
  }
  const [info, meta] = await Promise.all([stat(dest), sharp(dest).metadata()]);
  return { path: dest, format: args.format, bytes: info.size, width: meta.width, height: meta.height };
}

function encoder(source: string, format: ExportFormat, quality: number): Sharp {
  const s = sharp(source, { autoOrient: true, ignoreIcc: true, failOn: 'error', limitInputPixels: 1 << 28 }).keepMetadata();
  switch (format) {
    case 'jpeg':
      // JPEG has no alpha: transparent areas become white, as on paper.
      return s.flatten({ background: '#ffffff' }).jpeg({ quality, chromaSubsampling: quality >= 90 ? '4:4:4' : '4:2:0', mozjpeg: false });
    case 'webp':
      return s.webp(quality >= 100 ? { lossless: true } : { quality });
    case 'tiff':
      // Archival: lossless, and not sharp's JPEG-in-TIFF default.
      return s.tiff({ compression: 'lzw', predictor: 'horizontal' });
    case 'png':
      return s.png({ compressionLevel: 6 });
  }
}
