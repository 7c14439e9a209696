/**
 * Tolerant counts per damage kind on one labelled photo whose truth pixels each
 * carry a kind (labels/render.ts's kind map). A kind's true pixels are found as
 * in tolerant.ts; its precision is judged with the other kinds' damage set
 * aside: a detected pixel near this kind's truth is correct, one near only
 * another kind's truth counts for nothing, one near none is a false mark.
 * Each kind is counted only on the photos that hold some of it.
 */
import { near, tolerantCounts, type TolerantCounts } from './tolerant';

/** `kinds`: per pixel 0 (no kind) or 1..kindCount; only pixels set in `truth` count as that kind's damage. */
export function countsByKind(
  pred: Uint8Array,
  truth: Uint8Array,
  kinds: Uint8Array,
  width: number,
  height: number,
  tol: number,
  kindCount: number,
): Map<number, TolerantCounts> {
  const out = new Map<number, TolerantCounts>();
  for (let k = 1; k <= kindCount; k++) {
    const own = new Uint8Array(truth.length);
    const others = new Uint8Array(truth.length);
    let any = false;
    for (let i = 0; i < truth.length; i++) {
      if (!truth[i]) continue;
      if (kinds[i] === k) {
        own[i] = 1;
        any = true;
      } else others[i] = 1;
    }
    if (!any) continue;
    const nearOwn = near(own, width, height, tol);
    const nearOthers = near(others, width, height, tol);
    const ignore = new Uint8Array(truth.length);
    for (let i = 0; i < ignore.length; i++) ignore[i] = nearOthers[i]! && !nearOwn[i] ? 1 : 0;
    out.set(k, tolerantCounts(pred, own, width, height, tol, ignore));
  }
  return out;
}
