import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildEngineForTests, runBuiltCli, type BuiltEngine } from '../restore/testing/build-engine';
import { rawSamples, scratchMaskPng, syntheticImage, syntheticPixels, tempDir } from '../restore/testing/fixtures';

const here = path.dirname(fileURLToPath(import.meta.url));
const PHOTO = path.resolve(here, '../../../../shared/data/train/sun_hays80/abbey_sun_asztnlqhlrvirneh.jpg');

let built: BuiltEngine;
let root: string;
let clean: Uint8Array;
const patina = (args: string[]) => runBuiltCli(built.cli, args, root);
const jsonLines = (stdout: string) => stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);

/** Faded print: contrast 60 %, blacks lifted by 0.15, blue dye 20 % weaker. */
const fade = (v: number, i: number, max: number) => Math.round(max * [1, 0.97, 0.8][i % 3]! * (0.15 + (0.6 * v) / max));

function psnr(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let se = 0;
  for (let i = 0; i < a.length; i++) se += (a[i]! - b[i]!) ** 2;
  return 10 * Math.log10((255 * 255) / (se / a.length));
}

beforeAll(async () => {
  built = await buildEngineForTests();
  root = await tempDir('patina-tone-cli-');
  await mkdir(path.join(root, 'in'));
  const { data, info } = await sharp(PHOTO).resize(160, 120, { fit: 'cover' }).raw().toBuffer({ resolveWithObject: true });
  clean = new Uint8Array(data);
  const raw = (d: Uint8Array | Uint16Array, channels: 1 | 2 | 3 | 4, w = info.width, h = info.height) =>
    sharp(d as unknown as Buffer, { raw: { width: w, height: h, channels } });
  await raw(clean.map((v, i) => fade(v, i, 255)), 3).png().toFile(path.join(root, 'in', 'faded.png'));
  await raw(clean.map((v, i) => fade(v, i, 255)), 3)
    .withIccProfile('p3')
    .withExif({ IFD0: { Copyright: 'Patina test' } })
    .jpeg({ quality: 95 })
    .toFile(path.join(root, 'in', 'print.jpg'));
  const deep = syntheticPixels(64, 48, 3, 16) as Uint16Array;
  await raw(deep.map((v, i) => fade(v, i, 65535)), 3, 64, 48).toColourspace('rgb16').png().toFile(path.join(root, 'in', 'deep.png'));
  const grey = syntheticPixels(64, 48, 1, 16) as Uint16Array;
  await raw(grey.map((v) => 15000 + Math.round(v * 0.4)), 1, 64, 48).toColourspace('grey16').png().toFile(path.join(root, 'in', 'grey16.png'));
  const rgba = syntheticPixels(64, 48, 4, 8) as Uint8Array;
  await raw(rgba, 4, 64, 48).png().toFile(path.join(root, 'in', 'alpha.png'));
  await syntheticImage(64, 48, 2, 8).png().toFile(path.join(root, 'in', 'greyalpha.png'));
  await raw(deep.map((v, i) => fade(v, i, 65535)), 3, 64, 48).toColourspace('rgb16').tiff({ compression: 'lzw' }).toFile(path.join(root, 'in', 'deep.tif'));
  await raw(clean.map((v, i) => fade(v, i, 255)), 3).webp({ lossless: true }).toFile(path.join(root, 'in', 'lossless.webp'));
}, 60_000);
afterAll(() => built?.dispose());

describe('patina run --tone auto', () => {
  it('restores tone only without a mask: every format keeps its depth, channels, alpha and metadata, and the report records the settings', async () => {
    const out = path.join(root, 'out-all');
    const r = await patina(['run', '--image', 'in', '--output', out, '--tone', 'auto', '--json']);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const items = jsonLines(r.stdout).filter((l) => l.type === 'item');
    expect(items).toHaveLength(8);
    for (const it of items) expect(it).toMatchObject({ status: 'restored', crops: 0, tone: { strength: 100, overridden: [], estimator: 'learned' } });

    const faded = await rawSamples(path.join(root, 'in', 'faded.png'));
    const restored = await rawSamples(path.join(out, 'faded.png'));
    expect(psnr(restored.data, clean)).toBeGreaterThan(psnr(faded.data, clean) + 3);

    const meta = (f: string) => sharp(path.join(out, f)).metadata();
    expect(await meta('deep.png')).toMatchObject({ depth: 'ushort', channels: 3 });
    expect(await meta('grey16.png')).toMatchObject({ depth: 'ushort', channels: 1 });
    expect(await meta('deep.tif')).toMatchObject({ format: 'tiff', depth: 'ushort', channels: 3 });
    expect(await meta('greyalpha.png')).toMatchObject({ channels: 2, hasAlpha: true });
    const webp = await rawSamples(path.join(out, 'lossless.webp'));
    // Lossless WebP stays lossless: the toned pixels come back exactly as the PNG of the same photo.
    expect(Buffer.compare(Buffer.from(webp.data), Buffer.from(restored.data))).toBe(0);
    const jpeg = await meta('print.jpg');
    expect(jpeg.icc).toEqual((await sharp(path.join(root, 'in', 'print.jpg')).metadata()).icc);
    expect(jpeg.exif?.toString('latin1')).toContain('Patina test');

    // Grey with alpha: the alpha band comes back untouched too.
    const gaIn = await sharp(path.join(root, 'in', 'greyalpha.png')).extractChannel('alpha').raw().toBuffer();
    expect(Buffer.compare(await sharp(path.join(out, 'greyalpha.png')).extractChannel('alpha').raw().toBuffer(), gaIn)).toBe(0);

    const alphaIn = await rawSamples(path.join(root, 'in', 'alpha.png'));
    const alphaOut = await rawSamples(path.join(out, 'alpha.png'));
    let colourChanged = 0;
    for (let i = 0; i < alphaIn.data.length; i++) {
      if (i % 4 === 3) expect(alphaOut.data[i]).toBe(alphaIn.data[i]);
      else if (alphaOut.data[i] !== alphaIn.data[i]) colourChanged++;
    }
    expect(colourChanged).toBeGreaterThan(0);

    const report = JSON.parse(await readFile(path.join(out, 'patina-report.json'), 'utf8')) as { spec: unknown; restored: { file: string; tone?: { look: string; colour: string } }[] };
    expect(report.spec).toMatchObject({ masks: { kind: 'none' }, options: { tone: {} } });
    expect(report.restored).toHaveLength(8);
    expect(report.restored.find((x) => x.file.endsWith('grey16.png'))?.tone).toMatchObject({ look: 'monochrome' });
    expect(report.restored.find((x) => x.file.endsWith('faded.png'))?.tone).toMatchObject({ look: 'colour', colour: 'neutralise' });
  });

  it('takes the detailed settings as given and Auto fills in the rest', async () => {
    const out = path.join(root, 'out-settings');
    const r = await patina(['run', '--image', 'in/faded.png', '--output', out, '--tone', 'auto', '--tone-colour', 'keep', '--tone-strength', '50', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const item = jsonLines(r.stdout).find((l) => l.type === 'item') as { tone: { colour: string; strength: number; contrast: number; overridden: string[] } };
    // Contrast is Auto's: all of the learned tone curve (the classical fit's Auto is 80).
    expect(item.tone).toMatchObject({ colour: 'keep', strength: 50, contrast: 100, estimator: 'learned' });
    expect([...item.tone.overridden].sort()).toEqual(['colour', 'strength']);
  });

  it('with a mask, tone works on the filled photo: what lay under the mask does not reach the output', async () => {
    const mask = path.join(root, 'mask.png');
    await sharp(await scratchMaskPng(160, 120, 5)).toFile(mask);
    const { data: m } = await sharp(mask).extractChannel(0).raw().toBuffer({ resolveWithObject: true });
    const faded = clean.map((v, i) => fade(v, i, 255));
    // Two copies that differ only under the mask: white there, or black.
    for (const [name, hole] of [['white', 255], ['black', 0]] as const) {
      await mkdir(path.join(root, name), { recursive: true });
      const d = faded.map((v, i) => (m[Math.floor(i / 3)]! > 127 ? hole : v));
      await sharp(d, { raw: { width: 160, height: 120, channels: 3 } }).png().toFile(path.join(root, name, 'p.png'));
    }
    const outs: Uint8Array[] = [];
    for (const name of ['white', 'black']) {
      const r = await patina(['run', '--image', `${name}/p.png`, '--mask', mask, '--output', `out-${name}`, '--tone', 'auto', '--quality-mode', 'fast', '--device', 'cpu']);
      expect(r.code, r.stderr).toBe(0);
      outs.push((await rawSamples(path.join(root, `out-${name}`, 'p.png'))).data as Uint8Array);
    }
    expect(Buffer.compare(Buffer.from(outs[0]!), Buffer.from(outs[1]!))).toBe(0);
    // And the tone did apply: outside the mask pixels moved from the faded input.
    expect(psnr(outs[0]!, faded)).toBeLessThan(35);
  }, 120_000);

  it('--auto-mask --tone auto on a photo without damage still gets its tone (without tone it is nothing to restore)', async () => {
    await mkdir(path.join(root, 'clean'), { recursive: true });
    await syntheticImage(96, 64, 3, 8).png().toFile(path.join(root, 'clean', 'smooth.png'));
    const r = await patina(['run', '--image', 'clean/smooth.png', '--auto-mask', '--output', 'out-auto-tone', '--tone', 'auto', '--json']);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(jsonLines(r.stdout).find((l) => l.type === 'item')).toMatchObject({ status: 'restored', crops: 0, tone: { strength: 100 } });
    const plain = await patina(['run', '--image', 'clean/smooth.png', '--auto-mask', '--output', 'out-auto-plain', '--json']);
    expect(jsonLines(plain.stdout).find((l) => l.type === 'item')).toMatchObject({ status: 'failed', error: { code: 'MASK_EMPTY' } });
  });

  it('exits 2 on tone usage errors', async () => {
    const cases: [string[], RegExp][] = [
      [['--tone-grain', '10'], /use with --tone auto/],
      [['--tone', 'sometimes'], /--tone must be auto or off/],
      [['--tone', 'auto', '--tone-colour', 'pink'], /--tone-colour must be one of neutralise, keep, leave/],
      [['--tone', 'auto', '--tone-strength', '101'], /--tone-strength must be an integer from 0 to 100/],
      [[], /--mask is required \(or --auto-mask, or --tone auto for tone only\)/],
    ];
    for (const [extra, message] of cases) {
      const r = await patina(['run', '--image', 'in/faded.png', '--output', 'out-usage', ...extra]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(message);
    }
  });
});
