import { open, readFile, writeFile } from 'node:fs/promises';
import sharp from 'sharp';
import { z } from 'zod';
import { projectStateSchema, type ProjectState } from '@shared/ipc/project';
import type { BinaryMask } from '../imaging/mask';
import { EngineError } from '../errors/engine-error';
import { writeAtomically } from '../jobs/atomic-write';

/*
 * The `.patina` project sidecar: one file holding the editor's state at the
 * history head, so work can continue later and batch runs can reuse its mask.
 *
 *   bytes 0-7    "PATINAPJ" (ASCII magic)
 *   bytes 8-11   container version, uint32 little-endian (1)
 *   bytes 12-15  header length N, uint32 little-endian
 *   16 .. 16+N   header: UTF-8 JSON (ProjectHeader below)
 *   then         blobs, at the offsets the header lists (relative to 16+N)
 *
 * Blobs: one PNG per mask layer (photo size, white = masked) and, when the
 * head is a restore result, that image as PNG. Everything is written through
 * a temporary file and renamed, so a failed save leaves the old file intact.
 */

const MAGIC = 'PATINAPJ';
const CONTAINER_VERSION = 1;
const PREFIX_BYTES = 16;
/** Headers are small JSON; a bigger one is not ours (or is damaged). */
const MAX_HEADER_BYTES = 4 * 1024 * 1024;

const blobSchema = z.strictObject({
  offset: z.number().int().min(0),
  length: z.number().int().min(1),
  type: z.literal('image/png'),
});

const headerSchema = z.strictObject({
  format: z.literal('patina-project'),
  savedAt: z.string(),
  photo: z.strictObject({
    /** Absolute path when saved. */
    path: z.string().min(1),
    /** Path relative to the sidecar's folder, tried first (the pair may have moved together). */
    relativePath: z.string().min(1),
    name: z.string().min(1),
    width: z.number().int().positive(),
    height: z.number().int().positive(),
    fileBytes: z.number().int().min(0),
    mtimeMs: z.number().min(0),
  }),
  state: projectStateSchema,
  /** Layer id -> blob name of its mask. */
  masks: z.record(z.string(), z.string()),
  /** Blob name of the head image, or null when the head is the photo itself. */
  headImage: z.string().nullable(),
  blobs: z.record(z.string(), blobSchema),
});

export type ProjectHeader = z.infer<typeof headerSchema>;

export interface ProjectContent {
  readonly savedAt: string;
  readonly photo: ProjectHeader['photo'];
  readonly state: ProjectState;
  /** PNG bytes per layer id (every layer in state.layers). */
  readonly masks: ReadonlyMap<string, Uint8Array>;
  /** The head image file (a restore result PNG), or null. */
  readonly headImageFile: string | null;
}

export async function writeProjectFile(dest: string, content: ProjectContent): Promise<void> {
  const blobs: ProjectHeader['blobs'] = {};
  const parts: Uint8Array[] = [];
  let offset = 0;
  const addBlob = (name: string, bytes: Uint8Array) => {
    blobs[name] = { offset, length: bytes.byteLength, type: 'image/png' };
    parts.push(bytes);
    offset += bytes.byteLength;
    return name;
  };
  const masks: Record<string, string> = {};
  for (const layer of content.state.layers) {
    const png = content.masks.get(layer.id);
    if (!png) throw new EngineError('INVALID_ARGUMENT', `No mask for layer ${layer.id}`);
    masks[layer.id] = addBlob(`mask-${layer.id}`, png);
  }
  const headImage = content.headImageFile ? addBlob('head-image', await readFile(content.headImageFile)) : null;
  const header: ProjectHeader = {
    format: 'patina-project',
    savedAt: content.savedAt,
    photo: content.photo,
    state: content.state,
    masks,
    headImage,
    blobs,
  };
  const json = Buffer.from(JSON.stringify(header), 'utf8');
  const prefix = Buffer.alloc(PREFIX_BYTES);
  prefix.write(MAGIC, 0, 'latin1');
  prefix.writeUInt32LE(CONTAINER_VERSION, 8);
  prefix.writeUInt32LE(json.byteLength, 12);
  await writeAtomically(dest, 'overwrite', (tmp) => writeFile(tmp, Buffer.concat([prefix, json, ...parts])));
}

/** A readable project: its header and where its blobs start. */
export interface ProjectFile {
  readonly path: string;
  readonly header: ProjectHeader;
  readonly blobStart: number;
}

export async function readProjectFile(file: string): Promise<ProjectFile> {
  const fh = await open(file, 'r').catch((err: NodeJS.ErrnoException) => {
    throw new EngineError(err.code === 'ENOENT' ? 'NOT_FOUND' : 'PROJECT_INVALID', `Cannot open project ${file}: ${err.code ?? err.message}`);
  });
  try {
    const prefix = Buffer.alloc(PREFIX_BYTES);
    const { bytesRead } = await fh.read(prefix, 0, PREFIX_BYTES, 0);
    if (bytesRead < PREFIX_BYTES || prefix.toString('latin1', 0, 8) !== MAGIC) {
      throw new EngineError('PROJECT_INVALID', `${file} is not a Patina project`);
    }
    const version = prefix.readUInt32LE(8);
    if (version !== CONTAINER_VERSION) {
      throw new EngineError('PROJECT_INVALID', `${file} was saved by a newer Patina (project format ${version})`);
    }
    const length = prefix.readUInt32LE(12);
    if (length > MAX_HEADER_BYTES) throw new EngineError('PROJECT_INVALID', `${file} has a damaged header`);
    const json = Buffer.alloc(length);
    const read = await fh.read(json, 0, length, PREFIX_BYTES);
    if (read.bytesRead < length) throw new EngineError('PROJECT_INVALID', `${file} is truncated`);
    let parsed: unknown;
    try {
      parsed = JSON.parse(json.toString('utf8'));
    } catch {
      throw new EngineError('PROJECT_INVALID', `${file} has a damaged header`);
    }
    const header = headerSchema.safeParse(parsed);
    if (!header.success) throw new EngineError('PROJECT_INVALID', `${file} has an unexpected header: ${header.error.issues[0]?.message}`);
    const size = (await fh.stat()).size;
    const blobStart = PREFIX_BYTES + length;
    for (const [name, blob] of Object.entries(header.data.blobs)) {
      if (blobStart + blob.offset + blob.length > size) throw new EngineError('PROJECT_INVALID', `${file} is truncated (blob ${name})`);
    }
    for (const layer of header.data.state.layers) {
      if (!header.data.blobs[header.data.masks[layer.id] ?? '']) {
        throw new EngineError('PROJECT_INVALID', `${file} has no mask for layer "${layer.name}"`);
      }
    }
    if (header.data.headImage !== null && !header.data.blobs[header.data.headImage]) {
      throw new EngineError('PROJECT_INVALID', `${file} lists a head image it does not hold`);
    }
    return { path: file, header: header.data, blobStart };
  } finally {
    await fh.close();
  }
}

export async function readBlob(project: ProjectFile, name: string): Promise<Buffer> {
  const blob = project.header.blobs[name];
  if (!blob) throw new EngineError('PROJECT_INVALID', `${project.path} has no blob ${name}`);
  const fh = await open(project.path, 'r');
  try {
    const bytes = Buffer.alloc(blob.length);
    const { bytesRead } = await fh.read(bytes, 0, blob.length, project.blobStart + blob.offset);
    if (bytesRead < blob.length) throw new EngineError('PROJECT_INVALID', `${project.path} is truncated`);
    return bytes;
  } finally {
    await fh.close();
  }
}

/** For "resume?" offers: when a sidecar exists and is readable, when it was saved; null otherwise. */
export async function readSidecarSummary(file: string): Promise<{ path: string; savedAt: string } | null> {
  try {
    const project = await readProjectFile(file);
    return { path: file, savedAt: project.header.savedAt };
  } catch {
    return null;
  }
}

/**
 * One layer's mask decoded to the photo grid.
 * Returns width*height bytes, row-major: 255 = masked, 0 = not.
 */
export async function decodeLayerMask(project: ProjectFile, layerId: string): Promise<Uint8Array> {
  const { width, height } = project.header.photo;
  const png = await readBlob(project, project.header.masks[layerId] ?? '');
  let grey: Buffer;
  let info: { width: number; height: number; channels: number };
  try {
    ({ data: grey, info } = await sharp(png).flatten({ background: '#000000' }).extractChannel(0).raw().toBuffer({ resolveWithObject: true }));
  } catch (err) {
    throw new EngineError('PROJECT_INVALID', `${project.path}: mask of layer ${layerId} is unreadable (${err instanceof Error ? err.message : err})`);
  }
  if (info.width !== width || info.height !== height) {
    throw new EngineError('PROJECT_INVALID', `${project.path}: mask of layer ${layerId} is ${info.width}x${info.height}, not ${width}x${height}`);
  }
  const out = new Uint8Array(width * height);
  for (let i = 0; i < out.length; i++) out[i] = grey[i]! > 127 ? 255 : 0;
  return out;
}

/**
 * The mask a restore uses, from a saved project: the union of its visible
 * layers, in photo space (1 = fill). Batch runs take masks from sidecars
 * through this.
 */
export async function projectRestoreMask(file: string): Promise<BinaryMask> {
  const project = await readProjectFile(file);
  const { width, height } = project.header.photo;
  const data = new Uint8Array(width * height);
  for (const layer of project.header.state.layers) {
    if (!layer.visible) continue;
    const mask = await decodeLayerMask(project, layer.id);
    for (let i = 0; i < data.length; i++) if (mask[i]) data[i] = 1;
  }
  return { width, height, data };
}
