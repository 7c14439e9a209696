/**
 * Automatic damage detection: photo pixels in, a full-resolution damage mask
 * out. Runs under plain Node (the restore worker, the CLI, tests); it does not
 * touch the event loop for long because callers run it in a worker thread.
 *
 * Pipeline: min- and max-channel planes (see Planes) -> working resolution
 * (integer box down-sampling so the short side is at most 1100 px) -> thin
 * damage (scratches, cracks, dust) and torn corners -> back to full
 * resolution, where thin strokes are re-traced against the full-resolution
 * pixels so they keep their true width.
 */
import { DEFAULT_DETECT_MEDIUM, DEFAULT_DETECT_METHOD, type DetectMedium, type DetectMethodName } from '@shared/ipc/detection';
import { defaultModelsDir } from '../inference/models-dir';
import { throwIfCancelled } from '../errors/engine-error';
import { forEachNonZeroQuad } from '../imaging/mask-scan';
import { confirmCorners, detectCornersCoarse, type CornerParams } from './corners';
import { dropFaintComponents, localMeans, type LocalMeans } from './faint';
import { addLineScratches } from './line-scratches';
import { loadDefectModel, predictDamageMultiScale, type DefectModel } from './learned';
import { growFromSeeds } from './grow';
import { coarseParams, cornerParams, DEFAULT_SENSITIVITY, fineParams, learnedThresholds, refineParams } from './params';
import { reducePhoto, type PixelSource, type Planes } from './raster';
import { refineToFullResolution } from './refine';
import { detectThinMultiScale, thinResultFromMask, topHatBackgrounds, type ThinParams, type ThinResult, type TopHatBackgrounds } from './thin';

export { DEFAULT_SENSITIVITY, learnedThreshold } from './params';

/**
 * 'learned' (the default): the segmentation network in models/defects/
 * (training/defects/train_net.py; its scores, version by version, are in its
 * model card, models/defects/README.md). On photos whose working copy is at
 * least 768 px on its short side it also runs on that copy reduced 2x
 * (predictDamageMultiScale), so wide, soft scratches fit its receptive field.
 * 'classical': morphological filters, no model file; also the fallback when
 * the model cannot load. Torn corners come from the classical corner test in
 * both, confirmed by the network in 'learned'.
 */
export { DETECT_METHODS } from '@shared/ipc/detection';
export type DetectMethod = DetectMethodName;
export const DEFAULT_METHOD: DetectMethod = DEFAULT_DETECT_METHOD;

export interface DetectOptions {
  /** 0..1 (default DEFAULT_SENSITIVITY); higher flags more. */
  readonly sensitivity?: number;
  /** Checked between stages; an aborted detection throws EngineError CANCELLED. */
  readonly signal?: AbortSignal;
  /** Called with (0, total) first, then after each stage. */
  readonly onProgress?: (done: number, total: number) => void;
  /** Default DEFAULT_METHOD. */
  readonly method?: DetectMethod;
  /** For 'learned': the loaded model, or the models folder to load it from (default: the app's). */
  readonly model?: DefectModel;
  readonly modelsDir?: string;
  /** Overrides of the tuned parameters (evaluation and tuning scripts only). */
  readonly tuning?: Partial<Tuning>;
  /** What the photo is (default DEFAULT_DETECT_MEDIUM): 'film' also finds film's line scratches (line-scratches.ts). */
  readonly medium?: DetectMedium;
}

export interface Tuning {
  readonly fine: Partial<ThinParams>;
  readonly coarse: Partial<ThinParams>;
  readonly corners: Partial<CornerParams>;
  /** Largest short side detected on directly; larger photos are reduced by an integer factor, px. */
  readonly workingShortSide: number;
  /** 'learned': network passes at the working resolution, then 1/2, 1/4... of it (see predictDamageMultiScale). */
  readonly learnedPasses: number;
  /** 'learned': least mean contrast of a flagged region, levels (see dropFaintComponents). */
  readonly minContrast: number;
  /** 'learned': how far under the seed threshold connected pixels are grown, logits (see learnedThresholds). */
  readonly growLogits: number;
}

export interface DefectStats {
  /** The detector that ran (the classical one when the learned model could not load). */
  readonly method: DetectMethod;
  /** Why the method differs from the one asked for, when it does. */
  readonly note?: string;
  /** Integer factor between full and working resolution. */
  readonly factor: number;
  readonly strokes: number;
  readonly specks: number;
  readonly corners: number;
  readonly flaggedPixels: number;
  readonly ms: number;
}

/**
 * The damage mask: Uint8Array of width*height, row-major, photo space (EXIF
 * orientation already applied by the decoder), 255 = damage, 0 = intact.
 */
export interface DefectMask {
  readonly width: number;
  readonly height: number;
  readonly data: Uint8Array;
  readonly stats: DefectStats;
}

const STAGES = 4;
const LEARNED_PASSES = 2;

/**
 * What detection keeps between the slow part (decoding into planes, the
 * network) and the part that depends on sensitivity (thresholds, refinement
 * at full resolution): mask(basis, s) at any sensitivity costs no network
 * run. The defects worker keeps the last few (basis-cache.ts), so moving the
 * editor's sensitivity slider re-thresholds in place.
 */
export interface DetectionBasis {
  readonly width: number;
  readonly height: number;
  /** Full-resolution min/max-channel planes (raster.ts). */
  readonly full: Planes;
  /** The planes box-reduced by `factor`: the working resolution. */
  readonly working: Planes;
  readonly factor: number;
  /** Working short side / 512, clamped to 0.5..3: sizes in px grow with the photo. */
  readonly scale: number;
  readonly method: DetectMethod;
  readonly note?: string;
  /** 'learned': damage probability per working pixel (Float32Array, 0..1), and the model's calibrated threshold. */
  readonly prob?: Float32Array;
  readonly threshold?: number;
  readonly tuning?: Partial<Tuning>;
  readonly medium: DetectMedium;
  /** Time the slow part took, ms. */
  readonly ms: number;
  /** Mask-independent intermediates of defectMaskAt, worked out on its first call and kept for the next. */
  readonly kept: { means?: LocalMeans; backgrounds?: TopHatBackgrounds };
}

export async function detectDefects(image: PixelSource, options: DetectOptions = {}): Promise<DefectMask> {
  const sensitivity = checkSensitivity(options.sensitivity ?? DEFAULT_SENSITIVITY);
  const basis = await analyseDefects(image, options);
  const mask = defectMaskAt(basis, sensitivity);
  options.onProgress?.(STAGES, STAGES);
  return mask;
}

/** The sensitivity-independent part of detection: planes, working resolution, the network's probabilities. */
export async function analyseDefects(image: PixelSource, options: Omit<DetectOptions, 'sensitivity'> = {}): Promise<DetectionBasis> {
  const started = performance.now();
  validate(image);
  const { signal, onProgress } = options;
  const step = async (done: number): Promise<void> => {
    onProgress?.(done, STAGES);
    // Yield so a cancel message (worker) or timer can run between stages.
    await new Promise<void>((resolve) => setImmediate(resolve));
    throwIfCancelled(signal);
  };
  await step(0);

  const short = Math.min(image.width, image.height);
  // The largest short side worked on directly; above it the photo is box-reduced by an integer factor.
  const limit = options.tuning?.workingShortSide ?? 1100;
  const factor = Math.max(1, Math.ceil(short / limit));
  const { model, method, note } = await chooseMethod(options);
  // One pass over the samples gives the planes and, for the network, the colour block sums.
  const { full, working, colour } = reducePhoto(image, factor, model !== undefined);
  await step(1);

  const scale = Math.min(3, Math.max(0.5, Math.min(working.bright.width, working.bright.height) / 512));
  const prob = model && colour ? (await predictDamageMultiScale(model, colour, options.tuning?.learnedPasses ?? LEARNED_PASSES)).prob : undefined;
  await step(2);
  return {
    width: image.width,
    height: image.height,
    full,
    working,
    factor,
    scale,
    method,
    ...(note ? { note } : {}),
    ...(prob && model ? { prob, threshold: model.threshold } : {}),
    ...(options.tuning ? { tuning: options.tuning } : {}),
    medium: options.medium ?? DEFAULT_DETECT_MEDIUM,
    ms: performance.now() - started,
    kept: {},
  };
}

/**
 * The damage mask of an analysed photo at one sensitivity: thresholds, faint
 * regions dropped, torn corners, strokes re-traced at full resolution. No
 * network runs here (the classical detector's filters do, on the kept planes).
 */
export function defectMaskAt(basis: DetectionBasis, sensitivity: number): DefectMask {
  const started = performance.now();
  checkSensitivity(sensitivity);
  const { working, factor, scale, prob, tuning } = basis;
  let thin: ThinResult;
  if (prob) {
    const { seed, grow } = learnedThresholds(basis.threshold ?? 0.5, sensitivity, tuning?.growLogits);
    const mask = growFromSeeds(prob, working.bright.width, working.bright.height, seed, grow);
    const kept = basis.kept;
    const visible = dropFaintComponents(mask, working, tuning?.minContrast, () => (kept.means ??= localMeans(working)));
    // Backgrounds are only needed to re-trace strokes at full resolution (factor > 1).
    const radius = factor > 1 ? Math.max(1, Math.round(3 * scale)) : 0;
    thin = thinResultFromMask(working, visible, radius, 90 * scale * scale, (kept.backgrounds ??= topHatBackgrounds(working, radius)));
  } else {
    thin = detectThinMultiScale(working, fineParams(sensitivity, scale, tuning?.fine), coarseParams(sensitivity, scale, tuning?.coarse));
  }

  const cornerTuning = cornerParams(sensitivity, tuning?.corners);
  const found = detectCornersCoarse(working, cornerTuning);
  const corners = prob ? confirmCorners(found, working.bright.width, working.bright.height, prob, cornerTuning.minNetMean) : found;

  const data = refineToFullResolution(basis.full, factor, thin, corners.mask, refineParams(sensitivity, cornerTuning));
  const lines = basis.medium === 'film' ? addLineScratches(working, factor, scale, sensitivity, data, basis.width, basis.height) : 0;
  let flagged = 0;
  forEachNonZeroQuad(data, (start, end) => {
    for (let i = start; i < end; i++) if (data[i]) flagged++;
  });
  return {
    width: basis.width,
    height: basis.height,
    data,
    stats: {
      method: basis.method,
      ...(basis.note ? { note: basis.note } : {}),
      factor,
      strokes: thin.strokes + lines,
      specks: thin.specks,
      corners: corners.count,
      flaggedPixels: flagged,
      ms: Math.round(basis.ms + performance.now() - started),
    },
  };
}

function checkSensitivity(sensitivity: number): number {
  if (!Number.isFinite(sensitivity) || sensitivity < 0 || sensitivity > 1) {
    throw new RangeError(`Sensitivity must be a number from 0 to 1; got ${sensitivity}`);
  }
  return sensitivity;
}

/**
 * The learned model when asked for and loadable. A missing or damaged model
 * file must not stop automatic masks: the classical detector stands in, and
 * the stats say so.
 */
async function chooseMethod(options: Omit<DetectOptions, 'sensitivity'>): Promise<{ model?: DefectModel; method: DetectMethod; note?: string }> {
  if ((options.method ?? DEFAULT_METHOD) === 'classical') return { method: 'classical' };
  if (options.model) return { model: options.model, method: 'learned' };
  try {
    return { model: await loadDefectModel(options.modelsDir ?? defaultModelsDir()), method: 'learned' };
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    return { method: 'classical', note: `Learned damage model unavailable (${reason}); used the classical detector` };
  }
}

function validate(image: PixelSource): void {
  const { width, height, channels, data } = image;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new RangeError(`Image size must be positive integers; got ${width}x${height}`);
  }
  if (![1, 2, 3, 4].includes(channels)) throw new RangeError(`Unsupported channel count ${channels}`);
  if (data.length !== width * height * channels) {
    throw new RangeError(`Pixel buffer holds ${data.length} samples; ${width}x${height}x${channels} needs ${width * height * channels}`);
  }
}
