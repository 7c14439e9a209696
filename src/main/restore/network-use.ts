import type { QualityMode } from '@shared/ipc/restore';
import type { RestoreStats } from './types';

export interface NetworkUse {
  /** Network input over all crops, in megapixels. */
  networkMegapixels: number;
  /** The same as a share of the photo's pixels. */
  networkPerPhoto: number;
  /** The mode the crops ran in (absent for a tone-only restore). */
  qualityMode?: QualityMode;
}

/** The network's share of the work on one photo, rounded for reading. */
export function networkUse(stats: Pick<RestoreStats, 'width' | 'height' | 'networkPixels' | 'qualityMode'>): NetworkUse {
  return {
    networkMegapixels: Math.round(stats.networkPixels / 1e4) / 100,
    networkPerPhoto: Math.round((stats.networkPixels / (stats.width * stats.height)) * 1000) / 1000,
    ...(stats.qualityMode ? { qualityMode: stats.qualityMode } : {}),
  };
}
