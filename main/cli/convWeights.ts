// conv's --weight/--bias: .npy arrays as before, or a model file's tensor with the layer it fixes.
import type { Conv2dOptions } from '../../core/conv2dOptions';
import { DEFAULT_LAYER, type LayerConfig } from '../../core/layerConfig';
import { resolveWeightOptions, type WeightOptions } from './modelWeightOptions';

const pair = (v: number | readonly [number, number]): [number, number] => (typeof v === 'number' ? [v, v] : [v[0], v[1]]);

/**
 * The weight, bias and F.conv2d options for `conv`. `options` are those the user typed (only
 * those: a model file must agree with them); an ONNX Conv's attributes fill in the rest.
 */
export async function convWeights(o: WeightOptions, options: Conv2dOptions, inputShape: readonly number[]): Promise<{
  weight: { shape: number[]; data: Float32Array };
  bias: { shape: number[]; data: Float32Array } | null;
  options: Conv2dOptions;
}> {
  const given: Partial<LayerConfig> = {};
  if (options.stride !== undefined) given.stride = pair(options.stride);
  if (options.padding !== undefined) given.padding = typeof options.padding === 'string' ? options.padding : pair(options.padding);
  if (options.dilation !== undefined) given.dilation = pair(options.dilation);
  if (options.groups !== undefined) given.groups = options.groups;
  if (options.paddingMode !== undefined) given.paddingMode = options.paddingMode;
  const layer: LayerConfig = { ...DEFAULT_LAYER, ...given, bias: !o.noBias };
  // An unbatched input is [C, H, W]; a batch is [N, C, H, W].
  const inChannels = inputShape.length >= 3 ? inputShape[inputShape.length - 3]! : 0;
  const r = await resolveWeightOptions(o, layer, given, inChannels);
  if (r.source.kind === 'npy') return { weight: r.source.weight, bias: r.source.bias, options: {} };
  const { stride, padding, dilation, groups, paddingMode } = r.layer;
  return { weight: r.source.weight, bias: r.source.bias, options: { stride, padding, dilation, groups, paddingMode } };
}
