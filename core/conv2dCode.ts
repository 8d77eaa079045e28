import type { LayerConfig, PoolConfig } from './layerConfig';

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

/** nn.MaxPool2d's constructor call: kernel_size always, the rest only when not PyTorch's default. */
export function maxPool2dCode(pool: PoolConfig): string {
  const args = [`kernel_size=${intOrPair(pool.kernelSize)}`];
  if (pool.stride !== null) args.push(`stride=${intOrPair(pool.stride)}`);
  if (pool.padding[0] !== 0 || pool.padding[1] !== 0) args.push(`padding=${intOrPair(pool.padding)}`);
  if (pool.dilation[0] !== 1 || pool.dilation[1] !== 1) args.push(`dilation=${intOrPair(pool.dilation)}`);
  if (pool.ceilMode) args.push('ceil_mode=True');
  return `nn.MaxPool2d(${args.join(', ')})`;
}

/**
 * "Copy as PyTorch": the whole layer as a notebook would build it, one module per line
 * (`conv = nn.Conv2d(...)`, then `relu = nn.ReLU()` and `pool = nn.MaxPool2d(...)` when set),
 * with torch.manual_seed first when a seed reproduces the weights.
 */
export function layerCode(config: LayerConfig, inChannels: number, seed?: number): string {
  const lines = seed === undefined ? [] : [`torch.manual_seed(${seed})`];
  lines.push(`conv = ${conv2dCode(config, inChannels)}`);
  if (config.relu) lines.push('relu = nn.ReLU()');
  if (config.pool) lines.push(`pool = ${maxPool2dCode(config.pool)}`);
  return lines.join('\n');
}
