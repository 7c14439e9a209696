import { rawMaskToBits } from '../mask/mask-png';

/**
 * Loads layer masks main serves by URL (a reopened project): raw bytes,
 * width*height, row-major, 0 = not masked. Returns 0/1 bytes per layer id.
 */
export async function fetchMasks(
  masks: readonly { readonly layerId: string; readonly url: string }[],
  width: number,
  height: number,
): Promise<ReadonlyMap<string, Uint8Array>> {
  const out = new Map<string, Uint8Array>();
  for (const m of masks) {
    const response = await fetch(m.url);
    if (!response.ok) throw new Error(`Could not load the mask of a layer (HTTP ${response.status})`);
    out.set(m.layerId, rawMaskToBits(new Uint8Array(await response.arrayBuffer()), width, height));
  }
  return out;
}
