import { type Conv2dOptions, type Conv2dPlan, conv2dOutputShape, planConv2d } from './conv2dOptions';
import type { ConvEngine } from './convEngine';
import { padInput } from './padInput';
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
  const { n, cIn, cOut, kH, kW, strideH, strideW, dilationH, dilationW, groups, hOut, wOut } = plan;
  // Zero padding is done by skipping out-of-range taps; the other modes read a materialised pad.
  const zeros = plan.paddingMode === 'zeros';
  const src = zeros ? { data: input, h: plan.h, w: plan.w } : padInput(plan, input);
  const offTop = zeros ? plan.padTop : 0;
  const offLeft = zeros ? plan.padLeft : 0;
  const { h, w } = src;
  const x = src.data;
  const cInPerGroup = cIn / groups;
  const cOutPerGroup = cOut / groups;
  for (let b = 0; b < n; b++) {
    for (let o = 0; o < cOut; o++) {
      const firstC = Math.floor(o / cOutPerGroup) * cInPerGroup;
      const biasValue = bias ? bias[o]! : 0;
      for (let i = 0; i < hOut; i++) {
        for (let j = 0; j < wOut; j++) {
          let sum = biasValue;
          for (let c = 0; c < cInPerGroup; c++) {
            const plane = (b * cIn + firstC + c) * h * w;
            const wBase = ((o * cInPerGroup + c) * kH) * kW;
            for (let u = 0; u < kH; u++) {
              const y = i * strideH + u * dilationH - offTop;
              if (y < 0 || y >= h) continue;
              for (let v = 0; v < kW; v++) {
                const xx = j * strideW + v * dilationW - offLeft;
                if (xx < 0 || xx >= w) continue;
                sum += x[plane + y * w + xx]! * weight[wBase + u * kW + v]!;
              }
            }
          }
          out[((b * cOut + o) * hOut + i) * wOut + j] = sum;
        }
      }
    }
  }
}

export const referenceConvEngine: ConvEngine = { name: 'reference', run: conv2dPlanned };
