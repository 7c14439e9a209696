import type { RestoreStats } from './types';

/** The network's share of the work on one photo, rounded for reading. */
export function networkUse(stats: Pick<RestoreStats, 'width' | 'height' | 'networkPixels'>): {
  networkMegapixels: number;
  networkPerPhoto: number;
} {
  return {
    networkMegapixels: Math.round(stats.networkPixels / 1e4) / 100,
    networkPerPhoto: Math.round((stats.networkPixels / (stats.width * stats.height)) * 1000) / 1000,
  };
}
