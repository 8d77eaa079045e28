import { type Conv2dOptions, type Conv2dPlan, conv2dOutputShape, planConv2d } from './conv2dOptions';
import { type Tensor, tensor } from './tensor';

/**
 * F.conv2d with nn.Conv2d's padding_mode, in float32: the readable reference engine.
 * (Implementation in progress.)
 */
export function conv2d(input: Tensor, weight: Tensor, bias: Float32Array | null, options: Conv2dOptions = {}): Tensor {
  const plan = planConv2d(input.shape, weight.shape, bias ? [bias.length] : null, options);
  const out = tensor(conv2dOutputShape(plan));
  conv2dPlanned(plan, input.data, weight.data, bias, out.data);
  return out;
}

export function conv2dPlanned(_plan: Conv2dPlan, _input: Float32Array, _weight: Float32Array, _bias: Float32Array | null, _out: Float32Array): void {
  throw new Error('not implemented yet');
}
