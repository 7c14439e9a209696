import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { EngineError } from '../errors/engine-error';
import type { ResolvedModel } from './manifest';

/**
 * Chunk size of the hash's reads. Each chunk waits for its turn of the event loop, and a model
 * often loads beside work that holds the thread (the restore worker decodes a photo and detects
 * damage while its model loads): in the stream's default 64 KiB a 9 MB model needs 141 turns and
 * was verified, and loaded, only after the detection; in 4 MiB chunks it needs three.
 */
const HASH_CHUNK = 4 << 20;

/** sha256 of a file, streamed so a large model never sits in memory twice. */
export async function sha256File(filePath: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(filePath, { highWaterMark: HASH_CHUNK })) hash.update(chunk as Buffer);
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
