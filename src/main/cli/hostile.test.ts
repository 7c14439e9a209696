import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import path from 'node:path';
import { crc32 } from 'node:zlib';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCK_FILE } from '../batch/lock';
import { buildEngineForTests, runBuiltCli, type BuiltEngine, type CliRun } from '../restore/testing/build-engine';
import { rawSamples, scratchMaskPng, syntheticImage, tempDir } from '../restore/testing/fixtures';

/*
 * Hostile and unlucky inputs, each run through the real CLI (built engine,
 * real model) in a folder of its own. Every case asserts the exit code and
 * the message, and that no file outside the output folder that existed
 * before the run changed (hash) or vanished, and that no temporary file is left. Photos are tiny so the
 * table stays fast.
 */

const W = 32;
const H = 24;

let built: BuiltEngine;
let root: string;
let caseNo = 0;

beforeAll(async () => {
  built = await buildEngineForTests();
  root = await tempDir('patina-hostile-');
}, 120_000);
afterAll(() => built?.dispose());

type Setup = (dir: string) => Promise<void>;

interface Case {
  readonly name: string;
  readonly setup: Setup;
  readonly args: readonly string[];
  readonly code: number;
  /** Matched against stdout + stderr. */
  readonly message: RegExp;
  /** Must not appear (raw library text, usage text on a failed run). */
  readonly not?: RegExp;
  readonly check?: (dir: string, run: CliRun) => Promise<void>;
}

// --- fixtures -----------------------------------------------------------------

const at = (dir: string, rel: string) => path.join(dir, rel);

async function put(dir: string, rel: string, bytes: Buffer | string): Promise<void> {
  await mkdir(path.dirname(at(dir, rel)), { recursive: true });
  await writeFile(at(dir, rel), bytes);
}

const jpeg = (w = W, h = H) => syntheticImage(w, h, 3, 8).jpeg().toBuffer();
const png = (w = W, h = H) => syntheticImage(w, h, 3, 8).png().toBuffer();
const scratch = (w = W, h = H) => scratchMaskPng(w, h);
const solid = (w: number, h: number, v: number) => sharp({ create: { width: w, height: h, channels: 3, background: { r: v, g: v, b: v } } }).png().toBuffer();

/** A photo plus a mask beside it: the usual single-photo case. */
const photoAndMask =
  (name = 'in/photo.jpg', bytes: () => Promise<Buffer> = jpeg, mask: () => Promise<Buffer> = scratch): Setup =>
  async (dir) => {
    await put(dir, name, await bytes());
    await put(dir, 'mask.png', await mask());
  };

/** A folder of good photos (a.jpg, b.png) and a mask. */
const folder =
  (extra: Setup = async () => {}): Setup =>
  async (dir) => {
    await put(dir, 'in/a.jpg', await jpeg());
    await put(dir, 'in/b.png', await png());
    await put(dir, 'mask.png', await scratch());
    await extra(dir);
  };

function pngWithHeader(width: number, height: number): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([len, body, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // RGB
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', Buffer.from([0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01])), chunk('IEND', Buffer.alloc(0))]);
}

async function badCrcPng(): Promise<Buffer> {
  const b = Buffer.from(await png());
  b[30] ^= 0xff; // inside the IHDR's CRC
  return b;
}

async function multiPage(kind: 'tiff' | 'webp'): Promise<Buffer> {
  const frames = Buffer.concat([Buffer.alloc(W * H * 3, 40), Buffer.alloc(W * H * 3, 200)]);
  const s = sharp(frames, { raw: { width: W, height: H * 2, channels: 3, pageHeight: H } });
  return kind === 'tiff' ? s.tiff().toBuffer() : s.webp({ loop: 0 }).toBuffer();
}

const greyAlpha = (bits: 8 | 16) => syntheticImage(W, H, 2, bits).png().toBuffer();
const rgba = () => syntheticImage(W, H, 4, 8).png().toBuffer();

async function alphaOf(file: string): Promise<number[]> {
  const s = await rawSamples(file, 'ushort');
  return Array.from(s.data.filter((_, i) => i % s.channels === s.channels - 1));
}

/** The input's alpha band comes back unchanged (only colour is filled). */
const keepsAlpha = (input: string, output: string) => async (dir: string) => {
  expect(await alphaOf(at(dir, output))).toEqual(await alphaOf(at(dir, input)));
};

const formatIs = (rel: string, format: string) => async (dir: string) => {
  expect((await sharp(at(dir, rel)).metadata()).format).toBe(format);
};

/** The pid of a process that has already exited. */
const deadPid = () => spawnSync(process.execPath, ['-e', '0']).pid!;

// --- the table ----------------------------------------------------------------

const run = (...args: string[]) => ['run', ...args, '--device', 'cpu'];
const single = (...extra: string[]) => run('--image', 'in/photo.jpg', '--mask', 'mask.png', '--output', 'out', ...extra);
/** One photo with the mask, written with --overwrite into `output`. */
const overwriteInto = (image: string, output: string) => run('--image', image, '--mask', 'mask.png', '--output', output, '--overwrite');
/** A symbolic link `link` to `target`, both in the case's folder. */
const linkTo = (target: string, link: string) => (d: string) => symlink(at(d, target), at(d, link));
/** photoAndMask, and a link `link` to `target`. */
const photoAndMaskLinked = (target: string, link: string) => async (d: string) => {
  await photoAndMask()(d);
  await linkTo(target, link)(d);
};
/** `patina detect` over the folder in/ with the classical detector (no model needed). */
const detectFolder = (...args: string[]) => ['detect', '--image', 'in', ...args, '--method', 'classical'];
/** in/a.jpeg and in/a.png: two photos whose masks would both be named a.png. */
const photosSharingAStem: Setup = async (d) => {
  await put(d, 'in/a.jpeg', await jpeg());
  await put(d, 'in/a.png', await png());
};
const RAW = /(FAILED|patina:) [^\n]*(Unknown error|ENOENT|EEXIST|ENOTDIR|libpng|vipspng)/;
const USAGE = /Usage:/;

const CASES: Case[] = [
  // Command-line mistakes: exit 2 with the usage text, nothing read or written.
  { name: 'no command', setup: async () => {}, args: [], code: 2, message: /Missing command/ },
  { name: 'unknown command', setup: async () => {}, args: ['restore'], code: 2, message: /Unknown command "restore"/ },
  { name: 'stray argument', setup: photoAndMask(), args: [...single(), 'extra'], code: 2, message: /Unexpected argument "extra"/ },
  { name: 'unknown flag', setup: photoAndMask(), args: [...single(), '--turbo'], code: 2, message: /Unknown option '--turbo'/ },
  { name: 'no --image', setup: async () => {}, args: run('--mask', 'm.png', '--output', 'out'), code: 2, message: /--image is required/ },
  { name: 'no --output', setup: photoAndMask(), args: run('--image', 'in/photo.jpg', '--mask', 'mask.png'), code: 2, message: /--output is required/ },
  { name: 'no mask', setup: photoAndMask(), args: run('--image', 'in/photo.jpg', '--output', 'out'), code: 2, message: /--mask is required/ },
  { name: 'mask and auto-mask', setup: photoAndMask(), args: [...single(), '--auto-mask'], code: 2, message: /either --mask or --auto-mask/ },
  { name: 'overwrite and skip', setup: photoAndMask(), args: [...single(), '--overwrite', '--skip-existing'], code: 2, message: /exclude each other/ },
  { name: 'bad device', setup: photoAndMask(), args: ['run', '--image', 'in/photo.jpg', '--mask', 'mask.png', '--output', 'out', '--device', 'tpu'], code: 2, message: /--device must be one of/ },
  { name: 'quality 0', setup: photoAndMask(), args: [...single(), '--quality', '0'], code: 2, message: /--quality must be an integer from 1 to 100/ },
  { name: 'quality text', setup: photoAndMask(), args: [...single(), '--quality', 'best'], code: 2, message: /--quality must be an integer/ },
  { name: 'dilate 9', setup: photoAndMask(), args: [...single(), '--dilate', '9'], code: 2, message: /--dilate must be an integer from 0 to 3/ },
  { name: 'sensitivity without auto-mask', setup: photoAndMask(), args: [...single(), '--sensitivity', '0.4'], code: 2, message: /use them with --auto-mask/ },
  { name: 'missing photo', setup: async () => {}, args: run('--image', 'nope.jpg', '--mask', 'm.png', '--output', 'out'), code: 2, message: /--image nope\.jpg does not exist/ },
  { name: 'photo is a device', setup: async () => {}, args: run('--image', '/dev/null', '--mask', 'm.png', '--output', 'out'), code: 2, message: /neither a file nor a folder/ },
  { name: 'missing mask file', setup: photoAndMask(), args: run('--image', 'in/photo.jpg', '--mask', 'nope.png', '--output', 'out'), code: 2, message: /--mask nope\.png does not exist/ },
  { name: 'missing mask for a folder', setup: folder(), args: run('--image', 'in', '--mask', 'nope', '--output', 'out'), code: 2, message: /--mask nope does not exist/ },
  { name: 'folder without photos', setup: (d) => put(d, 'in/notes.txt', 'hi'), args: run('--image', 'in', '--auto-mask', '--output', 'out'), code: 2, message: /No JPEG, PNG, WebP or TIFF files/ },
  { name: 'folder output is a file', setup: folder((d) => put(d, 'out', 'a file')), args: run('--image', 'in', '--mask', 'mask.png', '--output', 'out'), code: 2, message: /is a file, not a folder/ },

  // The write rule: originals and the folders being read are never written, links followed.
  { name: 'output = input folder', setup: folder(), args: run('--image', 'in', '--mask', 'mask.png', '--output', 'in', '--overwrite'), code: 2, message: /is a folder the photos or masks are read from/ },
  { name: 'output through a link to the input folder', setup: folder(linkTo('in', 'link')), args: run('--image', 'in', '--mask', 'mask.png', '--output', 'link', '--overwrite'), code: 2, message: /is a folder the photos or masks are read from/ },
  {
    name: 'recursive, output a sub-folder holding photos, through a link (issue 27 #2)',
    setup: folder(async (d) => {
      await put(d, 'in/sub/a.jpg', await jpeg());
      await symlink(at(d, 'in'), at(d, 'link-to-in'));
    }),
    args: run('--image', 'in', '--recursive', '--mask', 'mask.png', '--output', 'link-to-in/sub', '--overwrite'),
    code: 2,
    message: /inside a folder the photos or masks are read from/,
  },
  { name: 'recursive, --image through a link, output inside it', setup: folder(linkTo('in', 'link')), args: run('--image', 'link', '--recursive', '--mask', 'mask.png', '--output', 'in/restored'), code: 2, message: /inside a folder the photos or masks are read from/ },
  {
    name: 'output = mask folder',
    setup: folder(async (d) => {
      await put(d, 'masks/a_mask.png', await scratch());
      await put(d, 'masks/b.png', await scratch());
    }),
    args: run('--image', 'in', '--mask', 'masks', '--output', 'masks', '--overwrite'),
    code: 2,
    message: /is a folder the photos or masks are read from/,
  },
  { name: 'single photo, output its own folder (issue 27 #6)', setup: photoAndMask(), args: single().map((a) => (a === 'out' ? 'in' : a)), code: 1, message: /would replace the original .*photo\.jpg.*Choose another output folder/, not: /--overwrite/ },
  { name: 'single photo, own folder, with --overwrite', setup: photoAndMask(), args: overwriteInto('in/photo.jpg', 'in'), code: 1, message: /originals are never replaced/ },
  {
    name: 'single photo, output a link to its folder, --overwrite',
    setup: photoAndMaskLinked('in', 'alias'),
    args: overwriteInto('in/photo.jpg', 'alias'),
    code: 1,
    message: /would replace the original/,
  },
  {
    name: 'single photo given through a link, output its real folder',
    setup: photoAndMaskLinked('in/photo.jpg', 'photo.jpg'),
    args: overwriteInto('photo.jpg', 'in'),
    code: 1,
    message: /would replace the original/,
  },
  {
    name: 'detect into the photos folder (issue 27 #1)',
    setup: photosSharingAStem,
    args: detectFolder('--output', 'in', '--overwrite'),
    code: 2,
    message: /is a folder the photos or masks are read from/,
  },
  {
    name: 'detect into a link to the photos folder',
    setup: async (d) => {
      await put(d, 'in/a.jpeg', await jpeg());
      await linkTo('in', 'link')(d);
    },
    args: detectFolder('--output', 'link', '--overwrite'),
    code: 2,
    message: /is a folder the photos or masks are read from/,
  },
  {
    name: 'detect, two photos would share a mask name',
    setup: photosSharingAStem,
    args: detectFolder('--output', 'masks'),
    code: 1,
    message: /would also be written for/,
  },
  { name: 'detect a single photo into its own folder', setup: (d) => put(d, 'in/a.png', ''), args: ['detect', '--image', 'in/a.png', '--output', 'in', '--overwrite'], code: 1, message: /would replace the original/ },

  // Broken and unusual photos: one clear reason each, in words, with the decoder's text as details.
  { name: 'empty file', setup: photoAndMask('in/photo.jpg', async () => Buffer.alloc(0)), args: single(), code: 1, message: /the file is damaged, cut short or not an image/ },
  { name: 'text named .jpg', setup: photoAndMask('in/photo.jpg', async () => Buffer.from('hello, not a photo')), args: single(), code: 1, message: /damaged, cut short or not an image/ },
  {
    name: 'truncated JPEG',
    setup: photoAndMask('in/photo.jpg', async () => (await jpeg(200, 150)).subarray(0, 300)),
    args: single(),
    code: 1,
    message: /damaged, cut short or not an image[\s\S]*details:/,
  },
  { name: 'PNG with a bad CRC', setup: photoAndMask('in/photo.jpg', badCrcPng), args: single(), code: 1, message: /damaged, cut short or not an image/, not: /FAILED.*Unknown error/ },
  { name: 'random bytes .png', setup: photoAndMask('in/photo.jpg', async () => Buffer.from(Array.from({ length: 999 }, (_, i) => (i * 73) % 256))), args: single(), code: 1, message: /not an image/ },
  { name: 'JPEG header only', setup: photoAndMask('in/photo.jpg', async () => Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 16])), args: single(), code: 1, message: /not an image/ },
  { name: 'decompression bomb header', setup: photoAndMask('in/photo.jpg', async () => pngWithHeader(60000, 60000)), args: single(), code: 1, message: /damaged, cut short or not an image/ },
  { name: 'GIF', setup: photoAndMask('in/photo.jpg', () => sharp({ create: { width: W, height: H, channels: 3, background: '#888' } }).gif().toBuffer()), args: single(), code: 1, message: /Unsupported image format "gif"/ },
  { name: 'multi-page TIFF (issue 27 #5)', setup: photoAndMask('in/photo.jpg', () => multiPage('tiff')), args: single(), code: 1, message: /is a 2-page TIFF; Patina restores single images/ },
  { name: 'animated WebP (issue 27 #5)', setup: photoAndMask('in/photo.jpg', () => multiPage('webp')), args: single(), code: 1, message: /is an animation of 2 frames/ },

  // Masks.
  { name: 'mask truncated', setup: photoAndMask('in/photo.jpg', jpeg, async () => (await scratch()).subarray(0, 60)), args: single(), code: 1, message: /Cannot read mask .*save the mask again/ },
  { name: 'mask is text', setup: photoAndMask('in/photo.jpg', jpeg, async () => Buffer.from('white = fill')), args: single(), code: 1, message: /Cannot read mask/ },
  { name: 'mask all black', setup: photoAndMask('in/photo.jpg', jpeg, () => solid(W, H, 0)), args: single(), code: 1, message: /The mask marks no pixels to restore/ },
  { name: 'mask all black, inverted = all white', setup: photoAndMask('in/photo.jpg', jpeg, () => solid(W, H, 0)), args: [...single(), '--invert-mask'], code: 0, message: /warning: The mask marks the whole photo/ },
  { name: 'mask all white (issue 27 #9)', setup: photoAndMask('in/photo.jpg', jpeg, () => solid(W, H, 255)), args: single(), code: 0, message: /warning: The mask marks the whole photo/ },
  { name: 'mask of another shape (issue 27 #9)', setup: photoAndMask('in/photo.jpg', jpeg, () => scratch(W, W)), args: single(), code: 0, message: /warning: The mask is 32x32 but the photo 32x24, a different shape/ },
  { name: 'mask of the same shape, other size: no warning', setup: photoAndMask('in/photo.jpg', jpeg, () => scratch(W * 2, H * 2)), args: single(), code: 0, message: /1 restored/, not: /warning/ },
  { name: 'mask folder without a match', setup: async (d) => { await put(d, 'in/photo.jpg', await jpeg()); await put(d, 'masks/other.png', await scratch()); }, args: run('--image', 'in/photo.jpg', '--mask', 'masks', '--output', 'out'), code: 1, message: /No mask for photo\.jpg in masks/ },

  // Formats and bands: what is written matches its name, alpha is never painted.
  { name: 'JPEG named .png (issue 27 #9)', setup: photoAndMask('in/photo.png', jpeg), args: run('--image', 'in/photo.png', '--mask', 'mask.png', '--output', 'out'), code: 0, message: /1 restored/, check: formatIs('out/photo.png', 'png') },
  { name: 'PNG named .jpg', setup: photoAndMask('in/photo.jpg', png), args: single(), code: 0, message: /1 restored/, check: formatIs('out/photo.jpg', 'jpeg') },
  { name: '8-bit grey + alpha (issue 27 #3)', setup: photoAndMask('in/photo.png', () => greyAlpha(8)), args: run('--image', 'in/photo.png', '--mask', 'mask.png', '--output', 'out'), code: 0, message: /1 restored/, check: keepsAlpha('in/photo.png', 'out/photo.png') },
  { name: '16-bit grey + alpha', setup: photoAndMask('in/photo.png', () => greyAlpha(16)), args: run('--image', 'in/photo.png', '--mask', 'mask.png', '--output', 'out'), code: 0, message: /1 restored/, check: keepsAlpha('in/photo.png', 'out/photo.png') },
  { name: 'RGBA', setup: photoAndMask('in/photo.png', rgba), args: run('--image', 'in/photo.png', '--mask', 'mask.png', '--output', 'out'), code: 0, message: /1 restored/, check: keepsAlpha('in/photo.png', 'out/photo.png') },
  { name: 'CMYK JPEG', setup: photoAndMask('in/photo.jpg', () => syntheticImage(W, H, 3, 8).toColourspace('cmyk').jpeg().toBuffer()), args: single(), code: 0, message: /1 restored/ },
  { name: 'EXIF-rotated JPEG', setup: photoAndMask('in/photo.jpg', () => syntheticImage(H, W, 3, 8).jpeg().withMetadata({ orientation: 6 }).toBuffer()), args: single(), code: 0, message: /1 restored/ },
  { name: 'unicode name with spaces', setup: photoAndMask('in/фото 1962 #1.jpg'), args: run('--image', 'in/фото 1962 #1.jpg', '--mask', 'mask.png', '--output', 'out'), code: 0, message: /restored фото 1962 #1\.jpg/ },
  { name: 'name starting with a dash', setup: photoAndMask('in/-x.jpg'), args: run('--image=in/-x.jpg', '--mask', 'mask.png', '--output', 'out'), code: 0, message: /restored -x\.jpg/ },
  { name: 'one-pixel photo', setup: photoAndMask('in/photo.png', () => syntheticImage(1, 1, 3, 8).png().toBuffer(), () => solid(1, 1, 255)), args: run('--image', 'in/photo.png', '--mask', 'mask.png', '--output', 'out'), code: 0, message: /whole photo/ },

  // Output folders that cannot be used: exit 1 in words, not the usage text (issue 27 #9).
  { name: 'output exists', setup: async (d) => { await photoAndMask()(d); await put(d, 'out/photo.jpg', await jpeg()); }, args: single(), code: 1, message: /already exists.*use --overwrite or --skip-existing/ },
  { name: 'output exists, --skip-existing', setup: async (d) => { await photoAndMask()(d); await put(d, 'out/photo.jpg', await jpeg()); }, args: [...single(), '--skip-existing'], code: 0, message: /1 skipped/ },
  { name: 'single-photo output is a file', setup: async (d) => { await photoAndMask()(d); await put(d, 'out', 'a file'); }, args: single(), code: 1, message: /Cannot create the output folder .*a file with that name is in the way[\s\S]*details: EEXIST/, not: USAGE },
  { name: 'single-photo output under a file', setup: async (d) => { await photoAndMask()(d); await put(d, 'file', 'x'); }, args: run('--image', 'in/photo.jpg', '--mask', 'mask.png', '--output', 'file/out'), code: 1, message: /a file stands where a folder is needed/, not: USAGE },
  {
    name: 'folder output held by a running batch',
    setup: folder((d) => put(d, `out/${LOCK_FILE}`, JSON.stringify({ pid: process.pid, host: hostname(), since: new Date().toISOString() }))),
    args: run('--image', 'in', '--mask', 'mask.png', '--output', 'out'),
    code: 1,
    message: /Another batch \(process \d+\) is writing to/,
    not: USAGE,
  },

  // Folders: bad files fail alone, odd entries are skipped, links never lead outside the rule.
  {
    name: 'folder with a corrupt photo',
    setup: folder((d) => put(d, 'in/c.jpg', Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3]))),
    args: run('--image', 'in', '--mask', 'mask.png', '--output', 'out'),
    code: 1,
    message: /2 restored, 0 skipped, 1 failed[\s\S]*c\.jpg: \[IMAGE_UNREADABLE\] Cannot read/,
    check: async (dir) => {
      const report = JSON.parse(await readFile(at(dir, 'out/patina-report.json'), 'utf8')) as { failures: { code: string; detail?: string }[] };
      expect(report.failures).toEqual([expect.objectContaining({ code: 'IMAGE_UNREADABLE', detail: expect.any(String) })]);
    },
  },
  { name: 'folder with junk files', setup: folder(async (d) => { await put(d, 'in/Thumbs.db', 'x'); await put(d, 'in/.DS_Store', 'x'); }), args: run('--image', 'in', '--mask', 'mask.png', '--output', 'out'), code: 0, message: /2 restored, 2 skipped/ },
  { name: 'folder with a link loop', setup: folder((d) => symlink(at(d, 'in'), at(d, 'in/loop'))), args: run('--image', 'in', '--recursive', '--mask', 'mask.png', '--output', 'out'), code: 0, message: /2 restored/ },
  { name: 'folder with a dangling link', setup: folder((d) => symlink(at(d, 'gone.jpg'), at(d, 'in/dangling.jpg'))), args: run('--image', 'in', '--mask', 'mask.png', '--output', 'out'), code: 0, message: /2 restored/ },
  {
    name: 'folder with a linked photo from elsewhere',
    setup: folder(async (d) => {
      await put(d, 'elsewhere/z.jpg', await jpeg());
      await symlink(at(d, 'elsewhere/z.jpg'), at(d, 'in/z.jpg'));
    }),
    args: run('--image', 'in', '--mask', 'mask.png', '--output', 'out'),
    code: 0,
    message: /3 restored/,
  },
  {
    name: 'folder output where a linked photo points',
    setup: folder(async (d) => {
      await put(d, 'elsewhere/z.jpg', await jpeg());
      await symlink(at(d, 'elsewhere/z.jpg'), at(d, 'in/z.jpg'));
    }),
    args: run('--image', 'in', '--mask', 'mask.png', '--output', 'elsewhere', '--overwrite'),
    code: 1,
    message: /z\.jpg: \[OUTPUT_IS_INPUT\] Writing .*would replace the original/,
  },
  { name: 'folder, stale lock of a dead run', setup: folder((d) => put(d, `out/${LOCK_FILE}`, JSON.stringify({ pid: deadPid(), host: hostname(), since: '2020-01-01T00:00:00Z' }))), args: run('--image', 'in', '--mask', 'mask.png', '--output', 'out'), code: 0, message: /2 restored/ },
  { name: 'folder, JPEG named .png', setup: folder((d) => jpeg().then((b) => put(d, 'in/c.png', b))), args: run('--image', 'in', '--mask', 'mask.png', '--output', 'out'), code: 0, message: /3 restored/, check: formatIs('out/c.png', 'png') },
  {
    name: 'folder, mask of another shape',
    setup: folder((d) => scratch(W, W).then((b) => put(d, 'mask.png', b))),
    args: run('--image', 'in', '--mask', 'mask.png', '--output', 'out', '--json'),
    code: 0,
    message: /"warnings":\["The mask is 32x32 but the photo 32x24/,
    check: async (dir) => {
      const report = JSON.parse(await readFile(at(dir, 'out/patina-report.json'), 'utf8')) as { restored: { warnings?: string[] }[] };
      expect(report.restored.map((r) => r.warnings?.length)).toEqual([1, 1]);
    },
  },
];

// --- the runner -----------------------------------------------------------------

/** Hash of every file under dir (links followed; directories and dangling links left out). */
async function hashes(dir: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const e of await readdir(dir, { recursive: true, withFileTypes: true })) {
    const full = path.join(e.parentPath, e.name);
    if (e.isDirectory()) continue;
    try {
      out.set(path.relative(dir, full), createHash('sha256').update(await readFile(full)).digest('hex'));
    } catch {
      // a dangling link or a link to a folder: nothing to hash
    }
  }
  return out;
}

describe('hostile inputs through the CLI: exit code, message, originals unchanged', () => {
  it('has at least 60 cases', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(60);
  });

  it.concurrent.each(CASES.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const dir = path.join(root, `case-${String(++caseNo).padStart(2, '0')}`);
    await mkdir(dir);
    await c.setup(dir);
    // Everything but the output folder is input (photos, masks, links, bystanders).
    const before = new Map([...(await hashes(dir))].filter(([file]) => !file.startsWith(`out${path.sep}`)));
    const r = await runBuiltCli(built.cli, c.args, dir);
    const text = `${r.stdout}\n${r.stderr}`;
    expect(r.code, text).toBe(c.code);
    expect(text).toMatch(c.message);
    if (c.not) expect(text).not.toMatch(c.not);
    // A failure's own line is in words; the library's text may only follow as details.
    expect(text).not.toMatch(RAW);
    const after = await hashes(dir);
    for (const [file, hash] of before) expect(after.get(file), `${file} changed or vanished`).toBe(hash);
    for (const file of after.keys()) expect(file).not.toMatch(/\.patina-tmp$/);
    if (c.check) await c.check(dir, r);
  });
});

describe('resume after a power cut (issue 27 #7)', () => {
  it('redoes an output that a crash left empty or torn instead of trusting it forever', async () => {
    const dir = path.join(root, 'power-cut');
    await mkdir(dir);
    await folder()(dir);
    const args = run('--image', 'in', '--mask', 'mask.png', '--output', 'out', '--json');
    expect((await runBuiltCli(built.cli, args, dir)).code).toBe(0);
    // What an unflushed rename looks like after the power comes back: the name, no bytes.
    await writeFile(at(dir, 'out/a.jpg'), '');
    await writeFile(at(dir, 'out/b.png'), (await readFile(at(dir, 'out/b.png'))).subarray(0, 7));
    // The journal still says "done" for both; make the next run a resume, not a fresh start.
    const journal = JSON.parse(await readFile(at(dir, 'out/.patina-batch.json'), 'utf8')) as { finished: boolean };
    journal.finished = false;
    await writeFile(at(dir, 'out/.patina-batch.json'), JSON.stringify(journal));
    const again = await runBuiltCli(built.cli, args, dir);
    expect(again.code, again.stdout + again.stderr).toBe(0);
    const items = again.stdout.trim().split('\n').map((l) => JSON.parse(l) as { type: string; status?: string });
    expect(items.filter((l) => l.type === 'item').map((l) => l.status)).toEqual(['restored', 'restored']);
    expect((await sharp(at(dir, 'out/a.jpg')).metadata()).width).toBe(W);
    expect((await sharp(at(dir, 'out/b.png')).metadata()).width).toBe(W);
  });
});
