/**
 * The fixed choices that the IPC schemas, the settings and the `patina` command
 * line share: quality modes, grain and texture modes, tone colour modes, devices and damage
 * detectors. Kept apart from the schemas and free of zod, so the CLI can check
 * its arguments (and start its worker) before it loads the schema library.
 */

/** 'fast': one network pass per crop; 'best': the mirror self-ensemble, two passes (see inference/mirror-ensemble.ts). */
export const QUALITY_MODES = ['fast', 'best'] as const;
export type QualityMode = (typeof QUALITY_MODES)[number];

/** Grain matching after the fill. auto: only on photos whose grain is visible; on: always; off: never. */
export const GRAIN_MODES = ['auto', 'on', 'off'] as const;
export type GrainMode = (typeof GRAIN_MODES)[number];

/** Detail transfer after the fill. on: wide holes get the detail of known patches around them; off: the network's smooth fill. */
export const TEXTURE_MODES = ['on', 'off'] as const;
export type TextureMode = (typeof TEXTURE_MODES)[number];

/**
 * Auto tone's colour handling.
 * neutralise: remove the colour cast (a monochrome print comes out neutral grey);
 * keep: the same tone curve on every channel, so a sepia or toned print keeps its look;
 * leave: the tone curve on brightness only, each pixel's colour left as it was.
 */
export const TONE_COLOUR_MODES = ['neutralise', 'keep', 'leave'] as const;
export type ToneColourMode = (typeof TONE_COLOUR_MODES)[number];

/** Where inference runs: 'auto' picks the best provider present, falling back to the CPU. */
export const DEVICE_SETTINGS = ['auto', 'cpu', 'cuda', 'dml', 'coreml', 'webgpu'] as const;
export type DeviceSetting = (typeof DEVICE_SETTINGS)[number];

/** Sensitivity of damage detection when none is given: 0 flags only obvious damage, 1 anything that might be. */
export const DEFAULT_DETECT_SENSITIVITY = 0.5;

export const DETECT_METHODS = ['learned', 'classical'] as const;
export type DetectMethodName = (typeof DETECT_METHODS)[number];
/** Detector when none is given; the classical one also stands in when the model cannot load. */
export const DEFAULT_DETECT_METHOD: DetectMethodName = 'learned';

/**
 * What the photo is, for damage detection. 'film': a frame or scan of movie or
 * still film, also searched for film's line scratches (long, faint, exactly
 * vertical lines: src/main/defects/line-scratches.ts); 'print': a paper print,
 * where that test would take poles, stripes and door frames for scratches.
 */
export const DETECT_MEDIA = ['print', 'film'] as const;
export type DetectMedium = (typeof DETECT_MEDIA)[number];
export const DEFAULT_DETECT_MEDIUM: DetectMedium = 'print';
