import { Conv2dError, PADDING_MODES } from './conv2dOptions';
import type { LayerConfig } from './layerConfig';

/**
 * The checks nn.Conv2d.__init__ makes (torch/nn/modules/conv.py), with its messages, so a layer
 * PyTorch could not even construct is refused before weights are made for it.
 */
export function checkConv2dModule(config: LayerConfig, inChannels: number): void {
  const { groups, outChannels, kernelSize, stride, padding, paddingMode } = config;
  if (!Number.isInteger(groups) || groups <= 0) throw new Conv2dError('groups must be a positive integer');
  if (inChannels % groups !== 0) throw new Conv2dError('in_channels must be divisible by groups');
  if (!Number.isInteger(outChannels) || outChannels <= 0) throw new Conv2dError(`out_channels must be a positive integer, got ${outChannels}`);
  if (outChannels % groups !== 0) throw new Conv2dError('out_channels must be divisible by groups');
  if (kernelSize.some((k) => !Number.isInteger(k) || k <= 0)) throw new Conv2dError(`kernel_size must be positive integers, got (${kernelSize.join(', ')})`);
  if (padding === 'same' && stride.some((s) => s !== 1)) throw new Conv2dError("padding='same' is not supported for strided convolutions");
  if (!PADDING_MODES.includes(paddingMode)) {
    throw new Conv2dError(`padding_mode must be one of {${PADDING_MODES.map((m) => `'${m}'`).join(', ')}}, but got padding_mode='${paddingMode}'`);
  }
}
