import type { LayerConfig } from './hostContract';

const intOrPair = ([a, b]: readonly [number, number]): string => (a === b ? `${a}` : `(${a}, ${b})`);

/**
 * The layer as the PyTorch line that builds it, e.g. nn.Conv2d(3, 6, kernel_size=3, stride=1, padding=0).
 * kernel_size, stride and padding are always written (they are what a reader looks for); dilation,
 * groups, bias and padding_mode only when they differ from nn.Conv2d's defaults. With a seed, a
 * torch.manual_seed line comes first, since nn.Conv2d's initial weights depend on it.
 */
export function conv2dCode(config: LayerConfig, inChannels: number, seed?: number): string {
  const padding = typeof config.padding === 'string' ? `'${config.padding}'` : intOrPair(config.padding);
  const args = [
    `${inChannels}`, `${config.outChannels}`,
    `kernel_size=${intOrPair(config.kernelSize)}`, `stride=${intOrPair(config.stride)}`, `padding=${padding}`,
  ];
  if (config.dilation[0] !== 1 || config.dilation[1] !== 1) args.push(`dilation=${intOrPair(config.dilation)}`);
  if (config.groups !== 1) args.push(`groups=${config.groups}`);
  if (!config.bias) args.push('bias=False');
  if (config.paddingMode !== 'zeros') args.push(`padding_mode='${config.paddingMode}'`);
  const line = `nn.Conv2d(${args.join(', ')})`;
  return seed === undefined ? line : `torch.manual_seed(${seed})\n${line}`;
}
