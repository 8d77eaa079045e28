import { interpolateRdBu } from 'd3-scale-chromatic';
import { describe, expect, it } from 'vitest';
import { DEFAULT_LAYER } from '../core/hostContract';
import { KERNEL_GAP_RGB, kernelImage, kernelImageSize, kernelTapAt, type WeightShape } from '../core/kernelImage';
import { presetWeights } from '../core/weightPresets';

// The reference colour straight from d3 (blue < 0 < red, as the output grid's diverging map), not via our table.
const rdbu = (byte: number): number[] => {
  const m = /^rgb\((\d+), (\d+), (\d+)\)$/.exec(interpolateRdBu(1 - byte / 255))!;
  return [Number(m[1]), Number(m[2]), Number(m[3]), 255];
};
const pixel = (img: { width: number; rgba: Uint8Array }, x: number, y: number): number[] => [...img.rgba.subarray((y * img.width + x) * 4, (y * img.width + x) * 4 + 4)];

const SHAPE: WeightShape = [6, 3, 3, 3];
const sobel = presetWeights('sobel-x', DEFAULT_LAYER, 3, 0).weight.data;

describe('kernel image', () => {
  it('lays out [6, 3, 3, 3] as 6 rows by 3 columns of 3x3 tiles with 1-px gaps', () => {
    expect(kernelImageSize(SHAPE)).toEqual([11, 23]);
    const { image } = kernelImage(sobel, SHAPE);
    expect([image.width, image.height]).toEqual([11, 23]);
    expect(pixel(image, 3, 0)).toEqual([...KERNEL_GAP_RGB, 255]);
    expect(pixel(image, 7, 10)).toEqual([...KERNEL_GAP_RGB, 255]);
    expect(pixel(image, 0, 3)).toEqual([...KERNEL_GAP_RGB, 255]);
  });

  it('colours sobel-x taps on a symmetric range ±max|w|: positive red, negative blue, zero the centre colour', () => {
    const { image, range } = kernelImage(sobel, SHAPE);
    expect(range).toBe(2);
    // Output channel 0 filters input channel 0: the tile at column 0, row 0 holds [[-1,0,1],[-2,0,2],[-1,0,1]].
    expect(pixel(image, 2, 1)).toEqual(rdbu(255)); // +2: the red end
    expect(pixel(image, 0, 1)).toEqual(rdbu(0)); // -2: the blue end
    expect(pixel(image, 2, 0)).toEqual(rdbu(191)); // +1: (1 + 2) / 4 * 255 + 0.5, truncated
    expect(pixel(image, 0, 2)).toEqual(rdbu(64)); // -1
    expect(pixel(image, 1, 1)).toEqual(rdbu(128)); // 0: the centre, as save_image rounds 0.5
    const [r, g, b] = pixel(image, 2, 1);
    expect(r).toBeGreaterThan(b!);
    expect(g).toBeLessThan(r!);
    const [rn, , bn] = pixel(image, 0, 1);
    expect(bn).toBeGreaterThan(rn!);
    // Channel 1's tile of output 0 is all zero; output 1 (row 1) filters input channel 1 (column 1).
    expect(pixel(image, 6, 1)).toEqual(rdbu(128));
    expect(pixel(image, 4 + 2, 4 + 1)).toEqual(rdbu(255));
    expect(pixel(image, 4 + 0, 4 + 1)).toEqual(rdbu(0));
  });

  it('an all-zero weight draws every tap in the centre colour with range 0', () => {
    const { image, range } = kernelImage(new Float32Array(162), SHAPE);
    expect(range).toBe(0);
    expect(pixel(image, 0, 0)).toEqual(rdbu(128));
    expect(pixel(image, 10, 22)).toEqual(rdbu(128));
  });

  it('finds the tap under a pixel, null over gaps; groups offset the input channel', () => {
    expect(kernelTapAt(sobel, SHAPE, 1, 2, 1)).toEqual({ out: 0, inGroup: 0, inChannel: 0, u: 1, v: 2, value: 2 });
    expect(kernelTapAt(sobel, SHAPE, 1, 4, 5)).toEqual({ out: 1, inGroup: 1, inChannel: 1, u: 1, v: 0, value: -2 });
    expect(kernelTapAt(sobel, SHAPE, 1, 3, 1)).toBeNull();
    expect(kernelTapAt(sobel, SHAPE, 1, 11, 0)).toBeNull();
    expect(kernelTapAt(sobel, SHAPE, 1, 0, 23)).toBeNull();
    expect(kernelTapAt(sobel, SHAPE, 1, -1, 0)).toBeNull();
    // groups=3, weight [6, 1, 3, 3]: outputs 4 and 5 read input channel 2.
    const grouped = presetWeights('sobel-x', { ...DEFAULT_LAYER, groups: 3 }, 3, 0).weight.data;
    expect(kernelTapAt(grouped, [6, 1, 3, 3], 3, 2, 4 * 4 + 1)).toEqual({ out: 4, inGroup: 0, inChannel: 2, u: 1, v: 2, value: 2 });
  });

  it('refuses a weight whose length does not fit the shape, naming both', () => {
    expect(() => kernelImage(new Float32Array(10), SHAPE)).toThrow('kernel view: weight has 10 values, which does not fit shape [6, 3, 3, 3]');
  });
});
