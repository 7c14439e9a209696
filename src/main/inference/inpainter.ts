import * as ort from 'onnxruntime-node';
import type { LoadedModel } from './session';

/**
 * What the pipeline needs from a model: its size constraints and one call per
 * crop. Keeping it this small lets the pipeline stay ignorant of ONNX Runtime.
 */
export interface Inpainter {
  /** Crop sides must be multiples of this. */
  readonly inputMultiple: number;
  /** Longest side the network is run at; larger boxes are tiled or scaled down. */
  readonly maxSide: number;
  /** Holes reaching deeper than this (pixels from their edge) are run scaled down; undefined: no limit. */
  readonly holeReach?: number;
  /** The model already averages a left-right mirrored pass (an ensemble exported into its graph). */
  readonly mirrored?: boolean;
  /**
   * image: float32 planar RGB, length 3*h*w, layout [1,3,h,w], values in [0,1].
   * mask:  float32, length h*w, layout [1,1,h,w], 1 = fill, 0 = keep.
   * Returns float32 planar RGB [1,3,h,w] in [0,1], known pixels equal to the input.
   */
  inpaint(image: Float32Array, mask: Float32Array, width: number, height: number): Promise<Float32Array>;
}

export function onnxInpainter(model: LoadedModel): Inpainter {
  return {
    inputMultiple: model.entry.inputMultiple,
    maxSide: model.entry.maxSide,
    ...(model.entry.holeReach === undefined ? {} : { holeReach: model.entry.holeReach }),
    mirrored: model.entry.architecture?.mirrorEnsemble === true,
    async inpaint(image, mask, width, height) {
      const feeds = {
        image: new ort.Tensor('float32', image, [1, 3, height, width]),
        mask: new ort.Tensor('float32', mask, [1, 1, height, width]),
      };
      const out = await model.session.run(feeds, ['output']);
      const tensor = out.output as ort.Tensor;
      const data = tensor.data as Float32Array;
      if (data.length !== 3 * width * height) {
        throw new Error(`Model returned ${tensor.dims.join('x')}, expected 1x3x${height}x${width}`);
      }
      return data;
    },
  };
}
