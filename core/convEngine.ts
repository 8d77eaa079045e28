import type { Conv2dPlan } from './conv2dOptions';

/**
 * A conv2d implementation behind a validated plan. The reference engine (conv2d.ts) is the
 * readable one; faster engines must agree with it and with PyTorch's fixtures.
 * `input` is [N, C_in, H, W] (N=1 for unbatched), `out` is [N, C_out, H_out, W_out].
 */
export interface ConvEngine {
  readonly name: string;
  run(plan: Conv2dPlan, input: Float32Array, weight: Float32Array, bias: Float32Array | null, out: Float32Array): void;
}
