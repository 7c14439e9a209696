import path from 'node:path';
import type { Inpainter } from '../inference/inpainter';
import { withQualityMode } from '../inference/mirror-ensemble';
import { pasteCrop, readCrop } from '../imaging/crop-io';
import { planCrops } from '../imaging/crop-plan';
import { decodePhoto } from '../imaging/decode';
import { restoredPipeline } from '../imaging/encode';
import { matchGrain } from '../imaging/grain';
import { transferTexture } from '../imaging/texture';
import { countMasked, dilateMask, loadMask, type BinaryMask } from '../imaging/mask';
import { allocLike, type Photo, type PixelArray } from '../imaging/photo';
import { exists, writeAtomically } from '../jobs/atomic-write';
import { newJobId } from '../jobs/job-id';
import { ProgressReporter, type ProgressListener } from '../jobs/progress';
import { applyTone } from '../tone/apply';
import { appliedPasses } from './applied-passes';
import type { ToneEstimator } from '../tone/estimator';
import { EngineError, throwIfCancelled } from '../errors/engine-error';
import type { DefectDetector } from '../defects/detector';
import { DEFAULT_GRAIN_MODE, type AppliedGrain } from '@shared/ipc/grain';
import { DEFAULT_TEXTURE_MODE, type AppliedTexture } from '@shared/ipc/texture';
import { DEFAULT_QUALITY_MODE, type RestoreRequest, type RestoreResult } from './types';

export interface PipelineContext {
  /** The model; a function so the session is created only when a job needs it. */
  readonly inpainter: Inpainter | (() => Promise<Inpainter>);
  readonly signal?: AbortSignal;
  readonly onProgress?: ProgressListener;
  readonly detector?: DefectDetector;
  /**
   * Held for the whole inference stage when jobs run side by side (the batch
   * queue keeps two in flight): one job's decode or encode then overlaps
   * another's inference, while the model still runs one job at a time and
   * the crops of two jobs never interleave.
   */
  readonly inferenceSlot?: () => Promise<() => void>;
  /** The learned tone estimator, loaded when a job asks for tone; null or absent: Auto's classical fit. */
  readonly toneEstimator?: () => Promise<ToneEstimator | null>;
}

/**
 * The one restore pipeline: decode -> mask -> plan crops -> for each crop
 * (read, pad, run, paste masked pixels) -> encode -> atomic write.
 * Every caller (editor IPC, batch queue, CLI) goes through here, so size
 * limits, mask rules and compositing cannot drift apart.
 *
 * Cancellation is checked between stages and between crops; a cancelled or
 * failed job writes nothing and never modifies the input file.
 */
export async function restorePhoto(request: RestoreRequest, ctx: PipelineContext): Promise<RestoreResult> {
  const started = performance.now();
  const jobId = request.jobId ?? newJobId();
  const { signal } = ctx;
  const progress = new ProgressReporter(jobId, ctx.onProgress);
  const options = request.options ?? {};
  const out = request.output;

  if (out.kind === 'file' && out.ifExists === 'skip' && (await exists(out.path))) {
    return { jobId, status: 'skipped', outputPath: out.path, reason: 'output already exists' };
  }
  if (out.kind === 'file' && path.resolve(out.path) === path.resolve(request.imagePath) && out.ifExists !== 'overwrite') {
    throw new EngineError('OUTPUT_EXISTS', `Output would replace the input ${request.imagePath}; overwrite was not allowed`);
  }
  if (request.mask.kind === 'auto' && !ctx.detector) {
    throw new EngineError('AUTO_MASK_UNAVAILABLE', 'Automatic damage detection is not available yet; supply a mask');
  }
  if (request.mask.kind === 'none' && !options.tone) {
    throw new EngineError('MASK_EMPTY', `Nothing to restore in ${request.imagePath}: no mask was given and tone is off`);
  }

  const qualityMode = options.qualityMode ?? DEFAULT_QUALITY_MODE;
  // A model that is still loading loads while the photo decodes and its mask is read.
  const model =
    request.mask.kind === 'none'
      ? null
      : (typeof ctx.inpainter === 'function' ? ctx.inpainter() : Promise.resolve(ctx.inpainter)).then((m) => withQualityMode(m, qualityMode));
  model?.catch(() => {}); // awaited in fillDamage; a decode failure first must not leave its rejection unhandled

  // The damage model, too, loads while the photo decodes.
  if (request.mask.kind === 'auto') ctx.detector!.prepare?.(request.mask.detect);
  progress.begin('decode', 1);
  const photo = await decodePhoto(request.imagePath);
  throwIfCancelled(signal);
  const delta = allocLike(photo);
  const filled = model ? await fillDamage(request, photo, delta, model, ctx, progress) : NOTHING_FILLED;
  if (!model) progress.step(1);
  throwIfCancelled(signal);

  // Tone is part of the encode stage (the editor's progress knows four stages); it comes after
  // the fill and works on the filled photo, so nothing under the mask reaches it.
  progress.begin('encode', 1);
  const tone = options.tone ? await applyTone(photo, delta, options.tone, await ctx.toneEstimator?.()) : undefined;
  throwIfCancelled(signal);
  const { jobs } = filled;
  const stats = {
    width: photo.width,
    height: photo.height,
    maskedPixels: filled.maskedPixels,
    crops: jobs.length,
    networkPixels: jobs.reduce((sum, j) => sum + j.netWidth * j.netHeight, 0),
    ...(jobs.length > 0 ? { qualityMode } : {}),
    strategies: filled.strategies,
    inpaintMs: Math.round(filled.inpaintMs),
    totalMs: 0,
    ...appliedPasses({ tone, grain: filled.grain, texture: filled.texture }),
  };
  if (out.kind === 'buffer') {
    const { data } = await restoredPipeline(photo, delta, 'png').toBuffer({ resolveWithObject: true });
    throwIfCancelled(signal);
    progress.step(1);
    const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    return { jobId, status: 'restored', bytes, mime: 'image/png', stats: { ...stats, totalMs: Math.round(performance.now() - started) } };
  }
  await writeAtomically(
    out.path,
    out.ifExists === 'overwrite' ? 'overwrite' : 'fail',
    async (tmp) => {
      await restoredPipeline(photo, delta, out.format ?? 'same', { quality: options.quality }).toFile(tmp);
    },
    () => throwIfCancelled(signal),
  );
  progress.step(1);
  return { jobId, status: 'restored', outputPath: out.path, stats: { ...stats, totalMs: Math.round(performance.now() - started) } };
}

const NOTHING_FILLED = { maskedPixels: 0, jobs: [], strategies: { whole: 0, tile: 0, downscale: 0 }, inpaintMs: 0, grain: undefined, texture: undefined } as const;

/**
 * The damage fill: mask -> plan crops -> for each crop (read, pad, run,
 * paste masked pixels). Writes the filled pixels into photo.data and every
 * change into delta (XOR against the original).
 */
async function fillDamage(request: RestoreRequest, photo: Photo, delta: PixelArray, model: Promise<Inpainter>, ctx: PipelineContext, progress: ProgressReporter) {
  const { signal } = ctx;
  const mask = await obtainMask(request, photo, ctx, progress);
  throwIfCancelled(signal);
  const inpainter = await model;
  throwIfCancelled(signal);

  const maskedPixels = countMasked(mask);
  // Detection finding nothing is no error when tone is on: the photo still gets its tone.
  if (maskedPixels === 0 && request.mask.kind === 'auto' && request.options?.tone) return NOTHING_FILLED;
  if (maskedPixels === 0) throw emptyMaskError(request);

  const jobs = planCrops(mask, { inputMultiple: inpainter.inputMultiple, maxSide: inpainter.maxSide, holeReach: inpainter.holeReach });
  const pending: BinaryMask = { width: mask.width, height: mask.height, data: mask.data.slice() };
  const strategies = { whole: 0, tile: 0, downscale: 0 };
  const release = await ctx.inferenceSlot?.();
  const inpaintStart = performance.now();
  try {
    progress.begin('inpaint', jobs.length);
    for (let i = 0; i < jobs.length; i++) {
      throwIfCancelled(signal);
      const job = jobs[i]!;
      const crop = readCrop(photo, pending, job);
      const output = await inpainter.inpaint(crop.image, crop.mask, job.netWidth, job.netHeight);
      pasteCrop({ photo, mask, pending, delta }, job, output);
      strategies[job.strategy]++;
      progress.step(i + 1);
    }
  } finally {
    release?.();
  }
  const inpaintMs = performance.now() - inpaintStart;
  throwIfCancelled(signal);
  // Detail first: grain matching then measures the fill with its detail and adds only what it still lacks.
  const texture = textureStep(photo, mask, delta, request.options?.texture ?? DEFAULT_TEXTURE_MODE);
  return { maskedPixels, jobs, strategies, inpaintMs, texture, grain: grainStep(photo, mask, delta, request.options?.grain ?? DEFAULT_GRAIN_MODE) };
}

/**
 * Detail transfer into the wide holes (imaging/texture.ts): it reads the known pixels around
 * the holes and the fill, never what was under the mask, so the invariance holds.
 */
function textureStep(photo: Photo, mask: BinaryMask, delta: PixelArray, mode: AppliedTexture['mode']): AppliedTexture {
  if (mode === 'off') return { mode, applied: false, pixels: 0 };
  return { mode, ...transferTexture(photo, mask, delta) };
}

/**
 * Grain matching on the filled pixels (imaging/grain.ts): it reads the known pixels around
 * the holes and the fill, never what was under the mask, so the invariance holds.
 */
function grainStep(photo: Photo, mask: BinaryMask, delta: PixelArray, mode: AppliedGrain['mode']): AppliedGrain {
  if (mode === 'off') return { mode, applied: false, sigma: 0, blurPx: 0 };
  return { mode, ...matchGrain(photo, mask, delta, mode === 'on') };
}

function emptyMaskError(request: RestoreRequest): EngineError {
  if (request.mask.kind === 'auto') {
    const sensitivity = request.mask.detect?.sensitivity;
    const at = sensitivity === undefined ? 'the default sensitivity' : `sensitivity ${sensitivity}`;
    return new EngineError('MASK_EMPTY', `Damage detection found nothing to restore in ${request.imagePath} at ${at}; raise the sensitivity or draw a mask`);
  }
  const inverted = request.options?.invertMask ? ', inverted' : '';
  return new EngineError('MASK_EMPTY', `The mask marks no pixels to restore for ${request.imagePath} (white = fill, threshold 127${inverted})`);
}

/** Loads or detects the mask; ends the decode stage (and runs the detect stage for auto). */
async function obtainMask(request: RestoreRequest, photo: Photo, ctx: PipelineContext, progress: ProgressReporter): Promise<BinaryMask> {
  const options = request.options ?? {};
  const maskOptions = { invert: options.invertMask, dilatePx: options.dilatePx };
  if (request.mask.kind === 'file' || request.mask.kind === 'bytes') {
    const source = request.mask.kind === 'file' ? request.mask.path : request.mask.bytes;
    const mask = await loadMask(source, photo.width, photo.height, maskOptions);
    progress.step(1);
    return mask;
  }
  progress.step(1);
  progress.begin('detect', 1);
  const detected = await ctx.detector!.detect(
    photo,
    ctx.signal,
    (done, total) => {
      if (done === 0) progress.begin('detect', total);
      else progress.step(done);
    },
    request.mask.kind === 'auto' ? request.mask.detect : undefined,
  );
  if (detected.width !== photo.width || detected.height !== photo.height) {
    throw new EngineError('INTERNAL', `Detector returned a ${detected.width}x${detected.height} mask for a ${photo.width}x${photo.height} photo`);
  }
  return maskOptions.dilatePx ? dilateMask(detected, maskOptions.dilatePx) : detected;
}
