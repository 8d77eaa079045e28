// STUB by lead — lead implements.
import type { LayerConfig } from './hostContract';
import type { Tensor } from './tensor';

export interface ConvWeights {
  weight: Tensor;
  bias: Float32Array | null;
}

/** nn.Conv2d.reset_parameters from a seeded PRNG: U(-1/sqrt(fan_in), 1/sqrt(fan_in)) for weight and bias. */
export function defaultConv2dWeights(_config: LayerConfig, _inChannels: number, _seed: number): ConvWeights {
  throw new Error('not implemented');
}
