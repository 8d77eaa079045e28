import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { referenceActivation } from '../core/conv2d';
import { type Conv2dOptions, planConv2d } from '../core/conv2dOptions';
import { TraceDataError, TraceIndexError, receptiveField, traceConv2dValue } from '../core/convTrace';

// Written by tools/fixtures/makeExplainFixtures.py (PyTorch 1.13; F.pad gives the padded taps).
interface Pixel { sample: number; outChannel: number; y: number; x: number; torch32: number; torch64: number; padded: number[] }
interface Layer {
  id: string; tags: string[]; inputShape: number[]; weightShape: number[]; options: Conv2dOptions;
  input: number[]; weight: number[]; bias: number[] | null; outputShape: number[]; pixels: Pixel[];
}
const layers = (JSON.parse(readFileSync(resolve(__dirname, 'fixtures/explain/trace.json'), 'utf8')) as { layers: Layer[] }).layers;

describe('traceConv2dValue against PyTorch', () => {
  it('covers every padding mode, even kernels with same, stride, dilation, groups, depthwise and unbatched input', () => {
    expect(layers.length).toBeGreaterThanOrEqual(40);
    const count = (tag: string): number => layers.filter((l) => l.tags.includes(tag)).length;
    for (const tag of ['mode:zeros', 'mode:reflect', 'mode:replicate', 'mode:circular', 'sameEven', 'stride', 'dilation', 'groups', 'depthwise', 'unbatched']) {
      expect(count(tag), tag).toBeGreaterThanOrEqual(3);
    }
  });

  it.each(layers.map((l) => [l.id, l] as const))('%s: taps read what F.pad holds, with the layer\'s weights, and sum to PyTorch\'s output', (_id, l) => {
    const plan = planConv2d(l.inputShape, l.weightShape, l.bias ? [l.bias.length] : null, l.options);
    expect(plan.batched ? [plan.n, plan.cOut, plan.hOut, plan.wOut] : [plan.cOut, plan.hOut, plan.wOut]).toEqual(l.outputShape);
    const input = Float32Array.from(l.input);
    const weight = Float32Array.from(l.weight);
    const bias = l.bias ? Float32Array.from(l.bias) : null;
    const [, cInPerGroup, kH, kW] = l.weightShape as [number, number, number, number];
    for (const p of l.pixels) {
      const t = traceConv2dValue(plan, input, weight, bias, p.sample, p.outChannel, p.y, p.x);
      expect(t.taps.length).toBe(cInPerGroup * kH * kW);
      expect(t.taps.map((tap) => tap.input)).toEqual(p.padded);
      const group = Math.floor(p.outChannel / (plan.cOut / plan.groups));
      t.taps.forEach((tap, i) => {
        const c = Math.floor(i / (kH * kW));
        expect([tap.inChannel, tap.ky, tap.kx]).toEqual([group * cInPerGroup + c, Math.floor(i / kW) % kH, i % kW]);
        expect(tap.weight).toBe(weight[((p.outChannel * cInPerGroup + c) * kH + tap.ky) * kW + tap.kx]);
        expect(tap.product).toBe(tap.input * tap.weight);
        expect(tap.iy).toBe(p.y * plan.strideH + tap.ky * plan.dilationH - plan.padTop);
        expect(tap.ix).toBe(p.x * plan.strideW + tap.kx * plan.dilationW - plan.padLeft);
        const inside = tap.iy >= 0 && tap.iy < plan.h && tap.ix >= 0 && tap.ix < plan.w;
        expect(tap.mode).toBe(inside ? 'inside' : plan.paddingMode);
        if (inside) {
          expect([tap.sourceY, tap.sourceX]).toEqual([tap.iy, tap.ix]);
        } else if (plan.paddingMode === 'zeros') {
          expect([tap.sourceY, tap.sourceX, tap.input]).toEqual([null, null, 0]);
        } else {
          // The source is a real pixel holding the padded value, and its distance to the tap fits the mode.
          const sy = tap.sourceY!;
          const sx = tap.sourceX!;
          expect(input[((p.sample * plan.cIn + tap.inChannel) * plan.h + sy) * plan.w + sx]).toBe(tap.input);
          for (const [i, s, n] of [[tap.iy, sy, plan.h], [tap.ix, sx, plan.w]] as const) {
            expect(s >= 0 && s < n).toBe(true);
            if (i >= 0 && i < n) expect(s).toBe(i);
            else if (plan.paddingMode === 'replicate') expect(s).toBe(i < 0 ? 0 : n - 1);
            else if (plan.paddingMode === 'circular') expect(((i % n) + n) % n).toBe(s);
            else expect(i < 0 ? -i : 2 * (n - 1) - i).toBe(s);
          }
        }
      });
      expect(t.bias).toBe(bias ? bias[p.outChannel] : 0);
      expect(Math.abs(t.sum - p.torch64)).toBeLessThanOrEqual(1e-5 * Math.max(1, Math.abs(p.torch64)));
      expect(Math.abs(t.value - p.torch32)).toBeLessThanOrEqual(1e-5 * Math.max(1, Math.abs(p.torch32)));
      expect(t.value).toBe(referenceActivation(plan, input, weight, bias, p.sample, p.outChannel, p.y, p.x));
    }
  });

  it('reports the engine value it is given, keeping its own sum', () => {
    const l = layers[0]!;
    const plan = planConv2d(l.inputShape, l.weightShape, l.bias ? [l.bias.length] : null, l.options);
    const p = l.pixels[0]!;
    const args = [plan, Float32Array.from(l.input), Float32Array.from(l.weight), l.bias ? Float32Array.from(l.bias) : null] as const;
    const t = traceConv2dValue(...args, p.sample, p.outChannel, p.y, p.x, 1234.5);
    expect(t.value).toBe(1234.5);
    expect(t.sum).toBe(traceConv2dValue(...args, p.sample, p.outChannel, p.y, p.x).sum);
  });
});

describe('traceConv2dValue refusals', () => {
  const plan = planConv2d([2, 1, 32, 32], [4, 1, 3, 3], [4]);
  const x = new Float32Array(2 * 32 * 32);
  const w = new Float32Array(36);
  const b = new Float32Array(4);
  it('names the index, its value and the valid range, with the caller\'s labels', () => {
    expect(() => traceConv2dValue(plan, x, w, b, 0, 0, 30, 0)).toThrow(new TraceIndexError('y 30 is out of range: the output has 30 rows (0-29)'));
    expect(() => traceConv2dValue(plan, x, w, b, 0, 0, 31, 0, undefined, { y: '--y' })).toThrow(new TraceIndexError('--y 31 is out of range: the output has 30 rows (0-29)'));
    expect(() => traceConv2dValue(plan, x, w, b, 0, 0, 0, -1)).toThrow(new TraceIndexError('x -1 is out of range: the output has 30 columns (0-29)'));
    expect(() => traceConv2dValue(plan, x, w, b, 2, 0, 0, 0, undefined, { sample: '--sample' })).toThrow(new TraceIndexError('--sample 2 is out of range: the output has 2 samples (0-1)'));
    expect(() => traceConv2dValue(plan, x, w, b, 0, 4, 0, 0)).toThrow(new TraceIndexError('channel 4 is out of range: the output has 4 channels (0-3)'));
    expect(() => traceConv2dValue(plan, x, w, b, 0, 0, 1.5, 0)).toThrow(/^y 1.5 is out of range/);
  });
  it('refuses arrays that do not fit the layer', () => {
    expect(() => traceConv2dValue(plan, x.subarray(1), w, b, 0, 0, 0, 0)).toThrow(new TraceDataError('input has 2047 values but the layer needs 2048'));
    expect(() => traceConv2dValue(plan, x, w, null, 0, 0, 0, 0)).toThrow(new TraceDataError('bias has 0 values but the layer needs 4'));
  });
});

describe('receptiveField', () => {
  it('lists each tap row and column with the dilation gaps and where padding reads from', () => {
    const plan = planConv2d([1, 1, 7, 8], [1, 1, 3, 2], null, { stride: [2, 3], padding: 2, dilation: [2, 3], paddingMode: 'reflect' });
    const f = receptiveField(plan, 0, 2);
    expect(f.rows).toEqual([-2, 0, 2]);
    expect(f.sourceRows).toEqual([2, 0, 2]);
    expect(f.cols).toEqual([4, 7]);
    expect(f.sourceCols).toEqual([4, 7]);
    expect([f.top, f.bottom, f.left, f.right]).toEqual([-2, 2, 4, 7]);
    const z = receptiveField(planConv2d([1, 1, 5, 5], [1, 1, 3, 3], null, { padding: 1 }), 0, 0);
    expect(z.sourceRows).toEqual([null, 0, 1]);
    expect(() => receptiveField(plan, plan.hOut, 0)).toThrow(TraceIndexError);
  });

  it('agrees with the traced taps of every fixture pixel', () => {
    for (const l of layers) {
      const plan = planConv2d(l.inputShape, l.weightShape, l.bias ? [l.bias.length] : null, l.options);
      for (const p of l.pixels) {
        const f = receptiveField(plan, p.y, p.x);
        const t = traceConv2dValue(plan, Float32Array.from(l.input), Float32Array.from(l.weight), l.bias ? Float32Array.from(l.bias) : null, p.sample, p.outChannel, p.y, p.x);
        for (const tap of t.taps) {
          expect(f.rows[tap.ky]).toBe(tap.iy);
          expect(f.cols[tap.kx]).toBe(tap.ix);
          if (tap.sourceY !== null) expect(f.sourceRows[tap.ky]).toBe(tap.sourceY);
          if (tap.sourceX !== null) expect(f.sourceCols[tap.kx]).toBe(tap.sourceX);
        }
      }
    }
  });
});
