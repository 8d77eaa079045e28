import { describe, expect, it } from 'vitest';
import { conv2d } from '../core/conv2d';
import { DEFAULT_LAYER } from '../core/hostContract';
import { PRESET_NAMES, presetWeights } from '../core/weightPresets';
import { tensor } from '../core/tensor';

// A 3-channel 5x5 image whose channels differ, so channel routing mistakes show.
const img = tensor([1, 3, 5, 5], Float32Array.from({ length: 75 }, (_, i) => ((i * 37) % 11) / 10));
const at = (t: { shape: readonly number[]; data: Float32Array }, c: number, y: number, x: number) =>
  t.data[(c * t.shape[2]! + y) * t.shape[3]! + x]!;

describe('weight presets', () => {
  it('lists the presets a user expects', () => {
    for (const name of ['identity', 'box-blur', 'gaussian-blur', 'sobel-x', 'sobel-y', 'laplacian', 'sharpen', 'pass-red', 'pass-green', 'pass-blue']) {
      expect(PRESET_NAMES).toContain(name);
    }
  });

  it('identity with padding same gives back each colour channel (channels 3-5 repeat 0-2)', () => {
    const w = presetWeights('identity', DEFAULT_LAYER, 3, 0);
    const y = conv2d(img, w.weight, w.bias, { padding: 'same' });
    for (let o = 0; o < 6; o++) for (let p = 0; p < 25; p++) expect(y.data[o * 25 + p]).toBe(img.data[(o % 3) * 25 + p]);
  });

  it('sobel-x responds to a vertical edge and not to a horizontal one', () => {
    const vertical = tensor([1, 3, 5, 5], Float32Array.from({ length: 75 }, (_, i) => (i % 5 >= 2 ? 1 : 0)));
    const horizontal = tensor([1, 3, 5, 5], Float32Array.from({ length: 75 }, (_, i) => ((i % 25) >= 10 ? 1 : 0)));
    const w = presetWeights('sobel-x', DEFAULT_LAYER, 3, 0);
    expect(at(conv2d(vertical, w.weight, w.bias), 0, 1, 0)).toBe(4);
    expect(at(conv2d(horizontal, w.weight, w.bias), 0, 1, 1)).toBe(0);
    const wy = presetWeights('sobel-y', DEFAULT_LAYER, 3, 0);
    expect(at(conv2d(horizontal, wy.weight, wy.bias), 2, 0, 1)).toBe(4);
  });

  it('blurs preserve a constant image and the laplacian sends it to zero', () => {
    const flat = tensor([1, 3, 6, 6], new Float32Array(108).fill(0.5));
    for (const name of ['box-blur', 'gaussian-blur']) {
      for (const k of [[3, 3], [4, 2], [5, 5]] as [number, number][]) {
        const w = presetWeights(name, { ...DEFAULT_LAYER, kernelSize: k }, 3, 0);
        for (const v of conv2d(flat, w.weight, w.bias).data) expect(v).toBeCloseTo(0.5, 6);
      }
    }
    const l = presetWeights('laplacian', { ...DEFAULT_LAYER, kernelSize: [5, 5] }, 3, 0);
    for (const v of conv2d(flat, l.weight, l.bias).data) expect(v).toBe(0);
  });

  it('pass-red keeps only the red channel, also with depthwise groups', () => {
    const w = presetWeights('pass-red', { ...DEFAULT_LAYER, groups: 3 }, 3, 0);
    expect(w.weight.shape).toEqual([6, 1, 3, 3]);
    const y = conv2d(img, w.weight, w.bias, { padding: 1, groups: 3 });
    // groups=3 with 6 outputs: channels 0,1 see red, 2,3 green, 4,5 blue.
    expect(at(y, 0, 2, 2)).toBe(at(img, 0, 2, 2));
    expect(at(y, 1, 2, 2)).toBe(at(img, 0, 2, 2));
    for (const o of [2, 3, 4, 5]) expect(at(y, o, 2, 2)).toBe(0);
  });

  it('refuses what it cannot build, naming the preset and the problem', () => {
    expect(() => presetWeights('emboss', DEFAULT_LAYER, 3, 0)).toThrow(/unknown preset 'emboss'/);
    expect(() => presetWeights('sobel-x', { ...DEFAULT_LAYER, kernelSize: [2, 2] }, 3, 0)).toThrow(/odd kernel size, got 2x2/);
    expect(() => presetWeights('sobel-x', { ...DEFAULT_LAYER, kernelSize: [1, 1] }, 3, 0)).toThrow(/at least 3x3/);
    expect(() => presetWeights('identity', DEFAULT_LAYER, 4, 0)).toThrow(/3 input channels/);
    expect(() => presetWeights('identity', { ...DEFAULT_LAYER, groups: 2, outChannels: 6 }, 3, 0)).toThrow(/groups 1 or 3/);
  });
});
