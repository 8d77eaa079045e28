import { type Conv2dPlan, planConv2d } from '../../core/conv2dOptions';
import type { ConvWeights } from '../../core/conv2dInit';
import type { LayerConfig } from '../../core/hostContract';
import { planLayerPipeline } from '../../core/layerPipeline';

/**
 * nn.Conv2d(config) applied to an input of `inputShape`, planned (and so validated) before any
 * work; the ReLU/pool after it are validated too (PoolLayerError), see planLayerPipeline.
 */
export function planLayer(config: LayerConfig, weights: ConvWeights, inputShape: readonly number[]): Conv2dPlan {
  const plan = planConv2d(inputShape, weights.weight.shape, weights.bias ? [weights.bias.length] : null, {
    stride: config.stride,
    padding: config.padding,
    dilation: config.dilation,
    groups: config.groups,
    paddingMode: config.paddingMode,
  });
  planLayerPipeline(plan, config);
  return plan;
}
