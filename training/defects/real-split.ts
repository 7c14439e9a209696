/**
 * Which real images the detector is scored on, by fixed rules that training
 * follows too:
 *
 * - film (../shared/data/damage-labelled/<set>/<stem>.<ext> with <stem>_mask.png):
 *   pairs sorted by stem; index % 4 == 0 is validation (never trained or tuned
 *   on), index % 4 == 2 calibration (the threshold is chosen there), the rest
 *   training. training/defects/real_sets.py is the Python side of this rule.
 * - real prints (../shared/data/damaged, masks drawn here: training/defects/labels/):
 *   the split each label names in prints.json, fixed when the labels were drawn
 *   (13 of 26 validation).
 * - clean photos: the validation split of ../shared/data/train
 *   (training/patina_train/data.py is_validation: sha1 of the relative path,
 *   first 8 hex digits, mod 100 < 5), which no detector trains on.
 */
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { LABELS_FILE, MASKS_DIR, maskNameOf, type PrintLabel } from './labels/render';

export type Split = 'validation' | 'calibration' | 'train';
export const FILM_SETS = ['film-frames', 'film-scans'] as const;

export interface LabelledPair {
  readonly set: string;
  readonly stem: string;
  readonly image: string;
  readonly mask: string;
  readonly split: Split;
}

const PHOTO = /\.(png|jpe?g|tiff?|webp|bmp)$/i;

export function splitOf(index: number): Split {
  return index % 4 === 0 ? 'validation' : index % 4 === 2 ? 'calibration' : 'train';
}

export async function labelledPairs(root: string, set: string): Promise<LabelledPair[]> {
  const dir = path.join(root, set);
  const images = (await readdir(dir)).filter((f) => PHOTO.test(f) && !/_mask\.[^.]+$/.test(f)).sort(byStem);
  return images.map((f, i) => {
    const stem = f.replace(/\.[^.]+$/, '');
    return { set, stem, image: path.join(dir, f), mask: path.join(dir, `${stem}_mask.png`), split: splitOf(i) };
  });
}

/** Python's sorted() on the stems: code-point order. */
function byStem(a: string, b: string): number {
  const sa = a.replace(/\.[^.]+$/, '');
  const sb = b.replace(/\.[^.]+$/, '');
  return sa < sb ? -1 : sa > sb ? 1 : 0;
}

export function isCleanValidation(relPath: string): boolean {
  return parseInt(createHash('sha1').update(relPath).digest('hex').slice(0, 8), 16) % 100 < 5;
}

/** Absolute paths of the clean validation photos under `dir`, sorted by relative path. */
export async function cleanValidationPhotos(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const rel = entries
    .filter((e) => e.isFile() && PHOTO.test(e.name))
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)).split(path.sep).join('/'))
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return rel.filter(isCleanValidation).map((r) => path.join(dir, r));
}

export interface PrintPair {
  readonly image: string;
  readonly mask: string;
  readonly split: 'train' | 'validation';
  /** Whether its label marks any damage (the others count as clean prints). */
  readonly damaged: boolean;
  readonly label: PrintLabel;
}

/** The labelled real prints: photo under `damagedRoot`, mask rendered in labels/prints/. */
export async function printPairs(damagedRoot: string): Promise<PrintPair[]> {
  const labels = JSON.parse(await readFile(LABELS_FILE, 'utf8')) as PrintLabel[];
  return labels.map((l) => ({
    image: path.join(damagedRoot, l.image),
    mask: path.join(MASKS_DIR, maskNameOf(l.image)),
    split: l.split,
    damaged: l.marks.length > 0,
    label: l,
  }));
}
