import { describe, expect, it } from 'vitest';
import { MaskBitmap } from '../mask/mask-bitmap';
import { BlobStore } from './blob-store';
import { History } from './history';
import { MaskEdit, TILE_SIZE } from './mask-edit';

describe('MaskEdit', () => {
  it('records only the tiles a stroke changed, before and after', () => {
    const mask = new MaskBitmap(3 * TILE_SIZE, 2 * TILE_SIZE);
    const blobs = new BlobStore();
    const edit = new MaskEdit('a', mask);
    // Crosses from tile 0 into tile 1 on the first tile row.
    edit.segment({ x: 200, y: 100 }, { x: 300, y: 100 }, 10, 1);
    const change = edit.commit(blobs);
    expect(change?.kind).toBe('mask');
    if (change?.kind !== 'mask') return;
    expect(change.tiles.map((t) => t.tile)).toEqual([0, 1]);
    expect(blobs.count).toBe(4);
    expect(blobs.bytes).toBe(4 * TILE_SIZE * TILE_SIZE);
    expect(blobs.get(change.tiles[0]!.before).every((v) => v === 0)).toBe(true);
  });

  it('cancel puts every pixel back; an edit that changed nothing commits nothing', () => {
    const mask = new MaskBitmap(300, 300);
    mask.data.fill(1, 0, 300);
    const before = mask.data.slice();
    const edit = new MaskEdit('a', mask);
    edit.segment({ x: 10, y: 10 }, { x: 290, y: 290 }, 20, 0);
    edit.rect({ x: 0, y: 100 }, { x: 300, y: 200 }, 1);
    expect(same(mask.data, before)).toBe(false);
    edit.cancel();
    expect(same(mask.data, before)).toBe(true);

    const noop = new MaskEdit('a', mask);
    noop.rect({ x: 0, y: 0 }, { x: 300, y: 1 }, 1);
    expect(noop.commit(new BlobStore())).toBeNull();
    expect(() => noop.segment({ x: 0, y: 0 }, { x: 1, y: 1 }, 1, 1)).toThrow(/after commit/);
  });
});

describe('History', () => {
  const doc = (n: number) => ({ layers: [], activeLayerId: null, imageVersion: n, restoreRuns: n });

  it('undoes and redoes in order and drops the redo branch on a new push', () => {
    const blobs = new BlobStore();
    const history = new History(blobs);
    history.push('one', [{ kind: 'doc', before: doc(0), after: doc(1) }]);
    history.push('two', [{ kind: 'doc', before: doc(1), after: doc(2) }]);
    expect(history.undoLabel).toBe('two');
    expect(history.undo()?.label).toBe('two');
    expect([history.canUndo, history.canRedo, history.redoLabel]).toEqual([true, true, 'two']);
    history.push('three', [{ kind: 'doc', before: doc(1), after: doc(3) }]);
    expect(history.canRedo).toBe(false);
    expect(history.all().map((e) => e.label)).toEqual(['one', 'three']);
    expect(history.push('empty', [])).toBeNull();
  });

  it('forgets the oldest entries past its limits and releases their blobs', () => {
    const blobs = new BlobStore();
    const history = new History(blobs, { maxEntries: 2, maxBytes: 1000 });
    const patch = () => ({ kind: 'mask' as const, layerId: 'a', tiles: [{ tile: 0, before: blobs.put(new Uint8Array(200)), after: blobs.put(new Uint8Array(200)) }] });
    history.push('a', [patch()]);
    history.push('b', [patch()]);
    expect(blobs.bytes).toBe(800);
    history.push('c', [patch()]);
    expect(history.all().map((e) => e.label)).toEqual(['b', 'c']);
    expect(blobs.bytes).toBe(800);
    const big = { kind: 'mask' as const, layerId: 'a', tiles: [{ tile: 0, before: blobs.put(new Uint8Array(900)), after: blobs.put(new Uint8Array(900)) }] };
    history.push('big', [big]);
    expect(history.all().map((e) => e.label)).toEqual(['big']);
    expect(history.canUndo).toBe(true);
  });

  it('keeps entries as plain data (JSON round trip)', () => {
    const history = new History(new BlobStore());
    history.push('one', [{ kind: 'doc', before: doc(0), after: doc(1) }]);
    expect(JSON.parse(JSON.stringify(history.all()))).toEqual(history.all());
  });
});

function same(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}
