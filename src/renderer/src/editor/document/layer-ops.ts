import type { LayerRecord } from '@shared/ipc/project';
import { MAX_LAYERS } from '@shared/ipc/project';
import type { DocSnapshot } from '../history/changes';

/*
 * Pure operations on the document's layer records. Each returns the next
 * snapshot, or a string saying why it cannot be done (shown to the person).
 */

/**
 * Distinct, saturated overlay colours that read on sepia, grey and colour
 * photos alike: at the default opacity each changes 98 % of a photo's pixels
 * by a CIELAB distance of 18 or more (test/unit/overlay-colours.test.ts
 * measures it on real scans). White and near-white fail that on pale prints.
 */
export const LAYER_COLORS = ['#ff4d5e', '#35c3f3', '#5fdc8a', '#ffb23f', '#b38bff', '#ff7bc8', '#c7ef4b', '#ff3df5'] as const;

/** How opaque the fill overlay is drawn until the person changes it. */
export const DEFAULT_OVERLAY_OPACITY = 0.55;

export type LayerResult = DocSnapshot | string;

export function nextLayerColor(layers: readonly LayerRecord[]): string {
  const used = new Set(layers.map((l) => l.color.toLowerCase()));
  return LAYER_COLORS.find((c) => !used.has(c)) ?? LAYER_COLORS[layers.length % LAYER_COLORS.length]!;
}

/** "Mask 1", "Mask 2", ...: the first number not taken. */
export function nextLayerName(layers: readonly LayerRecord[], base = 'Mask'): string {
  const names = new Set(layers.map((l) => l.name));
  for (let i = 1; ; i++) if (!names.has(`${base} ${i}`)) return `${base} ${i}`;
}

/** Adds above the active layer (or on top) and makes it active. */
export function addLayer(doc: DocSnapshot, layer: LayerRecord): LayerResult {
  if (doc.layers.length >= MAX_LAYERS) return `A photo can have at most ${MAX_LAYERS} mask layers`;
  const at = doc.activeLayerId ? doc.layers.findIndex((l) => l.id === doc.activeLayerId) + 1 : doc.layers.length;
  const layers = [...doc.layers];
  layers.splice(at > 0 ? at : layers.length, 0, layer);
  return { ...doc, layers, activeLayerId: layer.id };
}

/** Removes a layer; the one below (else above) becomes active. */
export function removeLayer(doc: DocSnapshot, id: string): LayerResult {
  const index = doc.layers.findIndex((l) => l.id === id);
  if (index < 0) return 'That layer no longer exists';
  const layers = doc.layers.filter((l) => l.id !== id);
  const neighbour = layers[Math.max(0, index - 1)] ?? null;
  return { ...doc, layers, activeLayerId: doc.activeLayerId === id ? (neighbour?.id ?? null) : doc.activeLayerId };
}

export function updateLayer(doc: DocSnapshot, id: string, patch: Partial<Omit<LayerRecord, 'id'>>): LayerResult {
  if (!doc.layers.some((l) => l.id === id)) return 'That layer no longer exists';
  if (patch.name !== undefined) {
    const name = patch.name.trim();
    if (!name) return 'A layer needs a name';
    if (name.length > 80) return 'Layer names are at most 80 characters';
    patch = { ...patch, name };
  }
  if (patch.color !== undefined && !/^#[0-9a-fA-F]{6}$/.test(patch.color)) return 'Colours are #rrggbb';
  return { ...doc, layers: doc.layers.map((l) => (l.id === id ? { ...l, ...patch } : l)) };
}

/** Moves a layer to a new index (0 = bottom). */
export function moveLayer(doc: DocSnapshot, id: string, toIndex: number): LayerResult {
  const from = doc.layers.findIndex((l) => l.id === id);
  if (from < 0) return 'That layer no longer exists';
  const to = Math.max(0, Math.min(doc.layers.length - 1, toIndex));
  if (to === from) return doc;
  const layers = [...doc.layers];
  const [layer] = layers.splice(from, 1);
  layers.splice(to, 0, layer!);
  return { ...doc, layers };
}

/** The layer a merge-down of `id` merges into, or why it cannot. */
export function mergeTarget(doc: DocSnapshot, id: string): LayerRecord | string {
  const index = doc.layers.findIndex((l) => l.id === id);
  if (index < 0) return 'That layer no longer exists';
  if (index === 0) return 'The bottom layer has nothing below to merge into';
  const upper = doc.layers[index]!;
  const lower = doc.layers[index - 1]!;
  if (upper.locked || lower.locked) return 'Unlock both layers to merge them';
  return lower;
}

export function findLayer(doc: DocSnapshot, id: string | null): LayerRecord | undefined {
  return id === null ? undefined : doc.layers.find((l) => l.id === id);
}

/** The layer a new detection replaces: the topmost one Find damage made that is not locked (locking keeps it). */
export function detectionLayer(layers: readonly LayerRecord[]): LayerRecord | undefined {
  return layers.findLast((l) => l.role === 'detected' && !l.locked);
}
