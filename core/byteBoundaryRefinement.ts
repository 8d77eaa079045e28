import type { Conv2dPlan } from './conv2dOptions';
import { paddedSourceIndex } from './padInput';

/**
 * One activation as the reference engine computes it: bias first, then channels, rows, columns,
 * summed in float64 and rounded once. Same order as conv2dPlanned, so the same float32.
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

/** How close (in units of x255) to a byte boundary a fast-engine value must be to be recomputed. */
const MARGIN = 4e-3;

/**
 * TensorBoard truncates x255 to a byte, so an activation a few ulps away from k/255 can show as
 * k-1 or k depending on summation order. Fast engines sum in float32 in their own order; this
 * recomputes just those borderline activations the way the reference engine does (a few per
 * thousand at most), so the fast path paints and exports the same bytes as the reference path,
 * which matches PyTorch's grids on the workflow fixtures. Returns how many were recomputed.
 */
export function refineNearByteBoundaries(plan: Conv2dPlan, input: Float32Array, weight: Float32Array, bias: Float32Array | null, out: Float32Array): number {
  const { n, cOut, hOut, wOut } = plan;
  let refined = 0;
  let idx = 0;
  for (let b = 0; b < n; b++) {
    for (let o = 0; o < cOut; o++) {
      for (let i = 0; i < hOut; i++) {
        for (let j = 0; j < wOut; j++, idx++) {
          // In float64 here: it differs from TensorBoard's float32 product by far less than MARGIN.
          const t = out[idx]! * 255;
          if (!(t > 0.5 && t < 255.5)) continue;
          const frac = t - Math.floor(t);
          if (frac > MARGIN && frac < 1 - MARGIN) continue;
          out[idx] = referenceActivation(plan, input, weight, bias, b, o, i, j);
          refined++;
        }
      }
    }
  }
  return refined;
}
