/**
 * `patina detect --image <file|dir> --output <dir> [--sensitivity S]`: writes
 * one mask per photo, `<output>/<stem>.png`, 8-bit grey, white = damage, the
 * format `patina run --mask` and the editor read. A photo that cannot be read
 * fails alone; the rest go on. Runs in the CLI process (no UI to keep
 * responsive); Ctrl-C stops at the next stage boundary, leaving no partial file.
 */
import { readdir, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { writeAtomically } from '../jobs/atomic-write';
import { ensureOutputFolder } from '../jobs/output-folder';
import { WriteGuard } from '../jobs/write-guard';
import { EngineError, toErrorData, type EngineErrorData } from '../errors/engine-error';
import { isListedPhoto } from '../imaging/files';
import type { DetectMethod } from './detect';
import type { DetectCommand } from './detect-args';
import { detectDefectsInFile, encodeMaskPng } from './mask-file';

/** Extensions (lower case) read as photos. */

export type DetectOutcome =
  | {
      readonly image: string;
      readonly status: 'detected';
      readonly output: string;
      readonly flaggedPixels: number;
      /** Share of the photo's pixels flagged, 0..1. */
      readonly flaggedShare: number;
      readonly strokes: number;
      readonly specks: number;
      readonly corners: number;
      /** The detector that ran, and why it is not the one asked for when it is not. */
      readonly method: DetectMethod;
      readonly note?: string;
      readonly ms: number;
    }
  | { readonly image: string; readonly status: 'failed'; readonly error: EngineErrorData };

type Write = (line: string) => void;

/** Exit code: 0 every photo got a mask, 1 some failed. Usage problems throw `usage(message)`. */
export async function runDetectCommand(
  cmd: DetectCommand,
  out: Write,
  usage: (message: string) => Error,
  signal?: AbortSignal,
): Promise<0 | 1> {
  const { photos, folder } = await listPhotos(cmd.image, usage);
  const outputDir = path.resolve(cmd.output);
  // The write rule (jobs/write-guard.ts): no mask lands on a photo or among the photos of the folder read.
  const guard = await WriteGuard.of({ files: photos, folders: folder ? [{ dir: folder, recursive: false }] : [] });
  const folderRefusal = await guard.folderRefusal(outputDir);
  if (folderRefusal) throw usage(folderRefusal);
  await ensureOutputFolder(outputDir);
  const json = (obj: unknown) => out(JSON.stringify(obj));
  const outcomes: DetectOutcome[] = [];
  const targets = new Map<string, string>();
  for (let i = 0; i < photos.length; i++) {
    const image = photos[i]!;
    const target = path.join(outputDir, `${path.basename(image, path.extname(image))}.png`);
    const clash = targets.get(target);
    targets.set(target, image);
    let outcome: DetectOutcome;
    if (signal?.aborted) outcome = failed(image, { code: 'CANCELLED', message: 'The run was interrupted' });
    else if (clash) outcome = failed(image, { code: 'OUTPUT_EXISTS', message: `Mask ${target} would also be written for ${clash}` });
    else {
      const refusal = await guard.refusal(target);
      outcome = refusal ? failed(image, { code: 'OUTPUT_IS_INPUT', message: refusal }) : await detectOne(image, target, cmd, signal);
    }
    outcomes.push(outcome);
    if (cmd.json) json({ type: 'item', ...outcome });
    else out(describe(outcome, i, photos.length));
  }
  const detected = outcomes.filter((o) => o.status === 'detected').length;
  const failedCount = outcomes.length - detected;
  if (cmd.json) json({ type: 'summary', total: outcomes.length, detected, failed: failedCount, sensitivity: cmd.sensitivity, method: cmd.method, medium: cmd.medium });
  else out(`${detected} masks written, ${failedCount} failed (of ${outcomes.length}) to ${outputDir}`);
  return failedCount > 0 ? 1 : 0;
}

async function detectOne(image: string, target: string, cmd: DetectCommand, signal?: AbortSignal): Promise<DetectOutcome> {
  try {
    const mask = await detectDefectsInFile(image, { sensitivity: cmd.sensitivity, method: cmd.method, medium: cmd.medium, signal });
    const png = await encodeMaskPng(mask);
    await writeAtomically(
      target,
      cmd.overwrite ? 'overwrite' : 'fail',
      (tmp) => writeFile(tmp, png),
      () => {
        if (signal?.aborted) throw new EngineError('CANCELLED', 'The run was interrupted');
      },
    );
    const { stats } = mask;
    return {
      image,
      status: 'detected',
      output: target,
      flaggedPixels: stats.flaggedPixels,
      flaggedShare: stats.flaggedPixels / (mask.width * mask.height),
      strokes: stats.strokes,
      specks: stats.specks,
      corners: stats.corners,
      method: stats.method,
      ...(stats.note ? { note: stats.note } : {}),
      ms: stats.ms,
    };
  } catch (err) {
    const data = toErrorData(err);
    if (data.code === 'OUTPUT_EXISTS') return failed(image, { ...data, message: `${data.message} (use --overwrite)` });
    return failed(image, data);
  }
}

function describe(o: DetectOutcome, i: number, n: number): string {
  const name = path.basename(o.image);
  if (o.status === 'failed') return `[${i + 1}/${n}] FAILED ${name}: [${o.error.code}] ${o.error.message}`;
  const found = `${o.strokes} strokes, ${o.specks} specks, ${o.corners} torn corners`;
  const note = o.note ? `\n  note: ${o.note}` : '';
  return `[${i + 1}/${n}] ${name}: ${(100 * o.flaggedShare).toFixed(2)} % flagged (${found}) -> ${o.output} (${(o.ms / 1000).toFixed(1)} s)${note}`;
}

function failed(image: string, error: EngineErrorData): DetectOutcome {
  return { image, status: 'failed', error };
}

/** The photos to detect in; `folder` is the folder they were listed from (null for a single file). */
async function listPhotos(input: string, usage: (message: string) => Error): Promise<{ photos: string[]; folder: string | null }> {
  let isDir: boolean;
  try {
    const s = await stat(input);
    if (!s.isDirectory() && !s.isFile()) throw usage(`--image ${input} is neither a file nor a folder`);
    isDir = s.isDirectory();
  } catch (err) {
    if (err instanceof Error && err.name === 'UsageError') throw err;
    throw usage(`--image ${input} does not exist`);
  }
  if (!isDir) return { photos: [path.resolve(input)], folder: null };
  const entries = await readdir(input, { withFileTypes: true });
  const photos = entries
    .filter((e) => e.isFile() && isListedPhoto(e.name))
    .map((e) => path.resolve(input, e.name))
    .sort();
  if (photos.length === 0) throw usage(`No JPEG, PNG, WebP or TIFF files in ${input}`);
  return { photos, folder: path.resolve(input) };
}
