// "Copy as PyTorch": the layer on screen as the lines a notebook would need to build the same layer.
import { DEFAULT_LAYER, type LayerConfig } from './hostContract';

function intOrPair(v: readonly [number, number]): string {
  return v[0] === v[1] ? String(v[0]) : `(${v[0]}, ${v[1]})`;
}

/**
 * `torch.manual_seed(seed)` (when the weights come from the default init) and the nn.Conv2d call,
 * e.g. `nn.Conv2d(3, 6, kernel_size=3, stride=1, padding=0)`. Arguments at PyTorch's defaults are
 * left out except kernel_size, stride and padding, which the workflow spells out.
 */
export function layerAsPyTorch(config: LayerConfig, inChannels: number, seed: number | null): string {
  const args = [String(inChannels), String(config.outChannels), `kernel_size=${intOrPair(config.kernelSize)}`, `stride=${intOrPair(config.stride)}`];
  args.push(`padding=${typeof config.padding === 'string' ? `'${config.padding}'` : intOrPair(config.padding)}`);
  if (config.dilation[0] !== 1 || config.dilation[1] !== 1) args.push(`dilation=${intOrPair(config.dilation)}`);
  if (config.groups !== DEFAULT_LAYER.groups) args.push(`groups=${config.groups}`);
  if (!config.bias) args.push('bias=False');
  if (config.paddingMode !== 'zeros') args.push(`padding_mode='${config.paddingMode}'`);
  const lines = seed === null ? [] : [`torch.manual_seed(${seed})`];
  lines.push(`conv = nn.Conv2d(${args.join(', ')})`);
  return lines.join('\n');
}
