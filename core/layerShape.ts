// The layer panel's output shape and formulas, computed where the page can see every input to them
// (the layer config, the image shape, and the size of the step on screen) instead of being asked
// of the back end, whose answer would describe whatever batch it computed last.
import { weightShapeOf } from './conv2dInit';
import { outputSizeFormula, planConv2d } from './conv2dOptions';
import { stepCount } from './dataLoader';
import type { LayerConfig, ViewConfig } from './hostContract';

export interface LayerShape {
  /** [N, C_out, H_out, W_out] for a batch of N images. */
  outputShape: [number, number, number, number];
  /** floor((H + p0 + p1 - d*(k-1) - 1) / s) + 1 = H_out, and the same for W. */
  formulas: { h: string; w: string };
}

/** nn.Conv2d(config) on a batch of `batch` images of `imageShape` [C, H, W]; throws Conv2dError as PyTorch would refuse it. */
export function layerShape(config: LayerConfig, imageShape: readonly [number, number, number], batch: number): LayerShape {
  const [c, h, w] = imageShape;
  const plan = planConv2d([batch, c, h, w], weightShapeOf(config, c), config.bias ? [config.outChannels] : null, {
    stride: config.stride,
    padding: config.padding,
    dilation: config.dilation,
    groups: config.groups,
    paddingMode: config.paddingMode,
  });
  return {
    outputShape: [plan.n, plan.cOut, plan.hOut, plan.wOut],
    formulas: {
      h: outputSizeFormula(plan.h, plan.padTop, plan.padBottom, plan.dilationH, plan.kH, plan.strideH),
      w: outputSizeFormula(plan.w, plan.padLeft, plan.padRight, plan.dilationW, plan.kW, plan.strideW),
    },
  };
}

/** How many images DataLoader puts in `step` of a split of `count` images: the last one may be smaller. */
export function stepBatchCount(count: number, view: ViewConfig, step: number): number {
  const steps = stepCount(count, view);
  if (!Number.isInteger(step) || step < 0 || step >= steps) throw new RangeError(`step ${step} is outside 0..${steps - 1}`);
  // Shuffling reorders images, never the batch sizes.
  return Math.min(view.batchSize, count - step * view.batchSize);
}
