import type { Conv2dPlan } from './conv2dOptions';
import { paddedSourceIndex } from './paddedSourceIndex';

export interface AxisCoverage {
  /** Input length along the axis. */
  readonly length: number;
  /** Indices no output reads, directly or through the padding mode, in increasing order. */
  readonly unread: readonly number[];
  readonly readCount: number;
  readonly unreadCount: number;
}

export interface ConvCoverage {
  readonly rows: AxisCoverage;
  readonly cols: AxisCoverage;
}

function axis(length: number, outLength: number, stride: number, dilation: number, kernel: number, padBefore: number, plan: Conv2dPlan): AxisCoverage {
  const read = new Uint8Array(length);
  for (let o = 0; o < outLength; o++) {
    for (let k = 0; k < kernel; k++) {
      const s = paddedSourceIndex(o * stride + k * dilation - padBefore, length, plan.paddingMode);
      if (s >= 0) read[s] = 1;
    }
  }
  const unread: number[] = [];
  read.forEach((r, i) => { if (!r) unread.push(i); });
  return { length, unread, readCount: length - unread.length, unreadCount: unread.length };
}

/**
 * Which input rows and columns no output of the layer ever reads: a stride that does not fit
 * (28 rows, kernel 5, stride 2, no padding leaves row 27 out) or dilation gaps that skip rows.
 * Rows that only the padding mode reads (reflect, replicate, circular) count as read, because the
 * output depends on them: this is what the gradient of the output with respect to the input says.
 */
export function convCoverage(plan: Conv2dPlan): ConvCoverage {
  return {
    rows: axis(plan.h, plan.hOut, plan.strideH, plan.dilationH, plan.kH, plan.padTop, plan),
    cols: axis(plan.w, plan.wOut, plan.strideW, plan.dilationW, plan.kW, plan.padLeft, plan),
  };
}
