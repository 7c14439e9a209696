import { imageIdOf } from '@shared/ipc/documents';
import { request } from '../../lib/ipc';
import type { Editor } from '../editor';
import { Refusal } from '../refusal';
import { loadMaskImage } from '../session/load-mask-image';
import type { SnapGesture } from '../tools/tool';
import { snapQuery } from './snap-points';

/** What the snap flow needs of the editor session. */
export interface SnapHost {
  readonly doc: { readonly id: string } | null;
  readonly core: Editor | null;
  readonly imageVersion: number;
  readonly tools: {
    /**
     * True while a gesture is being drawn: its edit holds copies of the tiles
     * it touches (to roll back or diff), so an answer must not change them
     * under it and waits until the gesture ends.
     */
    gestureActive(): boolean;
  };
  notify(kind: 'info' | 'error', text: string): void;
  sync(): void;
}

const GESTURE_POLL_MS = 30;

/**
 * Has main decode the shown version for the snapping brush now, while the
 * person is still aiming: otherwise the first stroke on a scan waits for the
 * decode (seconds on a 12 MP scan). A one-pixel spot in the corner, its
 * answer unused.
 */
export function warmSnap(host: Pick<SnapHost, 'doc' | 'imageVersion'>): void {
  if (!host.doc) return;
  const image = { id: imageIdOf(host.doc.id, host.imageVersion) };
  void request('defects:snap', { image, kind: 'spot', points: [[0, 0]], width: 1 }).catch(() => undefined);
}

/**
 * A snap-mode gesture: asks main for the damage under it (`defects:snap`,
 * on the image version shown) and adds what comes back to the active layer
 * as one undo step, "Snap stroke" or "Snap spot". Nothing found adds nothing
 * and says so. An answer for a photo or version no longer shown is dropped.
 */
export async function runSnap(host: SnapHost, gesture: SnapGesture): Promise<void> {
  const doc = host.doc;
  const editor = host.core;
  if (!doc || !editor) return;
  const version = host.imageVersion;
  const under = gesture.kind === 'spot' ? 'the click' : 'the stroke';
  const stale = () => host.core !== editor || host.doc?.id !== doc.id || host.imageVersion !== version;
  try {
    const answer = await request('defects:snap', { image: { id: imageIdOf(doc.id, version) }, ...snapQuery(gesture) });
    if (stale()) return;
    if (answer.pixels === 0 || !answer.url) {
      host.notify('info', `No damage found under ${under}`);
      return;
    }
    const bits = await loadMaskImage(answer.url, answer.width, answer.height);
    while (host.tools.gestureActive()) await new Promise((resolve) => setTimeout(resolve, GESTURE_POLL_MS));
    if (stale()) return;
    const edit = editor.beginEdit();
    if (edit instanceof Refusal) {
      host.notify('info', edit.reason);
      return;
    }
    const rect = edit.mergeWindow({ x: answer.x, y: answer.y, width: answer.width, height: answer.height, data: bits });
    editor.notifyEditing(edit, rect);
    editor.endEdit(edit, gesture.kind === 'spot' ? 'Snap spot' : 'Snap stroke');
    host.sync();
  } catch (err) {
    if (stale()) return;
    host.notify('error', `Could not find the damage under ${under}: ${err instanceof Error ? err.message : String(err)}`);
  }
}
