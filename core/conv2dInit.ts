import { checkConv2dModule } from './conv2dModule';
import type { LayerConfig } from './layerConfig';
import { type Tensor, tensor } from './tensor';
import { TorchGenerator } from './torchGenerator';

export interface ConvWeights {
  weight: Tensor;
  bias: Float32Array | null;
}

/** The layer's weight shape; refuses, as nn.Conv2d's constructor does, a layer that cannot exist. */
export function weightShapeOf(config: LayerConfig, inChannels: number): [number, number, number, number] {
  checkConv2dModule(config, inChannels);
  return [config.outChannels, inChannels / config.groups, config.kernelSize[0], config.kernelSize[1]];
}

/**
 * nn.Conv2d.reset_parameters, bit for bit after torch.manual_seed(seed):
 * kaiming_uniform_(a=sqrt(5)) on the weight, then uniform_(-1/sqrt(fan_in), 1/sqrt(fan_in)) on
 * the bias, drawing from one generator in that order. The bound is computed with the same
 * double-precision steps as torch/nn/init.py so it rounds to the same float.
 */
export function defaultConv2dWeights(config: LayerConfig, inChannels: number, seed: number): ConvWeights {
  const shape = weightShapeOf(config, inChannels);
  const weight = tensor(shape);
  const fanIn = shape[1] * shape[2] * shape[3];
  const gen = new TorchGenerator(seed);
  let bias: Float32Array | null = config.bias ? new Float32Array(config.outChannels) : null;
  if (weight.data.length === 0) return { weight, bias };
  const a = Math.sqrt(5);
  const gain = Math.sqrt(2.0 / (1 + a ** 2));
  const std = gain / Math.sqrt(fanIn);
  const bound = Math.sqrt(3.0) * std;
  gen.uniformFloat32(weight.data, -bound, bound);
  if (bias && fanIn !== 0) {
    const biasBound = 1 / Math.sqrt(fanIn);
    gen.uniformFloat32(bias, -biasBound, biasBound);
  }
  return { weight, bias };
}
