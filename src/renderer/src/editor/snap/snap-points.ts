import { MAX_SNAP_POINTS, MAX_SNAP_WIDTH } from '@shared/ipc/snap';
import type { Point } from '../geometry';
import type { SnapGesture } from '../tools/tool';

/** What `defects:snap` is sent for a gesture: points as [x, y], thinned and capped; the width bounded. */
export interface SnapQuery {
  readonly kind: SnapGesture['kind'];
  readonly points: [number, number][];
  readonly width: number;
}

/**
 * A gesture as a snap query. Pointer events arrive every pixel or so; points
 * closer than a quarter of the brush add nothing to a band that wide, so they
 * are dropped (the last point is always kept), and a very long stroke is
 * thinned further to fit MAX_SNAP_POINTS. A brush wider than MAX_SNAP_WIDTH
 * searches MAX_SNAP_WIDTH.
 */
export function snapQuery(gesture: SnapGesture): SnapQuery {
  const width = Math.min(MAX_SNAP_WIDTH, Math.max(1, gesture.width));
  const kept = thin(gesture.points, Math.max(1, width / 4));
  const stride = Math.ceil(kept.length / MAX_SNAP_POINTS);
  const capped = stride <= 1 ? kept : kept.filter((_, i) => i % stride === 0 || i === kept.length - 1);
  return { kind: gesture.kind, points: capped.slice(0, MAX_SNAP_POINTS).map((p) => [p.x, p.y]), width };
}

function thin(points: readonly Point[], step: number): Point[] {
  if (points.length <= 2) return [...points];
  const out: Point[] = [points[0]!];
  for (let i = 1; i < points.length - 1; i++) {
    const p = points[i]!;
    const last = out[out.length - 1]!;
    if (Math.hypot(p.x - last.x, p.y - last.y) >= step) out.push(p);
  }
  out.push(points[points.length - 1]!);
  return out;
}
