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

/** A receptive field with every tap: what the input card draws for the traced value. */
export interface FieldTaps extends ReceptiveField {
  /** The whole window, padding included, unclipped: rows [top, bottom), columns [left, right) of the unpadded image's coordinates. */
  top: number;
  bottom: number;
  left: number;
  right: number;
  /** One cell per kernel position (dilation gaps are the cells between them); outside the image for padding taps. */
  taps: { iy: number; ix: number; inside: boolean }[];
  /** The padding on each side; 'same' with an even reach pads one side more. */
  pad: { top: number; bottom: number; left: number; right: number };
  /** The next window along the row (x + 1), which shows the stride; null at the last column. */
  next: { top: number; left: number; bottom: number; right: number } | null;
}

function planOf(config: LayerConfig, imageShape: readonly [number, number, number]) {
  const [c, h, w] = imageShape;
  const weightShape = weightShapeOf(config, c);
  const plan = planConv2d([1, c, h, w], weightShape, null, {
    stride: config.stride,
    padding: config.padding,
    dilation: config.dilation,
    groups: config.groups,
    paddingMode: config.paddingMode,
  });
  return { plan, weightShape };
}

/** The window of output position (y, x) of `outChannel`, for images of `imageShape` [C, H, W]. Throws Conv2dError for a layer PyTorch refuses. */
export function receptiveField(config: LayerConfig, imageShape: readonly [number, number, number], outChannel: number, y: number, x: number): ReceptiveField {
  const f = receptiveFieldTaps(config, imageShape, outChannel, y, x);
  return { y0: f.y0, y1: f.y1, x0: f.x0, x1: f.x1, clipped: f.clipped, c0: f.c0, c1: f.c1 };
}

/** receptiveField with each tap, the padding and the next window. */
export function receptiveFieldTaps(config: LayerConfig, imageShape: readonly [number, number, number], outChannel: number, y: number, x: number): FieldTaps {
  const [, h, w] = imageShape;
  const { plan, weightShape } = planOf(config, imageShape);
  if (!Number.isInteger(y) || !Number.isInteger(x) || y < 0 || x < 0 || y >= plan.hOut || x >= plan.wOut) {
    throw new RangeError(`receptive field: position (${y}, ${x}) is outside the ${plan.hOut}x${plan.wOut} output`);
  }
  const windowAt = (wy: number, wx: number) => {
    const top = wy * plan.strideH - plan.padTop;
    const left = wx * plan.strideW - plan.padLeft;
    return { top, left, bottom: top + plan.dilationH * (plan.kH - 1) + 1, right: left + plan.dilationW * (plan.kW - 1) + 1 };
  };
  const { top, left, bottom, right } = windowAt(y, x);
  const taps: FieldTaps['taps'] = [];
  for (let ky = 0; ky < plan.kH; ky++) {
    const iy = top + ky * plan.dilationH;
    for (let kx = 0; kx < plan.kW; kx++) {
      const ix = left + kx * plan.dilationW;
      taps.push({ iy, ix, inside: iy >= 0 && iy < h && ix >= 0 && ix < w });
    }
  }
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
    top, bottom, left, right, taps,
    pad: { top: plan.padTop, bottom: plan.padBottom, left: plan.padLeft, right: plan.padRight },
    next: x + 1 < plan.wOut ? windowAt(y, x + 1) : null,
  };
}
