import { shapeText } from './tensor';

export type PaddingMode = 'zeros' | 'reflect' | 'replicate' | 'circular';
export const PADDING_MODES: readonly PaddingMode[] = ['zeros', 'reflect', 'replicate', 'circular'];

export type IntOrPair = number | readonly [number, number];

/** The keyword arguments of F.conv2d plus nn.Conv2d's padding_mode, with PyTorch's defaults. */
export interface Conv2dOptions {
  stride?: IntOrPair;
  padding?: IntOrPair | 'same' | 'valid';
  dilation?: IntOrPair;
  groups?: number;
  paddingMode?: PaddingMode;
}

/**
 * Everything a kernel needs, resolved and validated: explicit per-side padding (so 'same' with
 * an even kernel is just asymmetric numbers) and the output size.
 */
export interface Conv2dPlan {
  readonly batched: boolean;
  readonly n: number;
  readonly cIn: number;
  readonly h: number;
  readonly w: number;
  readonly cOut: number;
  readonly kH: number;
  readonly kW: number;
  readonly strideH: number;
  readonly strideW: number;
  readonly dilationH: number;
  readonly dilationW: number;
  readonly padTop: number;
  readonly padBottom: number;
  readonly padLeft: number;
  readonly padRight: number;
  readonly groups: number;
  readonly paddingMode: PaddingMode;
  readonly hOut: number;
  readonly wOut: number;
  readonly hasBias: boolean;
}

/** A configuration PyTorch would refuse; the message is PyTorch 1.13's own (see planConv2d). */
export class Conv2dError extends Error {
  override readonly name = 'Conv2dError';
}

/** A JavaScript value where PyTorch's argument parser would have demanded int or int[2]. */
function checkInts(v: unknown, what: string): void {
  const list = typeof v === 'number' ? [v] : Array.isArray(v) ? v : null;
  if (list === null || list.length === 0 || !list.every((x) => Number.isInteger(x))) {
    throw new Conv2dError(`${what} must be an integer or a pair of integers, got ${JSON.stringify(v)}`);
  }
}

/** PyTorch's expand_param_if_needed: an int (or a 1-list) broadcasts, otherwise the length must match. */
function expand(v: IntOrPair, what: string, dims: number): number[] {
  const list = typeof v === 'number' ? [v, v] : [...v]; // Python's int[2] turns an int into [v, v]
  if (list.length === 1) return Array<number>(dims).fill(list[0]!);
  if (list.length !== dims) {
    throw new Conv2dError(`expected ${what} to be a single integer value or a list of ${dims} values to match the convolution dimensions, but got ${what}=${shapeText(list)}`);
  }
  return list;
}

const asList = (v: IntOrPair): number[] => (typeof v === 'number' ? [v, v] : [...v]);
const oneOrPair = (v: IntOrPair): [number, number] => {
  const l = asList(v);
  return l.length === 1 ? [l[0]!, l[0]!] : [l[0]!, l[1]!];
};

/** Padding per side, as F.pad and the plan count it. */
interface Pads { top: number; bottom: number; left: number; right: number }

/**
 * F.pad(input, pad, mode) for the non-zero modes, as far as its refusals go (aten's pad,
 * reflection_pad2d, replication_pad2d, _pad_circular). Returns the padded shape.
 */
function checkModePad(shape: readonly number[], pads: Pads, mode: Exclude<PaddingMode, 'zeros'>): number[] {
  if (shape.length < 2) throw new Conv2dError('Padding length too large');
  if (shape.length !== 3 && shape.length !== 4) {
    throw new Conv2dError('Only 2D, 3D, 4D, 5D padding with non-constant padding are supported for now');
  }
  const rank = shape.length;
  const h = shape[rank - 2]!;
  const w = shape[rank - 1]!;
  if (mode === 'reflect') {
    // reflection_pad2d wants non-empty H and W, and C too for batched input.
    if (shape.slice(1).some((d) => d === 0)) {
      throw new Conv2dError(`3D or 4D (batch mode) tensor expected for input, but got: [ torch.FloatTensor{${shape.join(',')}} ]`);
    }
    if (!(pads.left < w && pads.right < w)) {
      throw new Conv2dError(`Argument #4: Padding size should be less than the corresponding input dimension, but got: padding (${pads.left}, ${pads.right}) at dimension ${rank - 1} of input ${rank}`);
    }
    if (!(pads.top < h && pads.bottom < h)) {
      throw new Conv2dError(`Argument #6: Padding size should be less than the corresponding input dimension, but got: padding (${pads.top}, ${pads.bottom}) at dimension ${rank - 2} of input ${rank}`);
    }
  } else if (mode === 'replicate') {
    // replication_pad2d allows an empty batch only: an unbatched input's channels must be non-empty too.
    if (shape.slice(rank === 4 ? 1 : 0).some((d) => d === 0)) {
      throw new Conv2dError(`Expected 3D or 4D (batch mode) tensor with possibly 0 batch size and other non-zero dimensions for input, but got: ${shapeText(shape)}`);
    }
  } else if (pads.top > h || pads.bottom > h || pads.left > w || pads.right > w) {
    throw new Conv2dError('Padding value causes wrapping around more than once.');
  }
  const out = [...shape];
  out[rank - 2] = h + pads.top + pads.bottom;
  out[rank - 1] = w + pads.left + pads.right;
  return out;
}

/**
 * A non-positive dilation or an empty kernel passes aten's shape checks; the CPU backend that runs
 * then refuses it in its own words, so the message depends on which one aten's select_conv_backend
 * picks for a float32 input (ConvParams::use_mkldnn in 1.13). Its get_num_threads() > 1 term can
 * only matter for an undilated 1x1 kernel, where neither refusal applies, so it is left out.
 */
function checkBackendLimits(convShape: readonly number[], kH: number, kW: number, stride: readonly number[], dilation: readonly number[], groups: number): void {
  const [n, c, h, w] = convShape as [number, number, number, number];
  const strided = stride.some((s) => s !== 1);
  const dilated = dilation.some((d) => d !== 1);
  const mkldnn = (strided || dilated || n >= 16 || kW !== 1 || kH !== 1)
    && (groups > 1 || (kW > 3 && kH > 3) || n > 1 || n * c * h * w > 20480);
  const dilationOk = dilation.every((d) => d > 0);
  const kernelOk = kH > 0 && kW > 0;
  if (mkldnn) {
    if (!dilationOk) throw new Conv2dError('non-positive dilation is not supported');
    if (!kernelOk) throw new Conv2dError('could not create a descriptor for a dilated convolution forward propagation primitive');
  } else if (dilated) {
    if (!kernelOk) throw new Conv2dError(`kernel size should be greater than zero, but got ${shapeText([kH, kW])}`);
    if (!dilationOk) throw new Conv2dError(`dilation should be greater than zero, but got ${shapeText(dilation)}`);
  } else if (!kernelOk) {
    throw new Conv2dError(`kernel size should be greater than zero, but got kernel_height: ${kH} kernel_width: ${kW}`);
  }
}

/**
 * Validates shapes and options before any work is done and resolves them into a plan. Anything
 * PyTorch 1.13 refuses is refused with PyTorch's message, checked in PyTorch's order, because the
 * layer panel shows it next to the field and users compare it with what their notebook said.
 * "PyTorch" is F.conv2d for paddingMode 'zeros', and nn.Conv2d's forward for the other modes
 * (its constructor's 'same'-with-stride refusal, then F.pad, then F.conv2d with padding 0), so
 * messages name the shape the convolution itself sees: unbatched input shown batched, padded
 * input for the non-zero modes and for asymmetric 'same'.
 *
 * Deliberate differences from PyTorch 1.13, each pinned by test/conv2dErrors.test.ts:
 *  - negative padding is refused in every mode (nn.Conv2d's F.pad would crop instead);
 *  - zero input channels are refused (PyTorch returns a tensor of the wrong shape);
 *  - circular padding of unbatched input works (1.13's F.pad refuses it, a bug fixed since);
 *  - 'same' with an empty kernel or a non-positive dilation makes PyTorch pre-pad by negative
 *    amounts (crop) and fail on the cropped input; ConvBoard names the kernel or the dilation;
 *  - an empty batch with an empty kernel or non-positive dilation is refused (PyTorch returns an
 *    empty result, or fails with an IndexError);
 *  - non-integers, an unknown padding_mode, and (for the non-zero modes) an unknown padding string
 *    get ConvBoard's or F.conv2d's wording: Python's argument parser and nn.Conv2d's messages
 *    quoting a randomly ordered Python set cannot be reproduced.
 */
export function planConv2d(
  inputShape: readonly number[],
  weightShape: readonly number[],
  biasShape: readonly number[] | null,
  options: Conv2dOptions = {},
): Conv2dPlan {
  const groups = options.groups ?? 1;
  const paddingMode = options.paddingMode ?? 'zeros';
  const strideOpt = options.stride ?? 1;
  const dilationOpt = options.dilation ?? 1;
  const padding = options.padding ?? 0;
  if (!PADDING_MODES.includes(paddingMode)) {
    throw new Conv2dError(`padding_mode must be one of ${PADDING_MODES.map((m) => `'${m}'`).join(', ')}, but got padding_mode='${paddingMode}'`);
  }
  if (!Number.isInteger(groups)) throw new Conv2dError(`groups must be an integer, got ${JSON.stringify(groups)}`);
  checkInts(strideOpt, 'stride');
  checkInts(dilationOpt, 'dilation');
  if (typeof padding !== 'string') checkInts(padding, 'padding');
  for (const [shape, what] of [[inputShape, 'input'], [weightShape, 'weight'], [biasShape ?? [], 'bias']] as const) {
    if (!shape.every((d) => Number.isInteger(d) && d >= 0)) throw new Conv2dError(`invalid ${what} shape ${shapeText(shape)}`);
  }

  // The shape F.conv2d's convolution sees, and the padding it applies itself.
  let convShape: number[];
  let convPad: IntOrPair;
  let pads: Pads;
  const dil = oneOrPair(dilationOpt);
  if (paddingMode !== 'zeros') {
    if (padding === 'same' && asList(strideOpt).some((s) => s !== 1)) {
      throw new Conv2dError("padding='same' is not supported for strided convolutions");
    }
    if (padding === 'same') {
      // nn.Conv2d.__init__: left = total // 2 (Python floor division). Its zip() stops at the
      // shorter of dilation and kernel, so a weight of the wrong rank still pads what it can.
      const totalH = weightShape.length > 2 ? dil[0] * (weightShape[2]! - 1) : 0;
      const totalW = weightShape.length > 3 ? dil[1] * (weightShape[3]! - 1) : 0;
      pads = { top: Math.floor(totalH / 2), bottom: totalH - Math.floor(totalH / 2), left: Math.floor(totalW / 2), right: totalW - Math.floor(totalW / 2) };
    } else if (padding === 'valid') {
      pads = { top: 0, bottom: 0, left: 0, right: 0 };
    } else if (typeof padding === 'string') {
      throw new Conv2dError(`Invalid padding string: '${padding}'`);
    } else {
      const [ph, pw] = expand(padding, 'padding', 2) as [number, number];
      pads = { top: ph, bottom: ph, left: pw, right: pw };
      if (ph < 0 || pw < 0) throw new Conv2dError('negative padding is not supported');
    }
    // 'same' pads are negative only for a non-positive dilation or an empty kernel, which the
    // convolution refuses below; F.pad would merely crop, so nothing is refused here.
    if (padding === 'same') pads = { top: Math.max(0, pads.top), bottom: Math.max(0, pads.bottom), left: Math.max(0, pads.left), right: Math.max(0, pads.right) };
    const padded = checkModePad(inputShape, pads, paddingMode);
    convShape = padded.length === 3 ? [1, ...padded] : padded;
    convPad = 0;
  } else {
    if (inputShape.length !== 3 && inputShape.length !== 4) {
      throw new Conv2dError(`Expected 3D (unbatched) or 4D (batched) input to conv2d, but got input of size: ${shapeText(inputShape)}`);
    }
    convShape = inputShape.length === 3 ? [1, ...inputShape] : [...inputShape];
    if (padding === 'same') {
      // aten's convolution_same: its own rank and broadcast checks come before the stride check.
      const k = weightShape.length;
      if (k < 3) throw new Conv2dError('weight should have at least three dimensions');
      if (k !== 4) {
        throw new Conv2dError(`Expected ${k}-dimensional input for ${k}-dimensional weight${shapeText(weightShape)}, but got 4-dimensional input of size ${shapeText(convShape)} instead`);
      }
      for (const [v, what] of [[strideOpt, 'stride'], [dilationOpt, 'dilation']] as const) {
        const n = asList(v).length;
        if (n !== 1 && n !== 2) throw new Conv2dError(`${what} cannot broadcast to 2 dimensions`);
      }
      if (asList(strideOpt).some((s) => s !== 1)) throw new Conv2dError("padding='same' is not supported for strided convolutions");
      if (weightShape[2] === 0 || weightShape[3] === 0) {
        // PyTorch would pre-pad by a negative amount (crop) and fail on the cropped input; say why instead.
        throw new Conv2dError(`kernel size should be greater than zero, but got kernel_height: ${weightShape[2]} kernel_width: ${weightShape[3]}`);
      }
      // C++ division truncates; an odd total pads the input's end by one first, then pads symmetrically.
      const totalH = dil[0] * (weightShape[2]! - 1);
      const totalW = dil[1] * (weightShape[3]! - 1);
      const top = Math.trunc(totalH / 2);
      const left = Math.trunc(totalW / 2);
      pads = { top, bottom: totalH - top, left, right: totalW - left };
      const extra = [pads.bottom - top, pads.right - left] as const;
      if ((extra[0] !== 0 || extra[1] !== 0) && totalH >= 0 && totalW >= 0) {
        // constant_pad_nd's own check on the pre-padded size (an empty input stays empty).
        for (const i of [0, 1]) {
          const size = convShape[2 + i]!;
          if (size + extra[i]! <= 0) {
            throw new Conv2dError(`The input size ${size}, plus negative padding 0 and ${extra[i]} resulted in a negative output size, which is invalid. Check dimension ${2 + i} of your input.`);
          }
        }
      }
      convShape[2]! += extra[0];
      convShape[3]! += extra[1];
      // aten moves the asymmetric part into the pre-padding, leaving the smaller side to the convolution.
      convPad = [Math.min(top, pads.bottom), Math.min(left, pads.right)];
    } else if (padding === 'valid') {
      pads = { top: 0, bottom: 0, left: 0, right: 0 };
      convPad = 0;
    } else if (typeof padding === 'string') {
      throw new Conv2dError(`Invalid padding string: '${padding}'`);
    } else {
      convPad = padding;
      pads = { top: 0, bottom: 0, left: 0, right: 0 }; // filled in once the padding has been validated
    }
  }

  // at::_convolution and check_shape_forward, in their order.
  const k = weightShape.length;
  if (k < 3) throw new Conv2dError('weight should have at least three dimensions');
  if (groups <= 0) throw new Conv2dError('non-positive groups is not supported');
  const [strideH, strideW] = expand(strideOpt, 'stride', k - 2) as [number, number];
  const [padH, padW] = expand(convPad, 'padding', k - 2) as [number, number];
  const [dilationH, dilationW] = expand(dilationOpt, 'dilation', k - 2) as [number, number];
  if (padH < 0 || padW < 0 || pads.top < 0 || pads.bottom < 0 || pads.left < 0 || pads.right < 0) {
    throw new Conv2dError('negative padding is not supported');
  }
  if (strideH <= 0 || strideW <= 0) throw new Conv2dError('non-positive stride is not supported');
  const [cOut, cInPerGroup, kH, kW] = weightShape as [number, number, number, number];
  if (cOut < groups) {
    throw new Conv2dError(`Given groups=${groups}, expected weight to be at least ${groups} at dimension 0, but got weight of size ${shapeText(weightShape)} instead`);
  }
  if (cOut % groups !== 0) {
    // The doubled brackets are PyTorch's own.
    throw new Conv2dError(`Given groups=${groups}, expected weight to be divisible by ${groups} at dimension 0, but got weight of size [${shapeText(weightShape)}] instead`);
  }
  if (convShape[1] !== cInPerGroup * groups) {
    throw new Conv2dError(`Given groups=${groups}, weight of size ${shapeText(weightShape)}, expected input${shapeText(convShape)} to have ${cInPerGroup * groups} channels, but got ${convShape[1]} channels instead`);
  }
  if (biasShape !== null && (biasShape.length !== 1 || biasShape[0] !== cOut)) {
    throw new Conv2dError(`Given weight of size ${shapeText(weightShape)}, expected bias to be 1-dimensional with ${cOut} elements, but got bias of size ${shapeText(biasShape)} instead`);
  }
  const effKH = dilationH * (kH - 1) + 1;
  const effKW = dilationW * (kW - 1) + 1;
  const convPaddedH = convShape[2]! + 2 * padH;
  const convPaddedW = convShape[3]! + 2 * padW;
  if (convPaddedH < effKH || convPaddedW < effKW) {
    throw new Conv2dError(`Calculated padded input size per channel: (${convPaddedH} x ${convPaddedW}). Kernel size: (${effKH} x ${effKW}). Kernel size can't be greater than actual input size`);
  }
  const [n, cIn, h, w] = (inputShape.length === 3 ? [1, ...inputShape] : inputShape) as [number, number, number, number];
  if (cIn === 0) {
    throw new Conv2dError(`input${shapeText(inputShape)} has no channels: ConvBoard refuses zero-channel convolutions (PyTorch 1.13 returns a wrongly shaped result)`);
  }
  if (convShape[0] !== 0 && convShape.some((d) => d === 0)) {
    throw new Conv2dError(`Only zero batch or zero channel inputs are supported, but got input shape: ${shapeText(convShape)}`);
  }
  checkBackendLimits(convShape, kH, kW, [strideH, strideW], [dilationH, dilationW], groups);

  if (paddingMode === 'zeros' && typeof padding !== 'string') pads = { top: padH, bottom: padH, left: padW, right: padW };
  const hOut = Math.floor((h + pads.top + pads.bottom - effKH) / strideH) + 1;
  const wOut = Math.floor((w + pads.left + pads.right - effKW) / strideW) + 1;
  return {
    batched: inputShape.length === 4, n, cIn, h, w, cOut, kH, kW, strideH, strideW, dilationH, dilationW,
    padTop: pads.top, padBottom: pads.bottom, padLeft: pads.left, padRight: pads.right,
    groups, paddingMode, hOut, wOut, hasBias: biasShape !== null,
  };
}

/** Output shape of the convolution, in the input's rank (unbatched in, unbatched out). */
export function conv2dOutputShape(plan: Conv2dPlan): number[] {
  return plan.batched ? [plan.n, plan.cOut, plan.hOut, plan.wOut] : [plan.cOut, plan.hOut, plan.wOut];
}

/** The formula behind one output dimension, as the layer panel shows it. */
export function outputSizeFormula(length: number, padBefore: number, padAfter: number, dilation: number, kernel: number, stride: number): string {
  const out = Math.floor((length + padBefore + padAfter - dilation * (kernel - 1) - 1) / stride) + 1;
  return `floor((${length} + ${padBefore} + ${padAfter} - ${dilation}*(${kernel}-1) - 1) / ${stride}) + 1 = ${out}`;
}
