import type { BatchStartArgs, CollisionPolicy, OutputFormatName } from '@shared/ipc/batch';
import { DEFAULT_NAME_TEMPLATE, templateProblem } from '@shared/ipc/batch-template';
import { DEFAULT_DETECT_MEDIUM, DEFAULT_DETECT_METHOD, DEFAULT_DETECT_SENSITIVITY, type DetectMedium, type DetectMethodName } from '@shared/ipc/detection';
import { DEFAULT_GRAIN_MODE, type GrainMode } from '@shared/ipc/grain';
import { DEFAULT_TEXTURE_MODE, type TextureMode } from '@shared/ipc/texture';
import { DEFAULT_QUALITY_MODE, type QualityMode } from '@shared/ipc/restore';
import { PHOTO_FORMAT_LABELS } from '@shared/photo-formats';

export type MaskMode = 'auto' | 'folder' | 'file' | 'sidecar' | 'none';
/** Auto tone after the fill: off, or Auto choosing every setting per photo. */
export type ToneMode = 'off' | 'auto';

/** What the batch form holds: plain data, so it can be checked and turned into `batch:start` arguments in a test. */
export interface BatchFormValues {
  inputFolder: string;
  recursive: boolean;
  maskMode: MaskMode;
  /** Mask folder or mask file, depending on maskMode. */
  maskPath: string;
  /** Detection sensitivity 0..1 when maskMode is 'auto'. */
  sensitivity: number;
  /** Detector when maskMode is 'auto'. */
  method: DetectMethodName;
  /** What the photos are when maskMode is 'auto': 'film' also finds film's line scratches. */
  medium: DetectMedium;
  outputFolder: string;
  template: string;
  format: OutputFormatName;
  quality: number;
  collision: CollisionPolicy;
  /** One network pass per crop or the mirror ensemble. */
  qualityMode: QualityMode;
  tone: ToneMode;
  /** Grain matching on the fill. */
  grain: GrainMode;
  /** Detail transfer into wide holes. */
  texture: TextureMode;
}

export function defaultFormValues(): BatchFormValues {
  return {
    inputFolder: '',
    recursive: false,
    // Most folders of scans come without masks: finding the damage is what works with nothing else chosen.
    maskMode: 'auto',
    maskPath: '',
    sensitivity: DEFAULT_DETECT_SENSITIVITY,
    method: DEFAULT_DETECT_METHOD,
    medium: DEFAULT_DETECT_MEDIUM,
    outputFolder: '',
    template: DEFAULT_NAME_TEMPLATE,
    format: 'same',
    quality: 95,
    collision: 'skip',
    qualityMode: DEFAULT_QUALITY_MODE,
    tone: 'off',
    grain: DEFAULT_GRAIN_MODE,
    texture: DEFAULT_TEXTURE_MODE,
  };
}

export const MASK_MODE_LABELS: Readonly<Record<MaskMode, string>> = {
  folder: 'Mask folder (paired by file name)',
  file: 'One mask for every photo',
  sidecar: 'Masks saved from the editor',
  auto: 'Find damage automatically',
  none: 'None: tone and colour only',
};

export const TONE_MODE_LABELS: Readonly<Record<ToneMode, string>> = {
  off: 'Off',
  auto: 'Auto: fade, contrast and colour, after the fill',
};

export const FORMAT_LABELS: Readonly<Record<OutputFormatName, string>> = {
  same: 'Same as each photo',
  ...PHOTO_FORMAT_LABELS,
};

export const COLLISION_LABELS: Readonly<Record<CollisionPolicy, string>> = {
  skip: 'Skip (keeps finished photos; resumes)',
  overwrite: 'Overwrite',
  rename: 'Keep both (add a number)',
};

/** What is missing or wrong, one sentence per field; empty when the batch can start. */
export function formProblems(v: BatchFormValues): string[] {
  const problems: string[] = [];
  if (!isAbsolutePath(v.inputFolder)) problems.push('Choose the folder of photos.');
  if ((v.maskMode === 'folder' || v.maskMode === 'file') && !isAbsolutePath(v.maskPath)) {
    problems.push(v.maskMode === 'folder' ? 'Choose the folder of masks.' : 'Choose the mask file.');
  }
  if (v.maskMode === 'auto' && !(v.sensitivity >= 0 && v.sensitivity <= 1)) problems.push('Sensitivity is a number from 0 to 1.');
  if (v.maskMode === 'none' && v.tone === 'off') problems.push('With no damage masks, turn Auto tone on (or choose where masks come from).');
  if (!isAbsolutePath(v.outputFolder)) problems.push('Choose where the restored photos go.');
  const template = templateProblem(v.template.trim());
  if (template) problems.push(`File names: ${template}.`);
  if (!Number.isInteger(v.quality) || v.quality < 1 || v.quality > 100) problems.push('Quality is a whole number from 1 to 100.');
  return problems;
}

/** The path fields of the form; each is sent as the handle main granted for it. */
export type PathField = 'inputFolder' | 'maskPath' | 'outputFolder';

/** The path fields a start needs with the form as it is (a mask path only for a mask folder or file). */
export function neededPathFields(v: BatchFormValues): PathField[] {
  return v.maskMode === 'folder' || v.maskMode === 'file' ? ['inputFolder', 'maskPath', 'outputFolder'] : ['inputFolder', 'outputFolder'];
}

/**
 * `batch:start` arguments: the form's settings, with each needed path field as
 * the handle main granted when the person chose it (`handles`, by field).
 */
export function startArgs(v: BatchFormValues, handles: Readonly<Partial<Record<PathField, string>>>): BatchStartArgs {
  return {
    input: { folder: handles.inputFolder ?? '', recursive: v.recursive },
    masks: masksOf(v, handles.maskPath ?? ''),
    output: { folder: handles.outputFolder ?? '', template: v.template.trim(), format: v.format, quality: v.quality, collision: v.collision },
    // tone: {} is Auto with every setting chosen per photo; the report records what each one got.
    options: { qualityMode: v.qualityMode, grain: v.grain, texture: v.texture, ...(v.tone === 'auto' ? { tone: {} } : {}) },
  };
}

function masksOf(v: BatchFormValues, maskHandle: string): BatchStartArgs['masks'] {
  switch (v.maskMode) {
    case 'auto':
      return { auto: true, sensitivity: v.sensitivity, method: v.method, medium: v.medium };
    case 'sidecar':
      return { sidecar: true };
    case 'none':
      return { none: true };
    case 'folder':
      return { folder: maskHandle };
    case 'file':
      return { file: maskHandle };
  }
}

/** POSIX (/...) or Windows (C:\..., \\server\...) absolute paths; main checks again. */
function isAbsolutePath(p: string): boolean {
  const t = p.trim();
  return t.startsWith('/') || /^[A-Za-z]:[\\/]/.test(t) || t.startsWith('\\\\');
}
