import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { writeAtomically } from '../jobs/atomic-write';

/** Parsed JSON of a small settings file; undefined when it is missing or not JSON. */
export async function readJsonFile(file: string): Promise<unknown> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as unknown;
  } catch {
    return undefined;
  }
}

/** Writes JSON through a temporary file and rename, creating the folder. */
export async function saveJsonAtomically(file: string, value: unknown): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  await writeAtomically(file, 'overwrite', (tmp) => writeFile(tmp, `${JSON.stringify(value, null, 2)}\n`, 'utf8'));
}
