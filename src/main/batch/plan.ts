import { stat } from 'node:fs/promises';
import path from 'node:path';
import { WriteGuard, type ProtectedInputs } from '../jobs/write-guard';
import { BATCH_ITEM_CODES, type BatchItem, type BatchSpec, type MaskPlan } from './types';
import { discoverFiles, discoverFolder, type Discovery, type FoundFile } from './discover';
import { stemOf } from '../imaging/files';
import { MaskFolder } from './mask-pairing';
import { plannedOutput } from './naming';

/** The batch cannot start as asked (missing folder, no photos, output = input). Nothing was written. */
export class BatchSetupError extends Error {
  /**
   * usage: the batch as asked makes no sense (missing folder, output = input);
   * io: the disk said no (cannot create or lock the output folder, another batch holds it).
   */
  constructor(
    message: string,
    readonly kind: 'usage' | 'io' = 'usage',
    /** The library's own words, for a details line. */
    readonly detail?: string,
  ) {
    super(message);
    this.name = 'BatchSetupError';
  }
}

export interface BatchPlan {
  /** Every file found: photos queued (or failed at sight: no mask, clash), other files skipped. */
  readonly items: BatchItem[];
  /** Mask files no photo uses (mask folder source only). */
  readonly unusedMasks: string[];
}

export const NOT_A_PHOTO = 'Not a photo Patina reads (JPEG, PNG, WebP or TIFF)';

/**
 * Turns a spec into the queue's items. Reads folder listings only: no photo
 * is opened here, so a corrupt file fails later, alone, in its own turn.
 */
export async function planBatch(spec: BatchSpec): Promise<BatchPlan> {
  await checkSpec(spec);
  const found = await discover(spec);
  if (found.images.length === 0) {
    const where = spec.input.kind === 'folder' ? spec.input.dir : 'the chosen files';
    throw new BatchSetupError(`No JPEG, PNG, WebP or TIFF files in ${where}`);
  }
  const photos = new Set(found.images.map((f) => f.path));
  const masks = await maskFolderFor(spec);
  const inputs = await WriteGuard.of({
    ...protectedInputsOf(spec),
    files: [...found.images.map((f) => f.path), ...(spec.masks.kind === 'file' ? [spec.masks.path] : [])],
  });

  const items: BatchItem[] = [];
  const writers = new Map<string, string>();
  for (const image of found.images) {
    const id = items.length;
    const output = plannedOutput(spec.output, image.path, image.relDir, id);
    const item = newItem(id, image, maskPlanFor(spec, image, masks), output);
    const earlier = writers.get(output);
    const refusal = await inputs.refusal(output);
    if (refusal) {
      fail(item, BATCH_ITEM_CODES.isInput, refusal);
    } else if (earlier !== undefined && spec.output.collision !== 'rename') {
      fail(item, BATCH_ITEM_CODES.clash, `Output ${output} would also be written for ${earlier}`);
    } else if (item.mask?.kind === 'missing') {
      fail(item, 'MASK_UNREADABLE', item.mask.message);
    }
    if (earlier === undefined) writers.set(output, image.rel);
    items.push(item);
  }
  for (const other of found.others) {
    const item = newItem(items.length, other, null, null);
    item.state = 'skipped';
    item.reason = NOT_A_PHOTO;
    items.push(item);
  }
  return { items, unusedMasks: masks ? masks.unused(photos) : [] };
}

function newItem(id: number, file: FoundFile, mask: MaskPlan | null, output: string | null): BatchItem {
  return { id, source: file.path, rel: file.rel, mask, output, state: 'queued', reason: null, error: null, ms: null, crops: null, before: null, doneInRun: null };
}

function fail(item: BatchItem, code: string, message: string): void {
  item.state = 'failed';
  item.error = { code, message };
}

async function discover(spec: BatchSpec): Promise<Discovery> {
  if (spec.input.kind === 'files') return discoverFiles(spec.input.paths);
  // Never walk into our own output, nor treat masks as photos, when they live inside the input.
  const exclude = [spec.output.dir, ...(spec.masks.kind === 'folder' ? [spec.masks.dir] : [])];
  return discoverFolder(spec.input.dir, { recursive: spec.input.recursive, exclude });
}

async function maskFolderFor(spec: BatchSpec): Promise<MaskFolder | null> {
  if (spec.masks.kind !== 'folder') return null;
  const recursive = spec.input.kind === 'folder' && spec.input.recursive;
  const listing = await discoverFolder(spec.masks.dir, { recursive, exclude: [spec.output.dir], keepMaskFiles: true });
  return new MaskFolder(spec.masks.dir, listing.images);
}

function maskPlanFor(spec: BatchSpec, image: FoundFile, masks: MaskFolder | null): MaskPlan {
  switch (spec.masks.kind) {
    case 'auto':
      return spec.masks;
    case 'sidecar':
      return { kind: 'sidecar' };
    case 'none':
      return { kind: 'none' };
    case 'file':
      return { kind: 'file', path: spec.masks.path };
    case 'folder': {
      const found = masks!.pair(image.path, image.relDir);
      if (found) return { kind: 'file', path: found };
      const stem = stemOf(image.path);
      return { kind: 'missing', message: `No mask for ${path.basename(image.path)} in ${spec.masks.dir} (looked for ${stem}_mask.* and ${stem}.*)` };
    }
  }
}

/**
 * What the batch reads, for the write rule (src/main/jobs/write-guard.ts):
 * its input and mask folders (sub-folders too when walked recursively) or
 * its listed files. Each restore request carries it to the engine as well.
 */
export function protectedInputsOf(spec: BatchSpec): ProtectedInputs {
  const recursive = spec.input.kind === 'folder' && spec.input.recursive;
  const folders = [
    ...(spec.input.kind === 'folder' ? [{ dir: spec.input.dir, recursive }] : []),
    ...(spec.masks.kind === 'folder' ? [{ dir: spec.masks.dir, recursive }] : []),
  ];
  const files = [...(spec.input.kind === 'files' ? spec.input.paths : []), ...(spec.masks.kind === 'file' ? [spec.masks.path] : [])];
  return { files, folders };
}

async function checkSpec(spec: BatchSpec): Promise<void> {
  if (spec.input.kind === 'folder') {
    await expectKind(spec.input.dir, 'dir', 'Input folder');
    const refusal = await (await WriteGuard.of(protectedInputsOf(spec))).folderRefusal(spec.output.dir);
    if (refusal) throw new BatchSetupError(refusal);
  } else if (spec.input.paths.length === 0) {
    throw new BatchSetupError('The list of photos is empty');
  }
  if (spec.masks.kind === 'folder') await expectKind(spec.masks.dir, 'dir', 'Mask folder');
  if (spec.masks.kind === 'file') await expectKind(spec.masks.path, 'file', 'Mask file');
  try {
    if (!(await stat(spec.output.dir)).isDirectory()) throw new BatchSetupError(`Output ${spec.output.dir} is a file, not a folder`);
  } catch (err) {
    if (err instanceof BatchSetupError) throw err;
    // Missing is fine: it is created when the batch opens.
  }
}

async function expectKind(p: string, kind: 'dir' | 'file', label: string): Promise<void> {
  let isDir: boolean;
  try {
    isDir = (await stat(p)).isDirectory();
  } catch {
    throw new BatchSetupError(`${label} ${p} does not exist`);
  }
  if (isDir !== (kind === 'dir')) throw new BatchSetupError(`${label} ${p} is ${isDir ? 'a folder' : 'a file'}, not ${kind === 'dir' ? 'a folder' : 'a file'}`);
}
