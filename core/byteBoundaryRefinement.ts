import type { Conv2dPlan } from './conv2dOptions';
import { referenceActivation } from './conv2d';

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
