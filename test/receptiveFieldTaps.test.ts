import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type Conv2dOptions, type IntOrPair, planConv2d } from '../core/conv2dOptions';
import { traceConv2dValue } from '../core/convTrace';
import { DEFAULT_LAYER, type LayerConfig } from '../core/layerConfig';
import { receptiveFieldTaps } from '../core/receptiveField';

// The layers of tools/fixtures/makeExplainFixtures.py (PyTorch 1.13), whose taps convTrace.test.ts
// checks against F.pad: the input card's marks must sit on exactly those taps.
interface Pixel { sample: number; outChannel: number; y: number; x: number }
interface Layer { id: string; inputShape: number[]; weightShape: number[]; options: Conv2dOptions; input: number[]; weight: number[]; bias: number[] | null; pixels: Pixel[] }
const layers = (JSON.parse(readFileSync(resolve(__dirname, 'fixtures/explain/trace.json'), 'utf8')) as { layers: Layer[] }).layers.filter((l) => l.inputShape.length === 4);

const pair = (v: IntOrPair | undefined, fallback: number): [number, number] => (v === undefined ? [fallback, fallback] : typeof v === 'number' ? [v, v] : [v[0], v[1]]);

function configOf(l: Layer): LayerConfig {
  const o = l.options;
  const padding = o.padding === 'same' || o.padding === 'valid' ? o.padding : pair(o.padding, 0);
  return {
    ...DEFAULT_LAYER,
    outChannels: l.weightShape[0]!,
    kernelSize: [l.weightShape[2]!, l.weightShape[3]!],
    stride: pair(o.stride, 1),
    padding,
    dilation: pair(o.dilation, 1),
    groups: o.groups ?? 1,
    bias: l.bias !== null,
    paddingMode: o.paddingMode ?? 'zeros',
  };
}

describe('receptiveFieldTaps', () => {
  it('has 4-D layers with padding, stride and dilation to check', () => {
    expect(layers.length).toBeGreaterThanOrEqual(30);
  });

  it.each(layers.map((l) => [l.id, l] as const))('%s: one mark per kernel tap, where the trace reads, and the next window one stride on', (_id, l) => {
    const plan = planConv2d(l.inputShape, l.weightShape, l.bias ? [l.bias.length] : null, l.options);
    const [, c, h, w] = l.inputShape as [number, number, number, number];
    for (const p of l.pixels) {
      const f = receptiveFieldTaps(configOf(l), [c, h, w], p.outChannel, p.y, p.x);
      const t = traceConv2dValue(plan, Float32Array.from(l.input), Float32Array.from(l.weight), l.bias ? Float32Array.from(l.bias) : null, p.sample, p.outChannel, p.y, p.x);
      const perChannel = plan.kH * plan.kW;
      expect(f.taps.map((q) => [q.iy, q.ix, q.inside])).toEqual(t.taps.slice(0, perChannel).map((q) => [q.iy, q.ix, q.mode === 'inside']));
      expect([f.pad.top, f.pad.bottom, f.pad.left, f.pad.right]).toEqual([plan.padTop, plan.padBottom, plan.padLeft, plan.padRight]);
      if (p.x + 1 < plan.wOut) expect(f.next!.left - f.left).toBe(plan.strideW);
      else expect(f.next).toBeNull();
    }
  });
});
