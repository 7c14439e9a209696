import type { BatchItemView } from '@shared/ipc/batch';
import type { BatchFormValues } from './batch-form';

/**
 * What "Start again" will do to the photos of the batch on screen, in words,
 * from the form it ran with and the form as it is now. It follows the
 * queue's rules (src/main/batch/session.ts): the same settings resume (only
 * photos without a result are restored); changed settings start a new batch,
 * in which "skip" keeps every existing result, "overwrite" redoes them and
 * "rename" restores them again into new files. New output names (folder,
 * template, format) have no results yet, so every photo is restored again.
 */
export interface RedoPlan {
  /** Names of the settings that differ from the run shown ('' entries never). */
  readonly changed: readonly string[];
  /** Photos (relative paths) Start again will restore. */
  readonly redo: readonly string[];
  /** Restored photos whose result stays as it is. */
  readonly kept: readonly string[];
  readonly text: string;
}

/** Name and relevance of each setting that makes a different batch (collision is how, not what). */
const SETTINGS: readonly { key: keyof BatchFormValues; label: string; applies?: (v: BatchFormValues) => boolean; naming?: boolean }[] = [
  { key: 'recursive', label: 'sub-folders' },
  { key: 'maskMode', label: 'mask source' },
  { key: 'maskPath', label: 'masks', applies: (v) => v.maskMode === 'folder' || v.maskMode === 'file' },
  { key: 'sensitivity', label: 'sensitivity', applies: (v) => v.maskMode === 'auto' },
  { key: 'method', label: 'detector', applies: (v) => v.maskMode === 'auto' },
  { key: 'qualityMode', label: 'fill quality' },
  { key: 'tone', label: 'tone' },
  { key: 'quality', label: 'quality', applies: (v) => v.format === 'jpeg' || v.format === 'webp' || v.format === 'same' },
  { key: 'template', label: 'file names', naming: true },
  { key: 'format', label: 'format', naming: true },
  { key: 'outputFolder', label: 'output folder', naming: true },
];

const LISTED = 5;

export function redoPlan(ran: BatchFormValues, now: BatchFormValues, items: readonly BatchItemView[]): RedoPlan {
  const differs = SETTINGS.filter((s) => (s.applies?.(now) ?? true) && String(ran[s.key]).trim() !== String(now[s.key]).trim());
  const changed = differs.map((s) => s.label);
  // Photos have an output path; files that are not photos (or clash) have none and are never restored.
  const photos = items.filter((i) => i.output !== null);
  const done = photos.filter(hasResult).map((i) => i.rel);
  const open = photos.filter((i) => !hasResult(i)).map((i) => i.rel);
  const all = photos.map((i) => i.rel);
  if (ran.inputFolder.trim() !== now.inputFolder.trim()) {
    return { changed: ['photo folder', ...changed], redo: [], kept: [], text: 'Another folder of photos: Start begins a new batch.' };
  }
  if (changed.length === 0) {
    return {
      changed,
      redo: open,
      kept: done,
      text:
        open.length === 0
          ? `Same settings: every photo is restored, so Start again has nothing to do. Change a setting to redo them.`
          : `Same settings: Start again resumes, restoring ${count(open)} without a result (${names(open)}); the ${done.length} restored keep their results.`,
    };
  }
  const what = `Settings changed (${changed.join(', ')})`;
  if (differs.some((s) => s.naming)) {
    return { changed, redo: all, kept: [], text: `${what}: the results get new names, so Start again restores all ${count(all)} again (${names(all)}).` };
  }
  if (now.collision === 'overwrite') {
    return { changed, redo: all, kept: [], text: `${what}: Start again redoes all ${count(all)} with the new settings, replacing their results (${names(all)}).` };
  }
  if (now.collision === 'rename') {
    return { changed, redo: all, kept: [], text: `${what}: Start again restores all ${count(all)} again, each into a new file beside its old result (${names(all)}).` };
  }
  return {
    changed,
    redo: open,
    kept: done,
    text:
      (open.length === 0 ? `${what}, but Start again redoes no photo` : `${what}: Start again restores only the ${count(open)} without a result (${names(open)})`) +
      (done.length > 0 ? `; the ${done.length} already restored keep their results. To redo them, choose “Overwrite” when a file already exists.` : '.'),
  };
}

/** Restored now, or skipped because an earlier result stands at its output (the runner's reason says so). */
function hasResult(item: BatchItemView): boolean {
  return item.state === 'done' || (item.state === 'skipped' && (item.reason?.startsWith('Output already exists') ?? false));
}

function count(list: readonly string[]): string {
  return `${list.length} photo${list.length === 1 ? '' : 's'}`;
}

function names(list: readonly string[]): string {
  const shown = list.slice(0, LISTED).map((p) => p.split('/').pop() ?? p);
  return list.length > LISTED ? `${shown.join(', ')} and ${list.length - LISTED} more` : shown.join(', ');
}
