import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { EngineError } from '../errors/engine-error';

/**
 * One entry of models/manifest.json. Only the fields the engine acts on are
 * required; the model-card fields (params, training, licence, ...) pass through.
 */
const modelEntrySchema = z
  .object({
    role: z.string(),
    name: z.string(),
    version: z.string(),
    file: z.string().min(1),
    sha256: z.string().regex(/^[0-9a-fA-F]{64}$/, 'sha256 must be 64 hex digits'),
    inputMultiple: z.number().int().positive(),
    nativeResolution: z.number().int().positive(),
    maxSide: z.number().int().positive(),
    /** Deepest hole (pixels from its edge, at network scale) filled at full resolution; see crop-plan.ts. */
    holeReach: z.number().positive().optional(),
    opset: z.number().int().optional(),
    /** mirrorEnsemble: the graph itself averages a mirrored pass, so the engine's 'best' mode adds none. */
    architecture: z.object({ mirrorEnsemble: z.boolean().optional() }).passthrough().optional(),
  })
  .passthrough();

const manifestSchema = z.object({
  schemaVersion: z.literal(1),
  models: z.array(modelEntrySchema).min(1),
});

export type ModelEntry = z.infer<typeof modelEntrySchema>;

/** A manifest entry with its file resolved to an absolute path. */
export interface ResolvedModel {
  readonly entry: ModelEntry;
  readonly modelPath: string;
  readonly manifestPath: string;
}

/**
 * Reads `<modelsDir>/manifest.json` and returns the entry for `role`.
 * Every failure names the file involved, because the usual cause is a broken
 * install and the person reading the message has to find that file.
 */
export async function readModelManifest(modelsDir: string, role = 'inpaint'): Promise<ResolvedModel> {
  const manifestPath = path.resolve(modelsDir, 'manifest.json');
  let text: string;
  try {
    text = await readFile(manifestPath, 'utf8');
  } catch (err) {
    throw new EngineError('MODEL_MISSING', `Model manifest not found: ${manifestPath}`, String(err));
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new EngineError('MODEL_INVALID', `Model manifest is not valid JSON: ${manifestPath}`, String(err));
  }
  const parsed = manifestSchema.safeParse(json);
  if (!parsed.success) {
    throw new EngineError('MODEL_INVALID', `Model manifest has an unexpected shape: ${manifestPath}`, parsed.error.message);
  }
  const entry = parsed.data.models.find((m) => m.role === role);
  if (!entry) {
    throw new EngineError('MODEL_MISSING', `Model manifest ${manifestPath} lists no model with role "${role}"`);
  }
  // The file must stay inside models/: a manifest is data, not a licence to read anywhere.
  const modelPath = path.resolve(path.dirname(manifestPath), entry.file);
  if (path.relative(path.dirname(manifestPath), modelPath).startsWith('..')) {
    throw new EngineError('MODEL_INVALID', `Model file ${entry.file} in ${manifestPath} points outside the models folder`);
  }
  return { entry, modelPath, manifestPath };
}
