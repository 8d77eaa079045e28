/**
 * The work one step may ask for, checked from shapes alone before any weight, buffer or folder is
 * made: a layer PyTorch refuses (kernel larger than the padded input, ...) fails here with
 * PyTorch's message, and a layer PyTorch would run but that would take gigabytes or minutes per
 * step is refused unless the user says to go past the budget (--allow-large, or the session's
 * allowLarge option).
 */
import { type Conv2dPlan, planConv2d } from '../../core/conv2dOptions';
import { weightShapeOf } from '../../core/conv2dInit';
import type { LayerConfig } from '../../core/hostContract';

/**
 * Per step. CIFAR's workflow (batch 64, Conv2d(3, 6, 3)) needs 2 MB and 9.3 M multiply-adds; a
 * batch of 1024 through 64 channels of 3x3 needs 250 MB and 1.6 G, still inside.
 */
export const LAYER_BUDGET = {
  /** Padded input plus output, as float32. */
  activationBytes: 256 * 1024 * 1024,
  multiplyAdds: 10e9,
  /** The weight tensor, as float32. */
  weightBytes: 64 * 1024 * 1024,
} as const;

export class LayerBudgetError extends Error {
  override readonly name = 'LayerBudgetError';
}

export interface StepCost {
  activationBytes: number;
  multiplyAdds: number;
  weightBytes: number;
}

export function stepCost(plan: Conv2dPlan): StepCost {
  const paddedInput = plan.n * plan.cIn * (plan.h + plan.padTop + plan.padBottom) * (plan.w + plan.padLeft + plan.padRight);
  const output = plan.n * plan.cOut * plan.hOut * plan.wOut;
  const perOutput = (plan.cIn / plan.groups) * plan.kH * plan.kW;
  return {
    activationBytes: 4 * (paddedInput + output),
    multiplyAdds: output * perOutput,
    weightBytes: 4 * plan.cOut * perOutput,
  };
}

const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(bytes < 1024 * 1024 * 10 ? 1 : 0)} MiB`;
const giga = (n: number) => `${(n / 1e9).toFixed(1)} G`;

/** Throws LayerBudgetError naming the budget exceeded and `overrideHint` (how to go past it). */
export function checkStepCost(cost: StepCost, overrideHint: string): void {
  const over = (what: string, need: string, budget: string) =>
    new LayerBudgetError(`this layer needs ${need} of ${what} per step, over the budget of ${budget}; ${overrideHint} to run it anyway`);
  if (cost.weightBytes > LAYER_BUDGET.weightBytes) throw over('weights', mib(cost.weightBytes), mib(LAYER_BUDGET.weightBytes));
  if (cost.activationBytes > LAYER_BUDGET.activationBytes) throw over('activations', mib(cost.activationBytes), mib(LAYER_BUDGET.activationBytes));
  if (cost.multiplyAdds > LAYER_BUDGET.multiplyAdds) throw over('multiply-adds', giga(cost.multiplyAdds), giga(LAYER_BUDGET.multiplyAdds));
}

export interface BudgetOptions {
  /** Skip the budget (never PyTorch's own checks). */
  allowLarge: boolean;
  /** How to go past the budget, in the caller's words: "pass --allow-large". */
  overrideHint: string;
}

/**
 * nn.Conv2d(config) on a batch of `inputShape`, planned from shapes only (no weights allocated):
 * Conv2dError for what PyTorch refuses, LayerBudgetError for what is over the budget.
 */
export function planLayerWithinBudget(config: LayerConfig, inputShape: readonly [number, number, number, number], budget: BudgetOptions): Conv2dPlan {
  const weightShape = weightShapeOf(config, inputShape[1]);
  const plan = planConv2d(inputShape, weightShape, config.bias ? [config.outChannels] : null, {
    stride: config.stride,
    padding: config.padding,
    dilation: config.dilation,
    groups: config.groups,
    paddingMode: config.paddingMode,
  });
  if (!budget.allowLarge) checkStepCost(stepCost(plan), budget.overrideHint);
  return plan;
}
