import type { DefectStats, DetectMethod } from './detect';

/** Settings the defects worker is started with (workerData). */
export interface DefectsWorkerConfig {
  /** Folder holding defects/manifest.json. */
  readonly modelsDir: string;
}

/** One detection: decode the photo at imagePath, detect, encode the mask as PNG. */
export interface DetectRequest {
  /** Absolute path of the photo. */
  readonly imagePath: string;
  /** 0..1; default DEFAULT_SENSITIVITY. */
  readonly sensitivity?: number;
  /** Default DEFAULT_METHOD. */
  readonly method?: DetectMethod;
}

export interface DetectResult {
  readonly jobId: string;
  readonly width: number;
  readonly height: number;
  /** 8-bit grey PNG of the photo's size, white = damage. */
  readonly png: Uint8Array;
  readonly stats: DefectStats;
}
