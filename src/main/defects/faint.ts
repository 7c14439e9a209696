/**
 * The learned detector's visibility check. The network also answers to
 * contrast no one can see: on a smooth 8-bit gradient it marked the 1-level
 * banding steps as damage (6 % of a 1000x800 test photo). Real damage stands
 * out from its surroundings: on the synthetic evaluation every detected
 * scratch or crack region averaged 4 or more levels against its local mean,
 * banding 1-1.5. A region whose mean contrast is under the limit is dropped.
 */
import { keepByMeanScore } from './components';
import { boxMean, type Planes } from './raster';

/** Mean contrast (0..255 levels) under which a flagged region is not visible damage. */
export const MIN_VISIBLE_CONTRAST = 3;
/** Half-size of the local-mean window, working px: wider than the strokes the network finds. */
const BACKGROUND_RADIUS = 7;

/**
 * mask: 1 = flagged, width*height of `planes`. Returns a new mask without the
 * regions (8-connected) whose mean contrast is under `minContrast`. A pixel's
 * contrast is how far its min-channel plane rises above, or its max-channel
 * plane falls below, the local mean (bright and dark damage alike).
 */
export function dropFaintComponents(mask: Uint8Array, planes: Planes, minContrast = MIN_VISIBLE_CONTRAST, means: () => LocalMeans = () => localMeans(planes)): Uint8Array {
  if (!mask.includes(1)) return mask;
  const { width, height } = planes.bright;
  const { brightMean, darkMean } = means();
  const bright = planes.bright.data;
  const dark = planes.dark.data;
  const contrast = new Float32Array(mask.length);
  for (let i = 0; i < mask.length; i++) if (mask[i]) contrast[i] = Math.max(bright[i]! - brightMean[i]!, darkMean[i]! - dark[i]!);
  return keepByMeanScore(mask, width, height, contrast, minContrast).mask;
}

/** The planes' local means (Float32Array each, planes' size): what the contrast is measured against. */
export interface LocalMeans {
  readonly brightMean: Float32Array;
  readonly darkMean: Float32Array;
}

/** Independent of the mask: kept with a detection, so re-thresholding it does not recompute them. */
export function localMeans(planes: Planes): LocalMeans {
  const { width, height } = planes.bright;
  return {
    brightMean: boxMean(Float32Array.from(planes.bright.data), width, height, BACKGROUND_RADIUS),
    darkMean: boxMean(Float32Array.from(planes.dark.data), width, height, BACKGROUND_RADIUS),
  };
}
