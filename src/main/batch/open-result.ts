import { copyFile } from 'node:fs/promises';
import path from 'node:path';
import type { BatchMaskSource, BatchOpenItemResult } from '@shared/ipc/batch-open';
import type { DetectSettings } from '../defects/detector';
import type { DocumentStore } from '../documents/document-store';
import { EngineError } from '../errors/engine-error';
import { countMasked, loadMask, type BinaryMask } from '../imaging/mask';
import type { ResultStore } from '../jobs/result-store';
import { maskInputFor } from './item-request';
import type { SidecarMasks } from './sidecar';
import type { BatchItem, BatchSpec } from './types';

export interface OpenResultDeps {
  /** The editor's open documents (a function: the backend builds them after the batch capability). */
  readonly documents: () => DocumentStore;
  /** Where the mask waits for the renderer (raw bytes). */
  readonly masks: ResultStore;
  readonly urlFor: (handle: string) => string;
  /** Runs damage detection on a photo as the batch did: 8-bit grey PNG of the photo's size, white = damage. */
  readonly detect: (imagePath: string, settings: DetectSettings | undefined) => Promise<Uint8Array>;
  readonly sidecars: SidecarMasks;
}

/** Layer id and colour of the batch's mask in the editor (the first of the editor's layer colours). */
const LAYER_ID = 'batch-mask';
const LAYER_COLOR = '#ff4d5e';
const LAYER_NAMES: Readonly<Record<BatchMaskSource, string>> = {
  auto: 'Batch mask (found automatically)',
  file: 'Batch mask (from the mask file)',
  sidecar: 'Batch mask (saved from the editor)',
  none: 'Batch mask',
};

/**
 * A restored batch item as an editor document: the photo as version 0, a
 * copy of the output as the head (so the editor's before/after compares the
 * two), and the mask the batch filled as one editable layer. The mask is
 * made the way the batch made it: the paired or single mask file with the
 * batch's invert and grow settings, the editor's saved marks, or detection
 * run again with the batch's settings (detection is deterministic, so it is
 * the mask that was filled).
 */
export async function openBatchResult(deps: OpenResultDeps, item: BatchItem, spec: BatchSpec): Promise<BatchOpenItemResult> {
  if (item.state !== 'done' || !item.output) {
    throw new EngineError('INVALID_ARGUMENT', `${item.rel} has no restored result to open yet`);
  }
  const input = await maskInputFor(item, deps.sidecars);
  const documents = deps.documents();
  const document = await documents.open(item.source);
  try {
    const doc = documents.get(document.id);
    // A copy: the output may be overwritten by a later run while the editor shows this one.
    const headFile = path.join(doc.workDir, `batch-result${path.extname(item.output)}`);
    await copyFile(item.output, headFile);
    const head = await documents.addVersionFile(doc, headFile);
    const { width, height } = document;
    const dilatePx = spec.options.dilatePx;
    let mask: BinaryMask | null = null;
    let source: BatchMaskSource = 'none';
    if (input.kind === 'file') {
      mask = await loadMask(input.path, width, height, { invert: spec.options.invertMask, dilatePx });
      source = 'file';
    } else if (input.kind === 'bytes') {
      mask = await loadMask(input.bytes, width, height, { dilatePx });
      source = 'sidecar';
    } else if (input.kind === 'auto') {
      mask = await loadMask(await deps.detect(item.source, input.detect), width, height, { dilatePx });
      source = 'auto';
    }
    const masks = [];
    if (mask) {
      // BinaryMask (1 = fill) -> raw 0/255 bytes, the form the editor loads project layers in.
      const raw = new Uint8Array(mask.data.length);
      for (let i = 0; i < raw.length; i++) raw[i] = mask.data[i] ? 255 : 0;
      masks.push({ layerId: LAYER_ID, url: deps.urlFor(deps.masks.put(raw, 'application/octet-stream')) });
    }
    return {
      document,
      state: {
        layers: mask ? [{ id: LAYER_ID, name: LAYER_NAMES[source], color: LAYER_COLOR, visible: true, locked: false }] : [],
        activeLayerId: mask ? LAYER_ID : null,
        overlayOpacity: 0.55,
        restoreRuns: 1,
      },
      masks,
      head,
      maskSource: source,
      maskPixels: mask ? countMasked(mask) : 0,
    };
  } catch (err) {
    await documents.close(document.id);
    throw err;
  }
}
