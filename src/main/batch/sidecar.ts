import path from 'node:path';
import sharp from 'sharp';
import { sidecarPathFor } from '../documents/naming';
import { projectRestoreMask } from '../documents/project-file';
import { exists } from '../jobs/atomic-write';
import { EngineError } from '../errors/engine-error';
import type { MaskInput } from '../restore/types';

/**
 * Masks saved from the editor: the `.patina` project beside each photo
 * (src/main/documents/project-file.ts owns the format). The batch uses the
 * union of the project's visible mask layers, as the editor's Restore does.
 * An interface, so the queue does not depend on the file format and tests
 * can hand masks in directly.
 */
export interface SidecarMasks {
  /** The mask for a photo, in a form the engine takes; throws EngineError MASK_UNREADABLE when there is none. */
  maskFor(imagePath: string): Promise<MaskInput>;
}

export const projectSidecarMasks: SidecarMasks = {
  async maskFor(imagePath) {
    const file = sidecarPathFor(imagePath);
    if (!(await exists(file))) {
      throw new EngineError('MASK_UNREADABLE', `No mask saved from the editor for ${path.basename(imagePath)} (looked for ${path.basename(file)} beside it)`);
    }
    let mask;
    try {
      mask = await projectRestoreMask(file);
    } catch (err) {
      throw new EngineError('MASK_UNREADABLE', `Cannot read the editor's mask in ${file}: ${err instanceof Error ? err.message : String(err)}`);
    }
    // BinaryMask (1 = fill) -> 8-bit grey PNG (255 = fill), the encoded form MaskInput carries to the worker.
    const grey = new Uint8Array(mask.data.length);
    for (let i = 0; i < grey.length; i++) grey[i] = mask.data[i] ? 255 : 0;
    const png = await sharp(grey, { raw: { width: mask.width, height: mask.height, channels: 1 } }).png({ compressionLevel: 1 }).toBuffer();
    return { kind: 'bytes', bytes: new Uint8Array(png.buffer, png.byteOffset, png.byteLength) };
  },
};
