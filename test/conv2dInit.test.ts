import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultConv2dWeights } from '../core/conv2dInit';
import { DEFAULT_LAYER, type LayerConfig } from '../core/hostContract';

interface InitCase {
  seed: number; inChannels: number; outChannels: number; kernelSize: [number, number]; groups: number; bias: boolean;
  weightShape: number[]; weightBits: number[]; biasBits: number[] | null;
}
const fixture = JSON.parse(readFileSync(join(__dirname, 'fixtures/weights/conv2dInit.json'), 'utf8')) as { torch: string; cases: InitCase[] };

const bitsOf = (a: Float32Array): number[] => Array.from(new Uint32Array(a.buffer, a.byteOffset, a.length));

describe('nn.Conv2d default initialisation', () => {
  for (const c of fixture.cases) {
    it(`matches torch.manual_seed(${c.seed}); nn.Conv2d(${c.inChannels}, ${c.outChannels}, ${c.kernelSize}, groups=${c.groups}, bias=${c.bias}) bit for bit`, () => {
      const config: LayerConfig = { ...DEFAULT_LAYER, outChannels: c.outChannels, kernelSize: c.kernelSize, groups: c.groups, bias: c.bias };
      const w = defaultConv2dWeights(config, c.inChannels, c.seed);
      expect(w.weight.shape).toEqual(c.weightShape);
      expect(bitsOf(w.weight.data)).toEqual(c.weightBits);
      if (c.biasBits) expect(bitsOf(w.bias!)).toEqual(c.biasBits);
      else expect(w.bias).toBeNull();
    });
  }

  it('gives different weights for different seeds and the same for the same seed', () => {
    const a = defaultConv2dWeights(DEFAULT_LAYER, 3, 5).weight.data;
    expect(defaultConv2dWeights(DEFAULT_LAYER, 3, 5).weight.data).toEqual(a);
    expect(defaultConv2dWeights(DEFAULT_LAYER, 3, 6).weight.data).not.toEqual(a);
  });

  it('stays within the kaiming bound 1/sqrt(fan_in)', () => {
    const w = defaultConv2dWeights({ ...DEFAULT_LAYER, outChannels: 64 }, 3, 3);
    const bound = 1 / Math.sqrt(27);
    expect(Math.max(...w.weight.data.map(Math.abs))).toBeLessThanOrEqual(bound);
    expect(Math.max(...w.weight.data.map(Math.abs))).toBeGreaterThan(bound * 0.9);
  });
});
