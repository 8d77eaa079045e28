import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { planConv2d } from '../core/conv2dOptions';
import { PoolLayerError, applyLayerPipeline, planLayerPipeline, poolOutputSizeFormula, relu } from '../core/layerPipeline';
import { TraceIndexError } from '../core/convTrace';
import { traceLayerValue } from '../core/layerValueTrace';
import { type MaxPool2dOptions, planMaxPool2d } from '../core/maxPool2d';
import { explainJson } from '../main/cli/explainText';

// Written by tools/fixtures/makeMaxPoolFixtures.py (PyTorch 1.13's F.max_pool2d output shapes).
type PoolCase = { id: string; inputShape: number[]; options: MaxPool2dOptions; outputShape: number[] };
const cases = (JSON.parse(readFileSync(resolve(__dirname, 'fixtures/maxpool/cases.json'), 'utf8')) as { cases: PoolCase[] }).cases;

const pair = (v: number | number[] | null | undefined, fallback: number): [number, number] => {
  if (v === null || v === undefined) return [fallback, fallback];
  const list = typeof v === 'number' ? [v] : v;
  return [list[0]!, list[1] ?? list[0]!];
};

describe('pool formulas', () => {
  it.each(cases.filter((c) => !(Array.isArray(c.options.stride) && c.options.stride.length === 0)).map((c) => [c.id, c] as const))(
    '%s: the formula lines end in the size PyTorch gives', (_id, c) => {
      const [kH, kW] = pair(c.options.kernelSize as number | number[], 0);
      const [sH, sW] = c.options.stride === undefined || c.options.stride === null ? [kH, kW] : pair(c.options.stride as number | number[], 0);
      const [pH, pW] = pair(c.options.padding as number | number[] | undefined, 0);
      const [dH, dW] = pair(c.options.dilation as number | number[] | undefined, 1);
      const ceil = c.options.ceilMode === true;
      const [h, w] = c.inputShape.slice(-2) as [number, number];
      const [hOut, wOut] = c.outputShape.slice(-2) as [number, number];
      expect(poolOutputSizeFormula(h, pH, dH, kH, sH, ceil)).toMatch(new RegExp(`= ${hOut}$`));
      expect(poolOutputSizeFormula(w, pW, dW, kW, sW, ceil)).toMatch(new RegExp(`= ${wOut}$`));
    },
  );

  it('says when ceil_mode drops a last region that would start past the input', () => {
    // 5 columns, kernel 2, stride 2, padding 1, ceil_mode: a 4th region would start at column 6, past them.
    expect(poolOutputSizeFormula(5, 1, 1, 2, 2, true)).toBe('ceil((5 + 2*1 - 1*(2-1) - 1) / 2) + 1 = 4, less one: the last pooling region would start past the input = 3');
    expect(planMaxPool2d([1, 5, 5], { kernelSize: 2, stride: 2, padding: 1, ceilMode: true }).wOut).toBe(3);
    expect(cases.some((c) => c.options.ceilMode && JSON.stringify(c.options).includes('padding'))).toBe(true);
    expect(poolOutputSizeFormula(30, 0, 1, 2, 2, false)).toBe('floor((30 + 2*0 - 1*(2-1) - 1) / 2) + 1 = 15');
  });
});

describe('the layer after the conv', () => {
  const conv = planConv2d([2, 3, 8, 8], [4, 3, 3, 3], [4], {});

  it('without ReLU and pool hands on the conv output unchanged', () => {
    const p = planLayerPipeline(conv, {});
    expect(p.outputShape).toEqual([2, 4, 6, 6]);
    const data = Float32Array.from({ length: 2 * 4 * 36 }, (_, i) => i - 100);
    expect(applyLayerPipeline(p, data.slice()).output).toEqual(data);
  });

  it('ReLU as torch.relu: negatives and -0 to 0, NaN kept', () => {
    expect([relu(-1), relu(-0), relu(0.5), relu(NaN), relu(-Infinity)]).toEqual([0, 0, 0.5, NaN, 0]);
    expect(Object.is(relu(-0), 0)).toBe(true);
  });

  it('pools after ReLU, with return_indices into the conv output plane', () => {
    const p = planLayerPipeline(conv, { relu: true, pool: { kernelSize: [2, 2], stride: null, padding: [0, 0], dilation: [1, 1], ceilMode: false } });
    expect(p.outputShape).toEqual([2, 4, 3, 3]);
    const data = new Float32Array(2 * 4 * 36).fill(-5);
    data[7] = 3; // sample 0, channel 0, row 1, column 1
    const { output, indices } = applyLayerPipeline(p, data);
    expect(Array.from(output.subarray(0, 3))).toEqual([3, 0, 0]);
    expect(Array.from(indices!.subarray(0, 3))).toEqual([7, 2, 4]);
  });

  it('refuses what PyTorch refuses, as the pool\'s', () => {
    expect(() => planLayerPipeline(conv, { pool: { kernelSize: [2, 2], stride: [0, 0], padding: [0, 0], dilation: [1, 1], ceilMode: false } }))
      .toThrow(new PoolLayerError('pool: stride should not be zero'));
    expect(() => planLayerPipeline(conv, { pool: { kernelSize: [7, 7], stride: null, padding: [0, 0], dilation: [1, 1], ceilMode: false } }))
      .toThrow(new PoolLayerError('pool: Given input size: (4x6x6). Calculated output size: (4x0x0). Output size is too small'));
  });
});

describe('traceLayerValue', () => {
  // A 1x1 conv that copies its input, so the pooled values are the input's.
  const conv = planConv2d([1, 1, 2, 2], [1, 1, 1, 1], null, {});
  const input = Float32Array.from([1, -2, 3, 4]);
  const weight = Float32Array.from([1]);

  it('names the engine\'s value, the ReLU and the window\'s winner', () => {
    const p = planLayerPipeline(conv, { relu: true, pool: { kernelSize: [2, 2], stride: null, padding: [0, 0], dilation: [1, 1], ceilMode: false } });
    const engine = Float32Array.from([1, -2, 3, 4.5]);
    const t = traceLayerValue(conv, p, input, weight, null, engine, 0, 0, 0, 0);
    expect([t.value, t.convY, t.convX, t.conv?.value, t.conv?.sum, t.relu?.value, t.pool?.index]).toEqual([4.5, 1, 1, 4.5, 4, 4.5, 3]);
    expect(explainJson(t)).toMatchObject({ value: 4.5, sum: 4, relu: { value: 4.5 }, pool: { value: 4.5, index: 3, y: 1, x: 1, winner: 3 } });
  });

  it('a window on padding only has no conv value: -inf and the index past the input, as PyTorch gives', () => {
    // PyTorch 1.13 (maxpool fixture 'window-on-padding-only'): kernel 2, dilation 3, padding 1 on 2x2 gives -inf at index 6.
    const p = planLayerPipeline(conv, { pool: { kernelSize: [2, 2], stride: null, padding: [1, 1], dilation: [3, 3], ceilMode: false } });
    const t = traceLayerValue(conv, p, input, weight, null, input.slice(), 0, 0, 0, 0);
    expect([t.value, t.conv, t.convY, t.pool?.index, t.pool?.winner]).toEqual([-Infinity, null, null, 6, -1]);
    expect(explainJson(t)).toMatchObject({ value: null, bias: null, sum: null, taps: [], pool: { winner: null } });
  });

  it('index errors name the caller\'s labels and the part of the layer indexed', () => {
    const p = planLayerPipeline(conv, { pool: { kernelSize: [2, 2], stride: null, padding: [0, 0], dilation: [1, 1], ceilMode: false } });
    expect(() => traceLayerValue(conv, p, input, weight, null, input.slice(), 0, 0, 1, 0, { y: '--y' }))
      .toThrow(new TraceIndexError('--y 1 is out of range: the pooled output has 1 rows (0-0)'));
  });
});
