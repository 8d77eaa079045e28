// The layer's weight tensor as a picture: one kH x kW tile per (output channel, input channel of its
// group), rows = output channels, columns = weight's input-channel axis, 1-px gaps between tiles.
import { saveImageByte } from './activationScaling';
import { colorMapTable } from './colorMaps';
import { rgbaImage, type RgbaImage } from './rgbaImage';
import { shapeText } from './tensor';

export type WeightShape = readonly [number, number, number, number];

export const KERNEL_GAP = 1;
/** Grey, so a gap never reads as a weight: the diverging map has no neutral grey. */
export const KERNEL_GAP_RGB: readonly [number, number, number] = [96, 96, 96];

export interface KernelImage {
  image: RgbaImage;
  /** max |w| over the finite weights: the colours span [-range, range], 0 at the centre colour. */
  range: number;
}

export interface KernelTap {
  /** Output channel. */
  out: number;
  /** Index on the weight's input-channel axis (within the output channel's group). */
  inGroup: number;
  /** The input channel this tap reads: inGroup offset by the group's first channel. */
  inChannel: number;
  u: number;
  v: number;
  value: number;
}

export function kernelImageSize(shape: WeightShape): [number, number] {
  const [cOut, cPerGroup, kH, kW] = shape;
  return [cPerGroup * (kW + KERNEL_GAP) - KERNEL_GAP, cOut * (kH + KERNEL_GAP) - KERNEL_GAP];
}

export function weightRange(weight: Float32Array): number {
  let range = 0;
  for (const w of weight) {
    const a = Math.abs(w);
    if (a > range && a !== Infinity) range = a;
  }
  return range;
}

/** Diverging colours (blue < 0 < red) on a range symmetric about 0, bytes as save_image rounds them. */
export function kernelImage(weight: Float32Array, shape: WeightShape): KernelImage {
  checkShape(weight, shape);
  const [cOut, cPerGroup, kH, kW] = shape;
  const [width, height] = kernelImageSize(shape);
  const image = rgbaImage(width, height);
  const rgba = image.rgba;
  for (let i = 0; i < rgba.length; i += 4) rgba.set([...KERNEL_GAP_RGB, 255], i);
  const range = weightRange(weight);
  const table = colorMapTable('diverging');
  for (let o = 0; o < cOut; o++) {
    for (let c = 0; c < cPerGroup; c++) {
      for (let u = 0; u < kH; u++) {
        for (let v = 0; v < kW; v++) {
          const w = weight[((o * cPerGroup + c) * kH + u) * kW + v]!;
          // An all-zero weight has range 0: every tap is the centre colour.
          const byte = range === 0 ? saveImageByte(0.5) : saveImageByte((w + range) / (2 * range));
          const x = c * (kW + KERNEL_GAP) + v;
          const y = o * (kH + KERNEL_GAP) + u;
          const p = (y * width + x) * 4;
          rgba[p] = table[byte * 3]!;
          rgba[p + 1] = table[byte * 3 + 1]!;
          rgba[p + 2] = table[byte * 3 + 2]!;
        }
      }
    }
  }
  return { image, range };
}

/** The tap under image pixel (x, y), or null over a gap or outside. */
export function kernelTapAt(weight: Float32Array, shape: WeightShape, groups: number, x: number, y: number): KernelTap | null {
  const [cOut, cPerGroup, kH, kW] = shape;
  if (!Number.isInteger(x) || !Number.isInteger(y) || x < 0 || y < 0) return null;
  const inGroup = Math.floor(x / (kW + KERNEL_GAP));
  const v = x % (kW + KERNEL_GAP);
  const out = Math.floor(y / (kH + KERNEL_GAP));
  const u = y % (kH + KERNEL_GAP);
  if (inGroup >= cPerGroup || out >= cOut || v >= kW || u >= kH) return null;
  const group = Math.floor(out / (cOut / groups));
  return { out, inGroup, inChannel: group * cPerGroup + inGroup, u, v, value: weight[((out * cPerGroup + inGroup) * kH + u) * kW + v]! };
}

function checkShape(weight: Float32Array, shape: WeightShape): void {
  const count = shape.reduce((a, b) => a * b, 1);
  if (shape.length !== 4 || shape.some((d) => !Number.isInteger(d) || d < 1) || count !== weight.length) {
    throw new Error(`kernel view: weight has ${weight.length} values, which does not fit shape ${shapeText(shape)}`);
  }
}
