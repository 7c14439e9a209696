import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { decodePhoto } from '../imaging/decode';
import { REPO_ROOT } from '../defects/testing/fixtures';
import { findFaces, loadFaceModel, overlap, suppress, type FaceBox, type FaceModel } from './faces';

/**
 * face-api's own answers (its TensorFlow.js net, training/faces/face_api_reference.mjs)
 * on the 26 real scans in ../shared/data/damaged, boxes with score > 0.3.
 */
interface Reference {
  readonly inputSize: number;
  readonly photos: readonly { readonly name: string; readonly file: string; readonly width: number; readonly height: number; readonly faces: readonly FaceBox[] }[];
}
const reference = JSON.parse(readFileSync(path.join(REPO_ROOT, 'test/fixtures/faces/face-api-reference.json'), 'utf8')) as Reference;

function clipped(b: FaceBox, width: number, height: number): FaceBox {
  const x0 = Math.max(0, b.x);
  const y0 = Math.max(0, b.y);
  return { x: x0, y: y0, width: Math.min(width, b.x + b.width) - x0, height: Math.min(height, b.y + b.height) - y0, score: b.score };
}

describe('face finding (the converted Tiny Face Detector through onnxruntime-node)', () => {
  let model: FaceModel;
  beforeAll(async () => {
    model = await loadFaceModel(path.join(REPO_ROOT, 'models'));
  });

  it('loads the shipped model with its manifest settings', () => {
    expect(model.inputSize).toBe(reference.inputSize);
    expect(model.anchors).toHaveLength(5);
    expect(model.scoreThreshold).toBeGreaterThan(0);
  });

  it('finds the faces face-api itself finds on the real scans, at the same places and scores', async () => {
    let compared = 0;
    for (const photo of reference.photos) {
      const decoded = await decodePhoto(path.resolve(REPO_ROOT, photo.file));
      expect([decoded.width, decoded.height]).toEqual([photo.width, photo.height]);
      const found = await findFaces(model, decoded, { minScore: 0.3, sizes: [reference.inputSize] });
      expect(found.length, photo.name).toBe(photo.faces.length);
      for (const want of photo.faces) {
        const w = clipped(want, photo.width, photo.height);
        const match = found.reduce((best, f) => (overlap(f, w) > overlap(best, w) ? f : best), found[0]!);
        expect(overlap(match, w), photo.name).toBeGreaterThan(0.97);
        expect(Math.abs(match.score - want.score), photo.name).toBeLessThan(0.01);
        compared++;
      }
    }
    // The set holds portraits: most photos have a face to compare.
    expect(compared).toBeGreaterThanOrEqual(15);
  }, 60_000);

  it('with the shipped sizes, finds the faces of cracked portraits and none in a harbour scene', async () => {
    const damaged = path.resolve(REPO_ROOT, '../shared/data/damaged/bopb_old_photos');
    // The boy of old_w_scratch/b.png and the man of history/10.png: one face each, both crossed by cracks.
    for (const [file, centre] of [
      ['old_w_scratch/b.png', [128, 118]],
      ['history/10.png', [118, 110]],
    ] as const) {
      const found = await findFaces(model, await decodePhoto(path.join(damaged, file)));
      expect(found, file).toHaveLength(1);
      const [f] = found;
      expect(centre[0]).toBeGreaterThan(f!.x);
      expect(centre[0]).toBeLessThan(f!.x + f!.width);
      expect(centre[1]).toBeGreaterThan(f!.y);
      expect(centre[1]).toBeLessThan(f!.y + f!.height);
    }
    expect(await findFaces(model, await decodePhoto(path.join(damaged, 'old/f.png')))).toEqual([]);
  });

  it('finds no face in a photo of plain texture', async () => {
    const width = 640;
    const height = 480;
    const data = new Uint8Array(width * height * 3);
    for (let i = 0; i < data.length; i++) data[i] = 120 + ((i * 2654435761) >>> 28);
    const found = await findFaces(model, { width, height, channels: 3, colourChannels: 3, bitDepth: 8, data });
    expect(found).toEqual([]);
  });

  it('keeps the better of two overlapping boxes and both of two apart', () => {
    const a = { x: 0, y: 0, width: 10, height: 10, score: 0.9 };
    const b = { x: 1, y: 1, width: 10, height: 10, score: 0.8 };
    const c = { x: 50, y: 50, width: 10, height: 10, score: 0.7 };
    expect(suppress([b, c, a], 0.4)).toEqual([a, c]);
  });
});
