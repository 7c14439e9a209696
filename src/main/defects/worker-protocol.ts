import type { FaceBox } from '../faces/faces';
import type { DetectMedium } from '@shared/ipc/choices';
import type { DefectStats, DetectMethod } from './detect';

/** Settings the defects worker is started with (workerData). */
export interface DefectsWorkerConfig {
  /** Folder holding defects/manifest.json (and faces/manifest.json). */
  readonly modelsDir: string;
}

/** One detection: decode the photo at imagePath, detect, encode the mask as PNG. */
export interface DetectRequest {
  readonly op?: 'detect';
  /** Absolute path of the photo. */
  readonly imagePath: string;
  /** 0..1; default DEFAULT_SENSITIVITY. */
  readonly sensitivity?: number;
  /** Default DEFAULT_METHOD. */
  readonly method?: DetectMethod;
  /** What the photo is; default DEFAULT_DETECT_MEDIUM. */
  readonly medium?: DetectMedium;
}

/** The mask of the photo's last detection at another sensitivity (detected again when not kept). */
export interface RethresholdRequest {
  readonly op: 'rethreshold';
  readonly imagePath: string;
  readonly sensitivity: number;
  readonly method?: DetectMethod;
  readonly medium?: DetectMedium;
}

/** The faces in the photo at imagePath. */
export interface FacesRequest {
  readonly op: 'faces';
  readonly imagePath: string;
}

export type DefectsWorkerRequest = DetectRequest | RethresholdRequest | FacesRequest;

export interface DetectResult {
  readonly jobId: string;
  readonly width: number;
  readonly height: number;
  /** 8-bit grey PNG of the photo's size, white = damage. */
  readonly png: Uint8Array;
  readonly stats: DefectStats;
  /** The learned detector's preview scores (scores.ts) as an 8-bit grey PNG at the working resolution; null for the classical one. */
  readonly scores: { readonly width: number; readonly height: number; readonly factor: number; readonly png: Uint8Array } | null;
  /** rethreshold: whether the kept detection answered (false: detected again). */
  readonly reused: boolean;
}

export interface FacesResult {
  readonly width: number;
  readonly height: number;
  readonly faces: readonly FaceBox[];
  /** Why faces could not be looked for (no face model), when so. */
  readonly note: string | null;
  readonly ms: number;
}

export type DefectsWorkerResult = DetectResult | FacesResult;
