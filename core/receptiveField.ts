// Which input pixels an output position of nn.Conv2d reads: the linked highlight between the output
// card and the input card. Taken from the same plan the convolution runs with, so 'same' padding,
// asymmetric pads and dilation agree with what was computed.
import { weightShapeOf } from './conv2dInit';
import { planConv2d } from './conv2dOptions';
import type { LayerConfig } from './hostContract';

export interface ReceptiveField {
  /** Rows and columns of the image under the kernel window, clipped to it: [y0, y1) x [x0, x1). For reflect/replicate/circular padding the padded taps read further pixels of the image too. */
  y0: number;
  y1: number;
  x0: number;
  x1: number;
  /** The kernel window reached into the padding (so part of it reads padded values). */
  clipped: boolean;
  /** Input channels the output channel reads: [c0, c1) of its group. */
  c0: number;
  c1: number;
}

/** The window of output position (y, x) of `outChannel`, for images of `imageShape` [C, H, W]. Throws Conv2dError for a layer PyTorch refuses. */
export function receptiveField(config: LayerConfig, imageShape: readonly [number, number, number], outChannel: number, y: number, x: number): ReceptiveField {
  const [c, h, w] = imageShape;
  const weightShape = weightShapeOf(config, c);
  const plan = planConv2d([1, c, h, w], weightShape, null, {
    stride: config.stride,
    padding: config.padding,
    dilation: config.dilation,
    groups: config.groups,
    paddingMode: config.paddingMode,
  });
  if (!Number.isInteger(y) || !Number.isInteger(x) || y < 0 || x < 0 || y >= plan.hOut || x >= plan.wOut) {
    throw new RangeError(`receptive field: position (${y}, ${x}) is outside the ${plan.hOut}x${plan.wOut} output`);
  }
  const top = y * plan.strideH - plan.padTop;
  const left = x * plan.strideW - plan.padLeft;
  const bottom = top + plan.dilationH * (plan.kH - 1) + 1;
  const right = left + plan.dilationW * (plan.kW - 1) + 1;
  const perGroup = weightShape[1];
  const outPerGroup = config.outChannels / config.groups;
  const group = Math.floor(outChannel / outPerGroup);
  return {
    y0: Math.max(0, top),
    y1: Math.max(0, Math.min(h, bottom)),
    x0: Math.max(0, left),
    x1: Math.max(0, Math.min(w, right)),
    clipped: top < 0 || left < 0 || bottom > h || right > w,
    c0: group * perGroup,
    c1: (group + 1) * perGroup,
  };
}
