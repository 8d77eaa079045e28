// TensorBoard's add_images, pixel for pixel: core renders, main/pngFile encodes, pngjs decodes, and every
// pixel is compared with the grid PyTorch's own make_grid + summary.image conversion made from the same data.
import { describe, expect, it } from 'vitest';
import { tensorboardByte } from '../core/activationScaling';
import { DEFAULT_DISPLAY, DISPLAY_PRESETS } from '../core/displayPresets';
import { renderInputGrid, renderOutputGrid } from '../core/imageGrids';
import { BYTE_TO_UNIT } from '../core/toTensor';
import { encodePng } from '../main/output/pngFile';
import { caseInput, decodePng, expectedPng, gridCases, pixelDifferences, type GridCase } from './gridFixtures';

const tensorboardCases = gridCases().filter((c) => c.display.grid === 'tensorboard' && c.display.normalization === 'tensorboard');

function render(c: GridCase) {
  const data = caseInput(c);
  const image = c.kind === 'input' ? renderInputGrid(data as Uint8Array, c.shape, c.display) : renderOutputGrid(data as Float32Array, c.shape, c.display);
  return decodePng(encodePng(image));
}

describe('TensorBoard grids against PyTorch', () => {
  it('covers the workflow and the awkward shapes', () => {
    const names = tensorboardCases.map((c) => c.name);
    expect(names).toEqual(expect.arrayContaining(['tb-input-64', 'tb-input-16', 'tb-output-64x6', 'tb-output-16x6', 'tb-output-3x4', 'tb-output-13x1', 'tb-output-5x3']));
    for (const c of tensorboardCases.filter((k) => k.display.columns === 8 && k.display.layout === 'rgb')) expect(c.display).toEqual(DEFAULT_DISPLAY);
  });

  for (const c of tensorboardCases) {
    it(`${c.name} ${c.kind} [${c.shape.join(', ')}] (${c.reference})`, () => {
      const actual = render(c);
      const expected = expectedPng(c);
      expect(pixelDifferences(actual, expected)).toEqual([]);
      expect(actual.colorType).toBe(2);
    });
  }

  it('gives the sizes docs/semantics.md states for the workflow', () => {
    const size = (name: string) => {
      const c = tensorboardCases.find((k) => k.name === name)!;
      const d = render(c);
      return [d.width, d.height];
    };
    expect(size('tb-input-64')).toEqual([256, 256]);
    expect(size('tb-input-16')).toEqual([256, 64]);
    // 64 x 6 channels -> 128 RGB tiles of 30x30 in 8 columns: 240 wide, 480 high; last step 240x120.
    expect(size('tb-output-64x6')).toEqual([240, 480]);
    expect(size('tb-output-16x6')).toEqual([240, 120]);
  });

  it('places tile 2k = sample k channels 0-2 and tile 2k+1 = its channels 3-5', () => {
    const n = 3;
    const out = new Float32Array(n * 6 * 2 * 2);
    for (let s = 0; s < n; s++) for (let ch = 0; ch < 6; ch++) out.fill((s * 6 + ch + 1) / 64, (s * 6 + ch) * 4, (s * 6 + ch + 1) * 4);
    const img = renderOutputGrid(out, [n, 6, 2, 2], DEFAULT_DISPLAY);
    expect([img.width, img.height]).toEqual([12, 2]);
    for (let t = 0; t < 6; t++) {
      const p = t * 2 * 4;
      const s = Math.floor(t / 2);
      const c0 = (t % 2) * 3;
      expect([...img.rgba.subarray(p, p + 4)]).toEqual([0, 1, 2].map((k) => tensorboardByte((s * 6 + c0 + k + 1) / 64)).concat(255));
    }
  });

  it('follows the float path for the input: ToTensor b/255, x255 in float32, truncate', () => {
    // float32(b / 255) * 255 rounds back to exactly b in float32 for every byte (PyTorch agrees: the
    // tb-input-* cases hold all 256 values), so truncation loses nothing and the input card shows the bytes.
    for (let b = 0; b < 256; b++) {
      expect(Math.fround(BYTE_TO_UNIT[b] * 255)).toBe(b);
      expect(tensorboardByte(BYTE_TO_UNIT[b])).toBe(b);
    }
    const bytes = Uint8Array.from({ length: 2 * 3 * 4 * 4 }, (_, i) => (i * 37) % 256);
    const img = renderInputGrid(bytes, [2, 3, 4, 4], DEFAULT_DISPLAY);
    expect([img.width, img.height]).toEqual([8, 4]);
    // Sample 1, pixel (y 2, x 3) sits at canvas (x 4 + 3, y 2); channel k is byte (1*3 + k)*16 + 2*4 + 3.
    const p = (2 * 8 + 7) * 4;
    expect([...img.rgba.subarray(p, p + 4)]).toEqual([0, 1, 2].map((k) => bytes[(3 + k) * 16 + 11]).concat(255));
  });

  it('clips and truncates like current PyTorch: no wrap-around, NaN becomes 0', () => {
    const values = [-1e6, -0.001, 0, 0.0039, 1 / 255, 0.5, 254.9 / 255, 1, 1.0001, 2, 1e6, Infinity, -Infinity, NaN];
    expect(values.map(tensorboardByte)).toEqual([0, 0, 0, 0, 1, 127, 254, 255, 255, 255, 255, 255, 0, 0]);
  });

  it('uses TensorBoard as the default preset', () => {
    expect(Object.keys(DISPLAY_PRESETS)[0]).toBe('tensorboard');
    expect(DISPLAY_PRESETS.tensorboard).toBe(DEFAULT_DISPLAY);
  });

  it('refuses data that does not fill the shape', () => {
    expect(() => renderOutputGrid(new Float32Array(10), [1, 3, 2, 2], DEFAULT_DISPLAY)).toThrow(/10 values do not fill shape \[1, 3, 2, 2\]/);
    expect(() => renderInputGrid(new Uint8Array(0), [0, 3, 2, 2], DEFAULT_DISPLAY)).toThrow(/positive sizes/);
  });
});
