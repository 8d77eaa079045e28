// Conv2d -> ReLU -> MaxPool2d: the shapes core/layerShape gives and the "Copy as PyTorch" text of
// core/conv2dCode, against PyTorch 1.13 (tools/fixtures/makeLayerPipelineFixtures.py executes each
// text and checks it builds the same modules, then runs them on a batch of 3x32x32 images).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { layerCode, maxPool2dCode } from '../core/conv2dCode';
import type { CheckedLayerConfig } from '../core/layerConfig';
import { PoolLayerError } from '../core/layerPipeline';
import { layerModulesName, layerShape } from '../core/layerShape';

interface Case {
  config: CheckedLayerConfig;
  batch: number;
  seed: number | null;
  code: string;
  convShape: number[];
  outputShape?: number[];
  error?: string;
}
const { cases } = JSON.parse(readFileSync(join(__dirname, 'fixtures', 'layerPipeline', 'cases.json'), 'utf8')) as { cases: Case[] };

describe('layerShape with ReLU and MaxPool2d', () => {
  const accepted = cases.filter((c) => c.outputShape);
  it.each(accepted.map((c) => [c.code.split('\n').pop()!, c] as const))('gives PyTorch\'s conv and pooled shapes: %s', (_, c) => {
    const shape = layerShape(c.config, [3, 32, 32], c.batch);
    expect(shape.convShape).toEqual(c.convShape);
    expect(shape.outputShape).toEqual(c.outputShape);
    expect(shape.pool?.shape ?? null).toEqual(c.config.pool ? c.outputShape : null);
  });

  it.each(cases.filter((c) => c.error).map((c) => [c.error!, c] as const))('refuses as PyTorch does: %s', (error, c) => {
    expect(() => layerShape(c.config, [3, 32, 32], c.batch)).toThrow(PoolLayerError);
    expect(() => layerShape(c.config, [3, 32, 32], c.batch)).toThrow(`pool: ${error}`);
  });

  it('shows ceil_mode dropping a last window that would start in the padding', () => {
    const c = cases.find((k) => k.config.pool?.ceilMode && k.config.pool.padding[0] === 1)!;
    const shape = layerShape(c.config, [3, 32, 32], c.batch);
    expect(shape.outputShape).toEqual(c.outputShape);
    expect(shape.pool!.formulas.h).toBe('ceil((28 + 2*1 - 1*(2-1) - 1) / 3) + 1 = 11, less one: the last pooling region would start past the input = 10');
    const plain = cases.find((k) => k.config.pool?.ceilMode && k.config.pool.padding[0] === 0)!;
    expect(layerShape(plain.config, [3, 32, 32], 64).pool!.formulas.w).toBe('ceil((30 + 2*0 - 1*(3-1) - 1) / 2) + 1 = 15');
  });

  it('names the modules the output card shows', () => {
    expect(layerModulesName({ relu: false, pool: null })).toBe('Conv2d');
    expect(layerModulesName(cases[3]!.config)).toBe('Conv2d -> ReLU -> MaxPool2d');
    expect(layerModulesName(cases[2]!.config)).toBe('Conv2d -> MaxPool2d');
  });
});

describe('layerCode (Copy as PyTorch)', () => {
  it.each(cases.map((c) => [c.code, c] as const))('%s', (code, c) => {
    expect(layerCode(c.config, 3, c.seed ?? undefined)).toBe(code);
  });

  it('writes the workflow layer as the workflow does, and nothing for ReLU or a pool that are off', () => {
    expect(layerCode({ ...cases[0]!.config, relu: false, pool: null }, 3, 0)).toBe('torch.manual_seed(0)\nconv = nn.Conv2d(3, 6, kernel_size=3, stride=1, padding=0)');
    expect(maxPool2dCode({ kernelSize: [2, 3], stride: null, padding: [0, 1], dilation: [1, 1], ceilMode: false })).toBe('nn.MaxPool2d(kernel_size=(2, 3), padding=(0, 1))');
  });
});
