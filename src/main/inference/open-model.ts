import * as ort from 'onnxruntime-node';
import { EngineError } from '../errors/engine-error';
import { readModelManifest, type ResolvedModel } from './manifest';
import { verifyModelFile } from './model-file';

/** Session options for a small network that runs beside others: one thread of each kind. */
export const ONE_THREAD: ort.InferenceSession.SessionOptions = { intraOpNumThreads: 1, interOpNumThreads: 1, graphOptimizationLevel: 'all', logSeverityLevel: 3 };

/** How a model is opened and named in its errors. */
export interface ModelOpening {
  /** Its name in messages: 'damage' gives "Cannot load the damage model …". */
  readonly name: string;
  /** The input its callers feed and the output they read. */
  readonly input: string;
  readonly output: string;
  readonly options: ort.InferenceSession.SessionOptions;
}

/**
 * The model `<dir>/manifest.json` lists for `role`, hash-checked against its
 * manifest and opened as an onnxruntime session. MODEL_INVALID when
 * onnxruntime refuses the file or it lacks the input or output its callers
 * use; the manifest's and the file's own errors come from readModelManifest
 * and verifyModelFile.
 */
export async function openModel(dir: string, role: string, opening: ModelOpening): Promise<{ session: ort.InferenceSession; model: ResolvedModel }> {
  const model = await readModelManifest(dir, role);
  await verifyModelFile(model);
  let session: ort.InferenceSession;
  try {
    session = await ort.InferenceSession.create(model.modelPath, opening.options);
  } catch (err) {
    throw new EngineError('MODEL_INVALID', `Cannot load the ${opening.name} model ${model.modelPath}`, String(err));
  }
  if (!session.inputNames.includes(opening.input) || !session.outputNames.includes(opening.output)) {
    const name = opening.name.charAt(0).toUpperCase() + opening.name.slice(1);
    throw new EngineError('MODEL_INVALID', `${name} model ${model.modelPath} lacks input "${opening.input}" or output "${opening.output}"`);
  }
  return { session, model };
}
