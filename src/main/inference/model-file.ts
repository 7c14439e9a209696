import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { EngineError } from '../errors/engine-error';
import type { ResolvedModel } from './manifest';

/** sha256 of a file, streamed so a large model never sits in memory twice. */
export async function sha256File(filePath: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(filePath)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/**
 * Checks that the model file exists and matches the manifest's sha256. A
 * truncated download or a file swapped by hand must not load silently: the
 * network would run and produce plausible-looking garbage.
 */
export async function verifyModelFile(model: ResolvedModel): Promise<void> {
  try {
    const info = await stat(model.modelPath);
    if (!info.isFile()) throw new Error('not a regular file');
  } catch (err) {
    throw new EngineError(
      'MODEL_MISSING',
      `Model file not found: ${model.modelPath} (listed in ${model.manifestPath})`,
      String(err),
    );
  }
  const actual = await sha256File(model.modelPath);
  if (actual.toLowerCase() !== model.entry.sha256.toLowerCase()) {
    throw new EngineError(
      'MODEL_HASH_MISMATCH',
      `Model file ${model.modelPath} does not match its manifest: sha256 is ${actual}, expected ${model.entry.sha256}`,
    );
  }
}
