import { type Conv2dOptions, type Conv2dPlan, conv2dOutputShape, planConv2d } from './conv2dOptions';
import type { ConvEngine } from './convEngine';
import { paddedSourceIndex } from './paddedSourceIndex';
import { type Tensor, tensor } from './tensor';

/**
 * F.conv2d with nn.Conv2d's padding_mode, in float32: the readable reference engine. Faster
 * engines are tested against this one, so it stays a direct transcription of the definition:
 *   y[n, o, i, j] = b[o] + sum_{c in group(o), u, v} x_pad[n, c, i*s + u*d, j*s + v*d] * w[o, c, u, v]
 * Sums are accumulated in float64 and rounded once, which keeps it within float32 rounding of
 * PyTorch's float64 results.
 */
export function conv2d(input: Tensor, weight: Tensor, bias: Float32Array | null, options: Conv2dOptions = {}): Tensor {
  const plan = planConv2d(input.shape, weight.shape, bias ? [bias.length] : null, options);
  const out = tensor(conv2dOutputShape(plan));
  conv2dPlanned(plan, input.data, weight.data, bias, out.data);
  return out;
}

export function conv2dPlanned(plan: Conv2dPlan, input: Float32Array, weight: Float32Array, bias: Float32Array | null, out: Float32Array): void {
  let idx = 0;
  for (let b = 0; b < plan.n; b++) {
    for (let o = 0; o < plan.cOut; o++) {
      for (let i = 0; i < plan.hOut; i++) {
        for (let j = 0; j < plan.wOut; j++) out[idx++] = referenceActivation(plan, input, weight, bias, b, o, i, j);
      }
    }
  }
}

/**
 * One activation y[b, o, i, j]: bias first, then channels, rows, columns, summed in float64 and
 * rounded once. Padding reads through paddedSourceIndex, as F.pad's modes define it (zeros read
 * nothing). The reference engine is this, element by element; the byte-boundary refinement of
 * fast engines recomputes single elements with it.
 */
export function referenceActivation(plan: Conv2dPlan, input: Float32Array, weight: Float32Array, bias: Float32Array | null, b: number, o: number, i: number, j: number): number {
  const { cIn, h, w, kH, kW, groups, paddingMode } = plan;
  const cInPerGroup = cIn / groups;
  const firstC = Math.floor(o / (plan.cOut / groups)) * cInPerGroup;
  let sum = bias ? bias[o]! : 0;
  for (let c = 0; c < cInPerGroup; c++) {
    const plane = (b * cIn + firstC + c) * h * w;
    const wBase = (o * cInPerGroup + c) * kH * kW;
    for (let u = 0; u < kH; u++) {
      const sy = paddedSourceIndex(i * plan.strideH + u * plan.dilationH - plan.padTop, h, paddingMode);
      if (sy < 0) continue;
      for (let v = 0; v < kW; v++) {
        const sx = paddedSourceIndex(j * plan.strideW + v * plan.dilationW - plan.padLeft, w, paddingMode);
        if (sx < 0) continue;
        sum += input[plane + sy * w + sx]! * weight[wBase + u * kW + v]!;
      }
    }
  }
  return Math.fround(sum);
}

export const referenceConvEngine: ConvEngine = { name: 'reference', run: conv2dPlanned };
