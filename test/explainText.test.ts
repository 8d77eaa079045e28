// The explain views' number texts and layer code: pure helpers, checked against float32 bit patterns
// and against what nn.Conv2d's constructor takes.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_LAYER, type LayerState } from '../core/hostContract';
import { planLayerConv2d } from '../core/layerPlan';
import { layerCodeText } from '../renderer/explain/layerCodeText';
import { float32Text, float32UlpsApart } from '../renderer/explain/significantDigits';

const f32 = (bits: number) => new Float32Array(new Uint32Array([bits]).buffer)[0]!;

describe('float32Text', () => {
  it('reads back as the same float32, and differs for neighbouring float32 values', () => {
    fc.assert(
      fc.property(fc.float({ noNaN: true, noDefaultInfinity: true }), (x) => {
        const text = float32Text(x);
        expect(Math.fround(Number(text))).toBe(Math.fround(x) === 0 ? 0 : Math.fround(x));
        const next = f32(new Uint32Array(new Float32Array([x]).buffer)[0]! + 1);
        if (Number.isFinite(next) && next !== Math.fround(x)) expect(float32Text(next)).not.toBe(text);
      }),
      { numRuns: 2000, seed: 7 },
    );
  });

  it('prints a float64 sum like the float32 it rounds to', () => {
    const sum = 0.1 + 0.2 + 0.3; // 0.6000000000000001 in float64
    expect(float32Text(sum)).toBe(float32Text(Math.fround(0.6)));
    expect(float32Text(0.1)).toBe('0.1');
    expect(float32Text(1 / 3)).toBe('0.33333334');
  });
});

describe('float32UlpsApart', () => {
  it('counts float32 steps across zero and between neighbours', () => {
    expect(float32UlpsApart(1, 1)).toBe(0);
    expect(float32UlpsApart(1, f32(0x3f800001))).toBe(1);
    expect(float32UlpsApart(f32(1), f32(0x80000001))).toBe(2);
    expect(float32UlpsApart(0, -0)).toBe(0);
    expect(float32UlpsApart(1, NaN)).toBe(Infinity);
  });
});

function layer(description: string, config = DEFAULT_LAYER): LayerState {
  const seed = /torch\.manual_seed\((\d+)\)/.exec(description);
  const preset = /^preset (\S+)/.exec(description);
  const source: LayerState['source'] = seed
    ? { kind: 'init', seed: Number(seed[1]), name: null, fallback: null }
    : preset
      ? { kind: 'preset', seed: 0, name: preset[1]!, fallback: null }
      : { kind: 'npy', seed: null, name: description, fallback: null };
  return { config, weightShape: [6, 3, 3, 3], weightDescription: description, source, weight: new Float32Array(162), bias: new Float32Array(6) };
}

describe('layerCodeText', () => {
  it('seeds nn.Conv2d default init with the seed the description names', () => {
    expect(layerCodeText(layer('nn.Conv2d default init, torch.manual_seed(42)'), 3)).toBe(
      'import torch\nfrom torch import nn\n\ntorch.manual_seed(42)\nconv = nn.Conv2d(3, 6, kernel_size=3, stride=1, padding=0)',
    );
  });

  it('names preset and .npy weights instead of claiming a seed', () => {
    expect(layerCodeText(layer('preset sobel-x'), 3)).toContain("# weights: ConvBoard's preset 'sobel-x'");
    const npy = layerCodeText(layer('w.npy + b.npy'), 3);
    expect(npy).toContain('conv.weight.copy_(torch.from_numpy(np.load("w.npy")))');
    expect(npy).toContain('conv.bias.copy_(torch.from_numpy(np.load("b.npy")))');
    expect(npy).not.toContain('manual_seed');
  });
});

describe('planLayerConv2d', () => {
  it('plans a LayerConfig as nn.Conv2d runs it, asymmetric same padding included', () => {
    const plan = planLayerConv2d({ ...DEFAULT_LAYER, kernelSize: [4, 4], padding: 'same', paddingMode: 'reflect' }, [6, 3, 4, 4], true, [2, 3, 32, 32]);
    expect([plan.padTop, plan.padBottom, plan.hOut, plan.wOut, plan.hasBias]).toEqual([1, 2, 32, 32, true]);
  });
});
