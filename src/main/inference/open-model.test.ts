import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../restore/testing/fixtures';
import { defaultModelsDir } from './models-dir';
import { ONE_THREAD, openModel } from './open-model';

const toneDir = path.join(defaultModelsDir(), 'tone');
const tone = { name: 'tone', input: 'image', output: 'points', options: ONE_THREAD } as const;

describe('openModel', () => {
  it('opens the real tone model with the input and output its callers use', async () => {
    const { session, model } = await openModel(toneDir, 'tone', tone);
    expect(session.inputNames).toContain('image');
    expect(session.outputNames).toContain('points');
    expect(model.entry.role).toBe('tone');
    expect(model.modelPath).toBe(path.join(toneDir, 'patina-tone.onnx'));
  });

  it('refuses a model without the output its callers read, naming it in words', async () => {
    await expect(openModel(toneDir, 'tone', { ...tone, output: 'grid' })).rejects.toMatchObject({
      code: 'MODEL_INVALID',
      message: `Tone model ${path.join(toneDir, 'patina-tone.onnx')} lacks input "image" or output "grid"`,
    });
  });

  it('refuses a file onnxruntime cannot load even when its hash matches the manifest', async () => {
    const dir = await tempDir();
    const junk = Buffer.from('not an onnx model');
    const manifest = JSON.parse(await readFile(path.join(toneDir, 'manifest.json'), 'utf8')) as { models: Record<string, unknown>[] };
    manifest.models[0]!['sha256'] = createHash('sha256').update(junk).digest('hex');
    manifest.models[0]!['bytes'] = junk.length;
    await writeFile(path.join(dir, 'manifest.json'), JSON.stringify(manifest));
    await writeFile(path.join(dir, 'patina-tone.onnx'), junk);
    await expect(openModel(dir, 'tone', tone)).rejects.toMatchObject({
      code: 'MODEL_INVALID',
      message: `Cannot load the tone model ${path.join(dir, 'patina-tone.onnx')}`,
    });
  });
});
