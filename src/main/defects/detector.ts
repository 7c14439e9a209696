import type { BinaryMask } from '../imaging/mask';
import { forEachNonZeroQuad } from '../imaging/mask-scan';
import type { DetectMedium, DetectMethodName } from '@shared/ipc/detection';
import type { Photo } from '../imaging/photo';
import { defaultModelsDir } from '../inference/models-dir';
import { DEFAULT_METHOD, detectDefects, type DefectMask, type DetectMethod } from './detect';
import { loadDefectModel } from './learned';

/** How automatic masks are detected; absent fields take the detector's defaults. */
export interface DetectSettings {
  /** 0..1; higher flags more. */
  readonly sensitivity?: number;
  readonly method?: DetectMethodName;
  /** What the photo is: 'film' also finds line scratches (default 'print'). */
  readonly medium?: DetectMedium;
}

/**
 * Automatic damage detection as the restore pipeline uses it (src/main/restore/pipeline.ts).
 * Returns a mask in photo space (see BinaryMask), 1 = damaged.
 */
export interface DefectDetector {
  detect(
    photo: Photo,
    signal: AbortSignal | undefined,
    onProgress: (done: number, total: number) => void,
    settings?: DetectSettings,
  ): Promise<BinaryMask>;
  /**
   * Starts loading what detect() with these settings will need (the learned model), without
   * waiting for it: the restore pipeline calls it before decoding, so the model loads meanwhile.
   * A load that fails here fails, and falls back, in detect() as it would have.
   */
  prepare?(settings?: DetectSettings): void;
}

export interface DetectorOptions {
  /** 0..1; default DEFAULT_SENSITIVITY. */
  readonly sensitivity?: number;
  /** Default DEFAULT_METHOD. */
  readonly method?: DetectMethod;
  /** Folder holding defects/manifest.json (the app's models folder). */
  readonly modelsDir?: string;
}

/**
 * The restore pipeline's automatic mask (`mask: { kind: 'auto' }`, the CLI's
 * --auto-mask): detection on the decoded photo, as a BinaryMask (1 = fill).
 */
export function createDefectDetector(options: DetectorOptions = {}): DefectDetector {
  return {
    async detect(photo, signal, onProgress, settings) {
      // Per-request settings win over the detector's own; undefined fields do not erase them.
      const found = await detectDefects(photo, {
        ...options,
        sensitivity: settings?.sensitivity ?? options.sensitivity,
        method: settings?.method ?? options.method,
        ...(settings?.medium ? { medium: settings.medium } : {}),
        signal,
        onProgress,
      });
      return toBinaryMask(found);
    },
    prepare(settings) {
      if ((settings?.method ?? options.method ?? DEFAULT_METHOD) !== 'learned') return;
      loadDefectModel(options.modelsDir ?? defaultModelsDir()).catch(() => {});
    },
  };
}

/** 255/0 damage mask -> the engine's 1/0 fill mask (same layout, new buffer). */
export function toBinaryMask(mask: Pick<DefectMask, 'width' | 'height' | 'data'>): BinaryMask {
  const src = mask.data;
  const data = new Uint8Array(src.length);
  forEachNonZeroQuad(src, (start, end) => {
    for (let i = start; i < end; i++) data[i] = src[i] ? 1 : 0;
  });
  return { width: mask.width, height: mask.height, data };
}
