import type { Conv2dPlan, PaddingMode } from './conv2dOptions';
import { paddedSourceIndex } from './paddedSourceIndex';

/** Where a tap reads: inside the input, or in the padding of the layer's mode. */
export type TapMode = 'inside' | PaddingMode;

export interface ConvTap {
  /** Absolute input channel (always one of the output channel's group). */
  readonly inChannel: number;
  readonly ky: number;
  readonly kx: number;
  /** Position in the unpadded input; outside it for padding taps. */
  readonly iy: number;
  readonly ix: number;
  readonly mode: TapMode;
  /** The real pixel the tap reads (iy/ix when inside), or null for zero padding. */
  readonly sourceY: number | null;
  readonly sourceX: number | null;
  /** The value read: 0 for zero padding. */
  readonly input: number;
  readonly weight: number;
  /** input * weight in float64. */
  readonly product: number;
}

export interface ConvValueTrace {
  /** The engine's value when given, else the float32 rounding of sum. */
  readonly value: number;
  readonly bias: number;
  /** bias + the products, added in float64 in tap order (the reference engine's order). */
  readonly sum: number;
  readonly taps: readonly ConvTap[];
}

/** Names for the four indices in messages, e.g. the CLI's '--y'. */
export interface TraceIndexLabels {
  sample?: string;
  outChannel?: string;
  y?: string;
  x?: string;
}

export class TraceIndexError extends Error {
  override readonly name = 'TraceIndexError';
}

/** Input, weight or bias arrays whose lengths do not match the plan. */
export class TraceDataError extends Error {
  override readonly name = 'TraceDataError';
}

function checkIndex(label: string, value: number, count: number, noun: string): void {
  if (Number.isInteger(value) && value >= 0 && value < count) return;
  const range = count === 0 ? `the output has no ${noun}` : `the output has ${count} ${noun} (0-${count - 1})`;
  throw new TraceIndexError(`${label} ${String(value).slice(0, 24)} is out of range: ${range}`);
}

function checkPosition(plan: Conv2dPlan, y: number, x: number, labels: TraceIndexLabels): void {
  checkIndex(labels.y ?? 'y', y, plan.hOut, 'rows');
  checkIndex(labels.x ?? 'x', x, plan.wOut, 'columns');
}

/**
 * Every multiply behind one output value y[sample, outChannel, y, x]: which input pixel (or padding)
 * each kernel tap reads, its weight and product, and the float64 sum in the reference engine's
 * order (bias, then channels, rows, columns; zero padding adds nothing). Without engineValue the
 * value is exactly what the reference engine computes.
 */
export function traceConv2dValue(
  plan: Conv2dPlan,
  input: Float32Array,
  weight: Float32Array,
  bias: Float32Array | null,
  sample: number,
  outChannel: number,
  y: number,
  x: number,
  engineValue?: number,
  labels: TraceIndexLabels = {},
): ConvValueTrace {
  const { cIn, h, w, kH, kW, groups, paddingMode } = plan;
  const cInPerGroup = cIn / groups;
  const lengths: [string, number, number][] = [
    ['input', input.length, plan.n * cIn * h * w],
    ['weight', weight.length, plan.cOut * cInPerGroup * kH * kW],
    ['bias', bias ? bias.length : 0, plan.hasBias ? plan.cOut : 0],
  ];
  for (const [what, got, want] of lengths) {
    if (got !== want) throw new TraceDataError(`${what} has ${got} values but the layer needs ${want}`);
  }
  checkIndex(labels.sample ?? 'sample', sample, plan.n, 'samples');
  checkIndex(labels.outChannel ?? 'channel', outChannel, plan.cOut, 'channels');
  checkPosition(plan, y, x, labels);

  const firstC = Math.floor(outChannel / (plan.cOut / groups)) * cInPerGroup;
  const b = bias ? bias[outChannel]! : 0;
  let sum = b;
  const taps: ConvTap[] = [];
  for (let c = 0; c < cInPerGroup; c++) {
    const plane = (sample * cIn + firstC + c) * h * w;
    const wBase = (outChannel * cInPerGroup + c) * kH * kW;
    for (let ky = 0; ky < kH; ky++) {
      const iy = y * plan.strideH + ky * plan.dilationH - plan.padTop;
      const sy = paddedSourceIndex(iy, h, paddingMode);
      for (let kx = 0; kx < kW; kx++) {
        const ix = x * plan.strideW + kx * plan.dilationW - plan.padLeft;
        const sx = paddedSourceIndex(ix, w, paddingMode);
        const inside = iy >= 0 && iy < h && ix >= 0 && ix < w;
        const reads = sy >= 0 && sx >= 0;
        const value = reads ? input[plane + sy * w + sx]! : 0;
        const wt = weight[wBase + ky * kW + kx]!;
        const product = value * wt;
        if (reads) sum += product;
        taps.push({
          inChannel: firstC + c, ky, kx, iy, ix,
          mode: inside ? 'inside' : paddingMode,
          sourceY: reads ? sy : null,
          sourceX: reads ? sx : null,
          input: value, weight: wt, product,
        });
      }
    }
  }
  return { value: engineValue ?? Math.fround(sum), bias: b, sum, taps };
}

export interface ReceptiveField {
  /** Input row of each kernel row, in the unpadded input's coordinates (may be outside it), dilation gaps included. */
  readonly rows: readonly number[];
  readonly cols: readonly number[];
  /** The real row/column each of those reads through the padding mode; null for zero padding. */
  readonly sourceRows: readonly (number | null)[];
  readonly sourceCols: readonly (number | null)[];
  /** First and last row/column the kernel spans (inclusive), for drawing its outline. */
  readonly top: number;
  readonly bottom: number;
  readonly left: number;
  readonly right: number;
}

/** The input rows and columns output (y, x) reads, for drawing the kernel's footprint on the input. */
export function receptiveField(plan: Conv2dPlan, y: number, x: number, labels: TraceIndexLabels = {}): ReceptiveField {
  checkPosition(plan, y, x, labels);
  const rows = Array.from({ length: plan.kH }, (_, k) => y * plan.strideH + k * plan.dilationH - plan.padTop);
  const cols = Array.from({ length: plan.kW }, (_, k) => x * plan.strideW + k * plan.dilationW - plan.padLeft);
  const source = (i: number, length: number): number | null => {
    const s = paddedSourceIndex(i, length, plan.paddingMode);
    return s < 0 ? null : s;
  };
  return {
    rows, cols,
    sourceRows: rows.map((r) => source(r, plan.h)),
    sourceCols: cols.map((c) => source(c, plan.w)),
    top: rows[0]!, bottom: rows[rows.length - 1]!, left: cols[0]!, right: cols[cols.length - 1]!,
  };
}
