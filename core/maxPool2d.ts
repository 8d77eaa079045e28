import type { IntOrPair } from './conv2dOptions';
import { type Tensor, shapeText, tensor } from './tensor';

/** nn.MaxPool2d's arguments (F.max_pool2d's), with PyTorch's defaults when absent. */
export interface MaxPool2dOptions {
  kernelSize: IntOrPair;
  /** Absent or null: the kernel size, as PyTorch's stride=None means. */
  stride?: IntOrPair | null;
  padding?: IntOrPair;
  dilation?: IntOrPair;
  ceilMode?: boolean;
}

export interface MaxPool2dPlan {
  readonly batched: boolean;
  readonly n: number;
  readonly c: number;
  readonly h: number;
  readonly w: number;
  readonly kH: number;
  readonly kW: number;
  readonly strideH: number;
  readonly strideW: number;
  readonly padH: number;
  readonly padW: number;
  readonly dilationH: number;
  readonly dilationW: number;
  readonly ceilMode: boolean;
  readonly hOut: number;
  readonly wOut: number;
}

/** A configuration PyTorch 1.13 refuses, with its message; or a JavaScript value no Python call could pass. */
export class MaxPool2dError extends Error {
  override readonly name = 'MaxPool2dError';
}

const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;

/** max_pool2d_with_indices' argument unpacking: one or two ints (stride may also be empty). */
function unpack(v: unknown, what: string, lengthMessage: string, allowEmpty: boolean): number[] {
  const list = typeof v === 'number' ? [v] : Array.isArray(v) ? (v as unknown[]) : null;
  if (list === null || !list.every((x) => typeof x === 'number' && Number.isInteger(x))) {
    throw new MaxPool2dError(`${what} must be an integer or a pair of integers, got ${JSON.stringify(v)?.slice(0, 60)}`);
  }
  const ints = list as number[];
  if (!(ints.length === 1 || ints.length === 2 || (allowEmpty && ints.length === 0))) throw new MaxPool2dError(lengthMessage);
  // aten's safe_downcast<int, int64_t>.
  if (ints.some((x) => x < INT32_MIN || x > INT32_MAX)) throw new MaxPool2dError('integer out of range');
  return ints;
}

/**
 * pooling_output_shape: C++ integer division (floor for div_rtn, truncation for the pad check).
 * With ceil_mode the last window must start inside the input or its left padding, else it is dropped.
 */
function outputSize(size: number, k: number, pad: number, stride: number, dilation: number, ceilMode: boolean): number {
  if (stride === 0) throw new MaxPool2dError('stride should not be zero');
  if (pad < 0) throw new MaxPool2dError(`pad must be non-negative, but got pad: ${pad}`);
  if (pad > Math.trunc(k / 2)) throw new MaxPool2dError(`pad should be at most half of kernel size, but got pad=${pad} and kernel_size=${k}`);
  let out = Math.floor((size + 2 * pad - dilation * (k - 1) - 1 + (ceilMode ? stride - 1 : 0)) / stride) + 1;
  if (ceilMode && (out - 1) * stride >= size + pad) out--;
  return out;
}

/**
 * Validates like PyTorch 1.13's max_pool2d_with_indices (its meta function, pooling_output_shape
 * and pool2d_shape_check, in their order and words) and resolves the options. The output is never
 * larger than the input plus one row and column, so nothing here can ask for a huge allocation.
 */
export function planMaxPool2d(inputShape: readonly number[], options: MaxPool2dOptions): MaxPool2dPlan {
  if (!inputShape.every((d) => Number.isInteger(d) && d >= 0)) throw new MaxPool2dError(`invalid input shape ${shapeText(inputShape)}`);
  const kernel = unpack(options.kernelSize, 'kernel_size', 'max_pool2d: kernel_size must either be a single int, or a tuple of two ints', false);
  const kH = kernel[0]!;
  const kW = kernel[1] ?? kH;
  const stride = unpack(options.stride ?? [], 'stride', 'max_pool2d: stride must either be omitted, a single int, or a tuple of two ints', true);
  const strideH = stride.length === 0 ? kH : stride[0]!;
  const strideW = stride.length === 0 ? kW : stride[1] ?? strideH;
  // "must be either be" is PyTorch's own typo.
  const padding = unpack(options.padding ?? 0, 'padding', 'max_pool2d: padding must be either be a single int, or a tuple of two ints', false);
  const padH = padding[0]!;
  const padW = padding[1] ?? padH;
  const dilation = unpack(options.dilation ?? 1, 'dilation', 'max_pool2d: dilation must be either a single int, or a tuple of two ints', false);
  const dilationH = dilation[0]!;
  const dilationW = dilation[1] ?? dilationH;
  const ceilMode = options.ceilMode ?? false;
  if (typeof ceilMode !== 'boolean') throw new MaxPool2dError(`ceil_mode must be true or false, got ${JSON.stringify(ceilMode)}`);

  const rank = inputShape.length;
  if (rank !== 3 && rank !== 4) throw new MaxPool2dError('non-empty 3D or 4D (batch mode) tensor expected for input');
  const [n, c, h, w] = (rank === 3 ? [1, ...inputShape] : inputShape) as [number, number, number, number];
  const hOut = outputSize(h, kH, padH, strideH, dilationH, ceilMode);
  const wOut = outputSize(w, kW, padW, strideW, dilationW, ceilMode);

  if (!(kW > 0 && kH > 0)) throw new MaxPool2dError(`kernel size should be greater than zero, but got kH: ${kH} kW: ${kW}`);
  if (!(strideW > 0 && strideH > 0)) throw new MaxPool2dError(`stride should be greater than zero, but got dH: ${strideH} dW: ${strideW}`);
  if (!(dilationH > 0 && dilationW > 0)) {
    throw new MaxPool2dError(`dilation should be greater than zero, but got dilationH: ${dilationH} dilationW: ${dilationW}`);
  }
  const validDims = inputShape[1] !== 0 && inputShape[2] !== 0;
  if (!((rank === 3 && inputShape[0] !== 0 && validDims) || (rank === 4 && validDims && inputShape[3] !== 0))) {
    throw new MaxPool2dError(`Expected 3D or 4D (batch mode) tensor with optional 0 dim batch size for input, but got:${shapeText(inputShape)}`);
  }
  if (hOut < 1 || wOut < 1) {
    throw new MaxPool2dError(`Given input size: (${c}x${h}x${w}). Calculated output size: (${c}x${hOut}x${wOut}). Output size is too small`);
  }
  return { batched: rank === 4, n, c, h, w, kH, kW, strideH, strideW, padH, padW, dilationH, dilationW, ceilMode, hOut, wOut };
}

export function maxPool2dOutputShape(plan: MaxPool2dPlan): number[] {
  return plan.batched ? [plan.n, plan.c, plan.hOut, plan.wOut] : [plan.c, plan.hOut, plan.wOut];
}

/** The in-input part of one window along an axis: first position, end (exclusive), step. */
function windowRange(o: number, stride: number, pad: number, k: number, dilation: number, size: number): [number, number] {
  let start = o * stride - pad;
  const end = Math.min(start + (k - 1) * dilation + 1, size);
  while (start < 0) start += dilation;
  return [start, end];
}

/**
 * One window, as aten's CPU kernel scans it: row by row, a strictly greater value or any NaN takes
 * over, so ties keep the first maximum and a NaN-holding window reports its last NaN. The index
 * starts at the window's first in-input position even when the loop finds nothing there: a window
 * that only covers padding (possible with dilation) reports -inf and an index past the input, as
 * PyTorch does.
 */
function poolWindow(plan: MaxPool2dPlan, plane: Float32Array | ArrayLike<number>, base: number, oy: number, ox: number): [number, number] {
  const [y0, y1] = windowRange(oy, plan.strideH, plan.padH, plan.kH, plan.dilationH, plan.h);
  const [x0, x1] = windowRange(ox, plan.strideW, plan.padW, plan.kW, plan.dilationW, plan.w);
  let maxIndex = y0 * plan.w + x0;
  let maxValue = -Infinity;
  for (let iy = y0; iy < y1; iy += plan.dilationH) {
    for (let ix = x0; ix < x1; ix += plan.dilationW) {
      const index = iy * plan.w + ix;
      const v = plane[base + index]!;
      if (v > maxValue || Number.isNaN(v)) {
        maxValue = v;
        maxIndex = index;
      }
    }
  }
  return [maxValue, maxIndex];
}

/** Fills output and indices (each n*c*hOut*wOut long) from input (n*c*h*w, NCHW). */
export function maxPool2dPlanned(plan: MaxPool2dPlan, input: Float32Array, output: Float32Array, indices: Int32Array): void {
  let k = 0;
  for (let p = 0; p < plan.n * plan.c; p++) {
    const base = p * plan.h * plan.w;
    for (let oy = 0; oy < plan.hOut; oy++) {
      for (let ox = 0; ox < plan.wOut; ox++) {
        const [v, i] = poolWindow(plan, input, base, oy, ox);
        output[k] = v;
        indices[k++] = i;
      }
    }
  }
}

/**
 * F.max_pool2d(input, ..., return_indices=True): the output and, per output element, the flat
 * position h*W + w of the chosen element within its own (sample, channel) plane.
 */
export function maxPool2d(input: Tensor, options: MaxPool2dOptions): { output: Tensor; indices: Int32Array } {
  const plan = planMaxPool2d(input.shape, options);
  if (input.data.length !== plan.n * plan.c * plan.h * plan.w) {
    throw new MaxPool2dError(`input has ${input.data.length} values but its shape ${shapeText(input.shape)} needs ${plan.n * plan.c * plan.h * plan.w}`);
  }
  const output = tensor(maxPool2dOutputShape(plan));
  const indices = new Int32Array(output.data.length);
  maxPool2dPlanned(plan, input.data, output.data, indices);
  return { output, indices };
}

/** Where a window position lies: in the input, in the implicit -inf padding, or past it (ceil_mode's overhang). */
export type PoolElementKind = 'inside' | 'padding' | 'beyond';

export interface PoolWindowElement {
  readonly ky: number;
  readonly kx: number;
  /** Position in the unpadded input; may lie outside it. */
  readonly iy: number;
  readonly ix: number;
  readonly kind: PoolElementKind;
  /** The input value, or -Infinity outside the input (PyTorch skips those positions, so they never win). */
  readonly value: number;
}

export interface PooledValueTrace {
  readonly value: number;
  /** The flat h*W + w index PyTorch reports (return_indices=True). */
  readonly index: number;
  /** The element PyTorch picked, or -1 when the window covers padding only (its index then lies past the input). */
  readonly winner: number;
  readonly elements: readonly PoolWindowElement[];
}

export class PoolTraceIndexError extends Error {
  override readonly name = 'PoolTraceIndexError';
}

/** Names for the four indices in messages, e.g. the CLI's '--y'. */
export interface PoolTraceLabels {
  sample?: string;
  channel?: string;
  y?: string;
  x?: string;
}

/** One output element of max pooling, explained: every window position, its value and which one won. */
export function tracePooledValue(
  plan: MaxPool2dPlan, input: Float32Array, sample: number, channel: number, y: number, x: number, labels: PoolTraceLabels = {},
): PooledValueTrace {
  const checks = [
    [labels.sample ?? 'sample', sample, plan.n, 'samples'],
    [labels.channel ?? 'channel', channel, plan.c, 'channels'],
    [labels.y ?? 'y', y, plan.hOut, 'rows'],
    [labels.x ?? 'x', x, plan.wOut, 'columns'],
  ] as const;
  for (const [name, v, count, noun] of checks) {
    if (!Number.isInteger(v) || v < 0 || v >= count) {
      const range = count === 0 ? `the pooled output has no ${noun}` : `the pooled output has ${count} ${noun} (0-${count - 1})`;
      throw new PoolTraceIndexError(`${name} ${String(v).slice(0, 24)} is out of range: ${range}`);
    }
  }
  if (input.length !== plan.n * plan.c * plan.h * plan.w) {
    throw new PoolTraceIndexError(`input has ${input.length} values but the plan needs ${plan.n * plan.c * plan.h * plan.w}`);
  }
  const base = (sample * plan.c + channel) * plan.h * plan.w;
  const [value, index] = poolWindow(plan, input, base, y, x);
  const elements: PoolWindowElement[] = [];
  let winner = -1;
  for (let ky = 0; ky < plan.kH; ky++) {
    const iy = y * plan.strideH - plan.padH + ky * plan.dilationH;
    for (let kx = 0; kx < plan.kW; kx++) {
      const ix = x * plan.strideW - plan.padW + kx * plan.dilationW;
      const inside = iy >= 0 && iy < plan.h && ix >= 0 && ix < plan.w;
      const beyond = iy >= plan.h + plan.padH || ix >= plan.w + plan.padW;
      if (inside && iy * plan.w + ix === index) winner = elements.length;
      elements.push({ ky, kx, iy, ix, kind: inside ? 'inside' : beyond ? 'beyond' : 'padding', value: inside ? input[base + iy * plan.w + ix]! : -Infinity });
    }
  }
  return { value, index, winner, elements };
}
