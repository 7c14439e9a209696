/**
 * Renders the hand labels of the real prints into masks. Each print's label
 * is a list of marks made with the editor's own tools, stored as data so a
 * mask can be re-derived, reviewed and corrected stroke by stroke:
 *
 *   snap     a stroke along a crack or scratch, through the snapping brush
 *            (src/main/defects/snap.ts): the damaged pixels under it
 *   sweep    a polygon of background swept by the same filter (a crack
 *            network on a plain backdrop), detail no wider than `width`
 *   spot     a click on a dust spot (the snapping brush's click)
 *   paint    a plain brush stroke: every pixel under it (a tear, a lost corner)
 *   fill     a plain polygon: every pixel inside (a large torn area)
 *   erase    a plain brush stroke removing what earlier marks added
 *   cut      a plain polygon removing what earlier marks added
 *
 * Marks apply in order, as strokes do in the editor.
 *
 *   node training/run-ts.mjs training/defects/labels/render.ts [--only STEM] [--preview DIR]
 *
 * Writes training/defects/labels/prints/<folder>__<stem>.png (8-bit grey,
 * white = damage, the photo's size). See PROTOCOL.md for what counts as damage.
 */
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import sharp from 'sharp';
import { decodePhoto } from '../../../src/main/imaging/decode';
import { distanceToPolyline, insidePolygon, snapPolygon, snapSpot, snapStroke, type Point, type SnapMask, type SnapSource } from '../../../src/main/defects/snap';

export interface Mark {
  readonly kind: 'snap' | 'sweep' | 'spot' | 'paint' | 'fill' | 'erase' | 'cut';
  readonly points: Point[];
  /** Brush diameter (snap, paint, erase), detail width (sweep) or click radius (spot), px. */
  readonly width?: number;
  readonly sensitivity?: number;
  /** Snap marks: which damage to take (default auto). */
  readonly polarity?: 'auto' | 'light' | 'dark';
}

/**
 * The damage kind each additive mark records, by the tool that drew it (PROTOCOL.md): snap strokes
 * trace cracks and scratches one by one, sweeps take crack networks over plain background, spots are
 * dust, plain paint and fill take tears and lost corners.
 */
export const DAMAGE_KINDS = ['crack/scratch', 'crack network', 'dust', 'tear/loss'] as const;
export type DamageKind = (typeof DAMAGE_KINDS)[number];
const KIND_OF: Record<Mark['kind'], DamageKind | null> = {
  snap: 'crack/scratch',
  sweep: 'crack network',
  spot: 'dust',
  paint: 'tear/loss',
  fill: 'tear/loss',
  erase: null,
  cut: null,
};

export interface PrintLabel {
  /** Relative to ../shared/data/damaged. */
  readonly image: string;
  readonly split: 'train' | 'validation';
  readonly marks: Mark[];
  readonly note?: string;
}

const here = path.dirname(new URL(import.meta.url).pathname);
export const DAMAGED_ROOT = path.resolve(here, '../../../../shared/data/damaged');
export const LABELS_FILE = path.join(here, 'prints.json');
export const MASKS_DIR = path.join(here, 'prints');

export function maskNameOf(image: string): string {
  return `${image.replace(/\.[^.]+$/, '').replaceAll('/', '__')}.png`;
}

export interface RenderedLabel {
  width: number;
  height: number;
  /** 255 damage, 0 not. */
  mask: Uint8Array;
  /** Per pixel, 1 + the index in DAMAGE_KINDS of the last mark that made it damage; 0 where not damage. */
  kinds: Uint8Array;
}

export async function renderLabel(label: PrintLabel): Promise<RenderedLabel> {
  return renderMarks(await decodePhoto(path.join(DAMAGED_ROOT, label.image)), label.marks);
}

export function renderMarks(photo: SnapSource & { width: number; height: number }, marks: readonly Mark[]): RenderedLabel {
  const { width, height } = photo;
  const mask = new Uint8Array(width * height);
  const kinds = new Uint8Array(width * height);
  let code = 0;
  const set = (i: number, value: number): void => {
    mask[i] = value;
    kinds[i] = value ? code : 0;
  };
  const put = (m: SnapMask): void => {
    for (let y = 0; y < m.height; y++)
      for (let x = 0; x < m.width; x++) if (m.mask[y * m.width + x]) set((m.y + y) * width + m.x + x, 255);
  };
  const plain = (points: Point[], w: number, value: number): void => {
    const r = w / 2;
    const xs = points.map((p) => p[0]);
    const ys = points.map((p) => p[1]);
    for (let y = Math.max(0, Math.floor(Math.min(...ys) - r)); y < Math.min(height, Math.ceil(Math.max(...ys) + r)); y++)
      for (let x = Math.max(0, Math.floor(Math.min(...xs) - r)); x < Math.min(width, Math.ceil(Math.max(...xs) + r)); x++)
        if (distanceToPolyline(x + 0.5, y + 0.5, points) <= r) set(y * width + x, value);
  };
  const fill = (poly: Point[], value: number): void => {
    for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) if (insidePolygon(x + 0.5, y + 0.5, poly)) set(y * width + x, value);
  };
  for (const m of marks) {
    const kind = KIND_OF[m.kind];
    code = kind ? DAMAGE_KINDS.indexOf(kind) + 1 : 0;
    const options = { sensitivity: m.sensitivity ?? 0.6, polarity: m.polarity ?? 'auto' };
    if (m.kind === 'snap') put(snapStroke(photo, { points: m.points, width: m.width ?? 8 }, options));
    else if (m.kind === 'sweep') put(snapPolygon(photo, m.points, m.width ?? 8, options));
    else if (m.kind === 'spot') put(snapSpot(photo, m.points[0]!, m.width ?? 6, options));
    else if (m.kind === 'paint') plain(m.points, m.width ?? 4, 255);
    else if (m.kind === 'fill') fill(m.points, 255);
    else if (m.kind === 'cut') fill(m.points, 0);
    else plain(m.points, m.width ?? 4, 0);
  }
  return { width, height, mask, kinds };
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { only: { type: 'string' }, preview: { type: 'string' } } });
  const labels = JSON.parse(await readFile(LABELS_FILE, 'utf8')) as PrintLabel[];
  await mkdir(MASKS_DIR, { recursive: true });
  for (const label of labels) {
    if (values.only && !label.image.includes(values.only)) continue;
    const { width, height, mask } = await renderLabel(label);
    const name = maskNameOf(label.image);
    await sharp(Buffer.from(mask), { raw: { width, height, channels: 1 } }).toColourspace('b-w').png().toFile(path.join(MASKS_DIR, name));
    let n = 0;
    for (const v of mask) if (v) n++;
    console.log(`${label.image}: ${((100 * n) / (width * height)).toFixed(2)} % marked, ${label.marks.length} marks (${label.split})`);
    if (values.preview) await sharp(Buffer.from(mask), { raw: { width, height, channels: 1 } }).toColourspace('b-w').png().toFile(path.join(values.preview, name));
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(new URL(import.meta.url).pathname)) await main();
