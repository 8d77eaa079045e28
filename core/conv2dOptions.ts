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

/** A configuration PyTorch would refuse; the message follows PyTorch's wording. */
export class Conv2dError extends Error {
  override readonly name = 'Conv2dError';
}

function pair(v: IntOrPair, what: string): [number, number] {
  const p: [number, number] = typeof v === 'number' ? [v, v] : [v[0], v[1]];
  if (typeof v !== 'number' && (v as readonly number[]).length !== 2) {
    throw new Conv2dError(`expected ${what} to be a single integer value or a list of 2 values to match the convolution dimensions, but got ${what}=[${(v as readonly number[]).join(', ')}]`);
  }
  if (!Number.isInteger(p[0]) || !Number.isInteger(p[1])) {
    throw new Conv2dError(`${what} must be an integer or a pair of integers, got ${typeof v === 'number' ? v : `(${p.join(', ')})`}`);
  }
  return p;
}

/**
 * Validates shapes and options the way F.conv2d / nn.Conv2d do, before any work is done, and
 * resolves them into a plan. Throws Conv2dError with PyTorch's message on anything PyTorch refuses.
 */
export function planConv2d(
  inputShape: readonly number[],
  weightShape: readonly number[],
  biasShape: readonly number[] | null,
  options: Conv2dOptions = {},
): Conv2dPlan {
  const groups = options.groups ?? 1;
  const paddingMode = options.paddingMode ?? 'zeros';
  if (!PADDING_MODES.includes(paddingMode)) {
    throw new Conv2dError(`padding_mode must be one of ${PADDING_MODES.map((m) => `'${m}'`).join(', ')}, but got padding_mode='${paddingMode}'`);
  }
  if (!Number.isInteger(groups) || groups <= 0) throw new Conv2dError('non-positive groups is not supported');
  const [strideH, strideW] = pair(options.stride ?? 1, 'stride');
  const [dilationH, dilationW] = pair(options.dilation ?? 1, 'dilation');
  if (strideH <= 0 || strideW <= 0) throw new Conv2dError('non-positive stride is not supported');
  if (dilationH <= 0 || dilationW <= 0) throw new Conv2dError('dilation should be greater than zero');

  if (inputShape.length !== 3 && inputShape.length !== 4) {
    throw new Conv2dError(`Expected 3D (unbatched) or 4D (batched) input to conv2d, but got input of size: ${shapeText(inputShape)}`);
  }
  if (weightShape.length !== 4) {
    throw new Conv2dError(`Expected ${inputShape.length}-dimensional weight for ${inputShape.length}-dimensional input ${shapeText(inputShape)}, but got ${weightShape.length}-dimensional weight of size ${shapeText(weightShape)} instead`);
  }
  const batched = inputShape.length === 4;
  const shape4 = batched ? inputShape : [1, ...inputShape];
  const [n, cIn, h, w] = shape4 as [number, number, number, number];
  const [cOut, cInPerGroup, kH, kW] = weightShape as [number, number, number, number];
  for (const d of [...inputShape, ...weightShape]) {
    if (!Number.isInteger(d) || d < 0) throw new Conv2dError(`invalid shape ${shapeText(inputShape)} / ${shapeText(weightShape)}`);
  }
  if (cOut % groups !== 0) {
    throw new Conv2dError(`Given groups=${groups}, expected weight to be divisible by ${groups} at dimension 0, but got weight of size ${shapeText(weightShape)} instead`);
  }
  if (cInPerGroup * groups !== cIn) {
    throw new Conv2dError(`Given groups=${groups}, weight of size ${shapeText(weightShape)}, expected input${shapeText(inputShape)} to have ${cInPerGroup * groups} channels, but got ${cIn} channels instead`);
  }
  if (biasShape !== null && (biasShape.length !== 1 || biasShape[0] !== cOut)) {
    throw new Conv2dError(`Given weight of size ${shapeText(weightShape)}, expected bias to be 1-dimensional with ${cOut} elements, but got bias of size ${shapeText(biasShape)} instead`);
  }

  let padTop: number, padBottom: number, padLeft: number, padRight: number;
  const padding = options.padding ?? 0;
  if (padding === 'valid') {
    padTop = padBottom = padLeft = padRight = 0;
  } else if (padding === 'same') {
    if (strideH !== 1 || strideW !== 1) throw new Conv2dError("padding='same' is not supported for strided convolutions");
    const totalH = dilationH * (kH - 1);
    const totalW = dilationW * (kW - 1);
    padTop = Math.floor(totalH / 2);
    padBottom = totalH - padTop;
    padLeft = Math.floor(totalW / 2);
    padRight = totalW - padLeft;
  } else if (typeof padding === 'string') {
    throw new Conv2dError(`Invalid padding string '${padding}', should be one of {'valid', 'same'}`);
  } else {
    const [ph, pw] = pair(padding, 'padding');
    if (ph < 0 || pw < 0) throw new Conv2dError('negative padding is not supported');
    padTop = padBottom = ph;
    padLeft = padRight = pw;
  }

  if (paddingMode === 'reflect') {
    // F.pad checks the last dimension first, as PyTorch's reflection_pad2d does.
    if (padLeft >= w || padRight >= w) {
      throw new Conv2dError(`Padding size should be less than the corresponding input dimension, but got: padding (${padLeft}, ${padRight}) at dimension ${inputShape.length - 1} of input ${shapeText(inputShape)}`);
    }
    if (padTop >= h || padBottom >= h) {
      throw new Conv2dError(`Padding size should be less than the corresponding input dimension, but got: padding (${padTop}, ${padBottom}) at dimension ${inputShape.length - 2} of input ${shapeText(inputShape)}`);
    }
  } else if (paddingMode === 'circular') {
    if (padLeft > w || padRight > w || padTop > h || padBottom > h) {
      throw new Conv2dError('Padding value causes wrapping around more than once.');
    }
  } else if (paddingMode === 'replicate' && (h === 0 || w === 0) && (padTop + padBottom + padLeft + padRight) > 0) {
    throw new Conv2dError(`Expected 3D or 4D (batch mode) tensor with possibly 0 batch size and other non-zero dimensions for input, but got: ${shapeText(inputShape)}`);
  }

  const effKH = dilationH * (kH - 1) + 1;
  const effKW = dilationW * (kW - 1) + 1;
  const paddedH = h + padTop + padBottom;
  const paddedW = w + padLeft + padRight;
  if (paddedH < effKH || paddedW < effKW) {
    throw new Conv2dError(`Calculated padded input size per channel: (${paddedH} x ${paddedW}). Kernel size: (${effKH} x ${effKW}). Kernel size can't be greater than actual input size`);
  }
  const hOut = Math.floor((paddedH - effKH) / strideH) + 1;
  const wOut = Math.floor((paddedW - effKW) / strideW) + 1;
  if (n === 0 || cOut === 0 || hOut <= 0 || wOut <= 0 || cIn === 0 || kH === 0 || kW === 0) {
    throw new Conv2dError(`zero-sized output: input ${shapeText(inputShape)} with weight ${shapeText(weightShape)} gives an empty result`);
  }
  return {
    batched, n, cIn, h, w, cOut, kH, kW, strideH, strideW, dilationH, dilationW,
    padTop, padBottom, padLeft, padRight, groups, paddingMode, hOut, wOut, hasBias: biasShape !== null,
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
