import { describe, expect, it } from 'vitest';
import { differenceText, ImageSizeMismatchError, pixelDifference } from '../core/pixelDifference';
import type { RgbaImage } from '../core/rgbaImage';

function image(width: number, height: number, rgba: number[]): RgbaImage {
  return { width, height, rgba: Uint8Array.from(rgba) };
}

describe('pixelDifference', () => {
  const computed = image(2, 1, [120, 60, 0, 255, 10, 20, 30, 255]);

  it('calls equal bytes identical and draws the expected image dimmed', () => {
    const d = pixelDifference(image(2, 1, [...computed.rgba]), computed);
    expect([d.differing, d.maxDifference]).toEqual([0, 0]);
    expect([...d.image.rgba]).toEqual([15, 15, 15, 255, 5, 5, 5, 255]);
    expect(differenceText(d)).toBe('identical (all 2 pixels)');
  });

  it('counts a pixel off by one in any channel, alpha included, and paints it red', () => {
    const d = pixelDifference(image(2, 1, [120, 60, 0, 254, 10, 20, 33, 255]), computed);
    expect([d.differing, d.maxDifference]).toEqual([2, 3]);
    expect([...d.image.rgba]).toEqual([128, 0, 0, 255, 129, 0, 0, 255]);
    expect(differenceText(d)).toBe('2 of 2 pixels differ (by up to 3 of 255)');
  });

  it('refuses images of different sizes, naming both', () => {
    expect(() => pixelDifference(image(1, 2, new Array(8).fill(0)), computed)).toThrow(ImageSizeMismatchError);
    expect(() => pixelDifference(image(1, 2, new Array(8).fill(0)), computed)).toThrow('sizes differ: logged 1×2, ConvBoard 2×1');
  });
});
