import { mkdir } from 'node:fs/promises';
import { EngineError } from '../errors/engine-error';
import { fsDetail, fsReason } from './fs-errors';

/** Creates an output folder (and its parents); a failure says why in the person's words, the library's text as detail. */
export async function ensureOutputFolder(dir: string): Promise<void> {
  try {
    await mkdir(dir, { recursive: true });
  } catch (err) {
    throw new EngineError('OUTPUT_FAILED', `Cannot create the output folder ${dir}: ${fsReason(err)}; choose another --output`, fsDetail(err));
  }
}
