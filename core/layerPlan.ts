import { type Conv2dPlan, planConv2d } from './conv2dOptions';
import type { LayerConfig } from './layerConfig';

/**
 * The plan of a LayerConfig's convolution on an input shape, with the layer's weight shape and
 * bias: what the page needs to trace, re-run or measure a layer exactly as the back end runs it.
 */
export function planLayerConv2d(config: LayerConfig, weightShape: readonly number[], hasBias: boolean, inputShape: readonly number[]): Conv2dPlan {
  return planConv2d(inputShape, weightShape, hasBias ? [weightShape[0]!] : null, {
    stride: config.stride,
    padding: config.padding,
    dilation: config.dilation,
    groups: config.groups,
    paddingMode: config.paddingMode,
  });
}
