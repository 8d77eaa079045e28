import type { Conv2dPlan } from './conv2dOptions';

export interface GroupConnectivity {
  readonly groups: number;
  readonly inPerGroup: number;
  readonly outPerGroup: number;
  /** connected[o][c]: output channel o sums over input channel c. */
  readonly connected: readonly (readonly boolean[])[];
  /** The group each output channel belongs to. */
  readonly groupOfOutput: readonly number[];
  readonly weights: number;
  readonly biases: number;
  /** weights + biases: what sum(p.numel() for p in conv.parameters()) says. */
  readonly parameters: number;
  /** One multiply-add per tap per output element (padding taps included, as the layer computes them). */
  readonly multiplyAddsPerImage: number;
  readonly multiplyAddsPerBatch: number;
  /** Every input channel has its own group (groups == C_in) and C_out is a multiple of C_in. */
  readonly depthwise: boolean;
}

/** How groups wire output channels to input channels, and what the layer costs. */
export function groupConnectivity(plan: Conv2dPlan): GroupConnectivity {
  const { cIn, cOut, groups, kH, kW } = plan;
  const inPerGroup = cIn / groups;
  const outPerGroup = cOut / groups;
  const groupOfOutput = Array.from({ length: cOut }, (_, o) => Math.floor(o / outPerGroup));
  const connected = groupOfOutput.map((g) => Array.from({ length: cIn }, (_, c) => Math.floor(c / inPerGroup) === g));
  const weights = cOut * inPerGroup * kH * kW;
  const biases = plan.hasBias ? cOut : 0;
  const multiplyAddsPerImage = cOut * plan.hOut * plan.wOut * inPerGroup * kH * kW;
  return {
    groups, inPerGroup, outPerGroup, connected, groupOfOutput, weights, biases,
    parameters: weights + biases,
    multiplyAddsPerImage,
    multiplyAddsPerBatch: multiplyAddsPerImage * plan.n,
    depthwise: groups === cIn && cOut % cIn === 0,
  };
}
