// The layer panel's output shape and formulas, computed where the page can see every input to them
// (the layer config, the image shape, and the size of the step on screen) instead of being asked
// of the back end, whose answer would describe whatever batch it computed last.
import { weightShapeOf } from './conv2dInit';
import { outputSizeFormula, planConv2d } from './conv2dOptions';
import { stepCount } from './dataLoader';
import type { LayerConfig, ViewConfig } from './hostContract';
import { planLayerPipeline, poolFormulas } from './layerPipeline';

export interface LayerShape {
  /** What the layer hands on, [N, C, H, W] for a batch of N images: the pooled shape with a pool, else the conv's. */
  outputShape: [number, number, number, number];
  /** The conv's own output [N, C_out, H_out, W_out]. */
  convShape: [number, number, number, number];
  /** floor((H + p0 + p1 - d*(k-1) - 1) / s) + 1 = H_out, and the same for W. */
  formulas: { h: string; w: string };
  /** With nn.MaxPool2d: the pooled shape and PyTorch's pooling_output_shape for each side. */
  pool: { shape: [number, number, number, number]; formulas: { h: string; w: string } } | null;
}

/** The modules the layer chains, as the output card names them: "Conv2d -> ReLU -> MaxPool2d". */
export function layerModulesName(config: Pick<LayerConfig, 'relu' | 'pool'>): string {
  return ['Conv2d', ...(config.relu ? ['ReLU'] : []), ...(config.pool ? ['MaxPool2d'] : [])].join(' -> ');
}

/**
 * nn.Conv2d(config), then ReLU and MaxPool2d when set, on a batch of `batch` images of `imageShape`
 * [C, H, W]; throws Conv2dError, or PoolLayerError (message starting "pool: "), as PyTorch would refuse it.
 */
export function layerShape(config: LayerConfig, imageShape: readonly [number, number, number], batch: number): LayerShape {
  const [c, h, w] = imageShape;
  const plan = planConv2d([batch, c, h, w], weightShapeOf(config, c), config.bias ? [config.outChannels] : null, {
    stride: config.stride,
    padding: config.padding,
    dilation: config.dilation,
    groups: config.groups,
    paddingMode: config.paddingMode,
  });
  const pipeline = planLayerPipeline(plan, config);
  return {
    outputShape: pipeline.outputShape,
    convShape: pipeline.convShape,
    formulas: {
      h: outputSizeFormula(plan.h, plan.padTop, plan.padBottom, plan.dilationH, plan.kH, plan.strideH),
      w: outputSizeFormula(plan.w, plan.padLeft, plan.padRight, plan.dilationW, plan.kW, plan.strideW),
    },
    pool: pipeline.pool ? { shape: pipeline.outputShape, formulas: poolFormulas(pipeline.pool) } : null,
  };
}

/** How many images DataLoader puts in `step` of a split of `count` images: the last one may be smaller. */
export function stepBatchCount(count: number, view: ViewConfig, step: number): number {
  const steps = stepCount(count, view);
  if (!Number.isInteger(step) || step < 0 || step >= steps) throw new RangeError(`step ${step} is outside 0..${steps - 1}`);
  // Shuffling reorders images, never the batch sizes.
  return Math.min(view.batchSize, count - step * view.batchSize);
}
