import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { conv2dCode } from '../core/conv2dCode';
import { type Conv2dOptions, planConv2d } from '../core/conv2dOptions';
import { convCoverage } from '../core/convCoverage';
import { groupConnectivity } from '../core/groupConnectivity';
import type { LayerConfig } from '../core/hostContract';

// Written by tools/fixtures/makeExplainFixtures.py with PyTorch 1.13.
const read = <T>(name: string): T => JSON.parse(readFileSync(resolve(__dirname, 'fixtures/explain', name), 'utf8')) as T;

interface ShapeCase { inputShape: number[]; weightShape: number[]; options: Conv2dOptions; outputShape: number[] }
interface CoverageCase { inputShape: number[]; weightShape: number[]; options: Conv2dOptions; unreadRows: number[]; unreadCols: number[] }
interface GroupCase {
  inChannels: number; outChannels: number; groups: number; kernelSize: [number, number]; bias: boolean;
  inputShape: number[]; outputShape: number[]; parameters: number; connected: boolean[][];
}
interface CodeCase { inChannels: number; config: LayerConfig; seed: number | null; code: string }

describe("the tutorial's (1,3,28,28) input with a (16,3,5,5) weight", () => {
  const shapes = read<{ cases: ShapeCase[] }>('shapes.json').cases;
  it.each([
    [{ stride: 1, padding: 1 }, [1, 16, 26, 26]],
    [{ stride: 2, padding: 2 }, [1, 16, 14, 14]],
    [{}, [1, 16, 24, 24]],
  ] as const)('%j gives %j, as PyTorch does', (options, expected) => {
    const plan = planConv2d([1, 3, 28, 28], [16, 3, 5, 5], null, options);
    expect([plan.n, plan.cOut, plan.hOut, plan.wOut]).toEqual(expected);
    const fixture = shapes.find((s) => JSON.stringify(s.options) === JSON.stringify(options));
    expect(fixture?.outputShape).toEqual(expected);
  });

  it('28 rows, kernel 5, stride 2, no padding: the last row and column are never read', () => {
    const c = convCoverage(planConv2d([1, 3, 28, 28], [16, 3, 5, 5], null, { stride: 2 }));
    expect(c.rows).toEqual({ length: 28, unread: [27], readCount: 27, unreadCount: 1 });
    expect(c.cols).toEqual({ length: 28, unread: [27], readCount: 27, unreadCount: 1 });
  });
});

describe('convCoverage against autograd', () => {
  const cases = read<{ cases: CoverageCase[] }>('coverage.json').cases;
  it('has cases with and without unread rows', () => {
    expect(cases.length).toBeGreaterThanOrEqual(30);
    expect(cases.filter((c) => c.unreadRows.length + c.unreadCols.length > 0).length).toBeGreaterThan(10);
    expect(cases.filter((c) => c.unreadRows.length + c.unreadCols.length === 0).length).toBeGreaterThan(3);
  });
  it.each(cases.map((c, i) => [i, c] as const))('case %i: the rows and columns whose gradient is zero', (_i, c) => {
    const cov = convCoverage(planConv2d(c.inputShape, c.weightShape, null, c.options));
    expect(cov.rows.unread).toEqual(c.unreadRows);
    expect(cov.cols.unread).toEqual(c.unreadCols);
    expect(cov.rows.readCount + cov.rows.unreadCount).toBe(c.inputShape[2]);
    expect(cov.cols.unreadCount).toBe(c.unreadCols.length);
  });
});

describe('groupConnectivity against nn.Conv2d', () => {
  const cases = read<{ cases: GroupCase[] }>('groups.json').cases;
  it.each(cases.map((c) => [`${c.inChannels}->${c.outChannels} groups=${c.groups}`, c] as const))('%s: connections, parameters and multiply-adds', (_name, c) => {
    const weightShape = [c.outChannels, c.inChannels / c.groups, ...c.kernelSize];
    const plan = planConv2d(c.inputShape, weightShape, c.bias ? [c.outChannels] : null, { groups: c.groups });
    expect([plan.n, plan.cOut, plan.hOut, plan.wOut]).toEqual(c.outputShape);
    const g = groupConnectivity(plan);
    expect(g.connected).toEqual(c.connected);
    expect(g.parameters).toBe(c.parameters);
    expect(g.weights + g.biases).toBe(c.parameters);
    // Each output element sums C_in/groups * kH * kW products.
    expect(g.multiplyAddsPerImage).toBe(c.outputShape[1]! * c.outputShape[2]! * c.outputShape[3]! * (c.inChannels / c.groups) * c.kernelSize[0] * c.kernelSize[1]);
    expect(g.depthwise).toBe(c.groups === c.inChannels && c.outChannels % c.inChannels === 0);
  });

  it("the default CIFAR layer: 168 parameters, 3*3*3 multiply-adds per output element, batch of 64", () => {
    const g = groupConnectivity(planConv2d([64, 3, 32, 32], [6, 3, 3, 3], [6]));
    expect([g.weights, g.biases, g.parameters]).toEqual([162, 6, 168]);
    expect(g.multiplyAddsPerImage).toBe(6 * 30 * 30 * 27);
    expect(g.multiplyAddsPerBatch).toBe(64 * 6 * 30 * 30 * 27);
    expect([g.depthwise, g.groups, g.inPerGroup, g.outPerGroup]).toEqual([false, 1, 3, 6]);
  });

  it('depthwise with a channel multiplier: each output sees one input channel', () => {
    const g = groupConnectivity(planConv2d([1, 3, 8, 8], [6, 1, 3, 3], null, { groups: 3 }));
    expect(g.depthwise).toBe(true);
    expect(g.groupOfOutput).toEqual([0, 0, 1, 1, 2, 2]);
    expect(g.connected.map((row) => row.indexOf(true))).toEqual([0, 0, 1, 1, 2, 2]);
    expect(g.connected.every((row) => row.filter(Boolean).length === 1)).toBe(true);
  });
});

describe('conv2dCode', () => {
  const cases = read<{ cases: CodeCase[] }>('code.json').cases;
  it.each(cases.map((c) => [c.code, c] as const))('%s (evaluated by PyTorch to the same layer)', (_code, c) => {
    expect(conv2dCode(c.config, c.inChannels, c.seed ?? undefined)).toBe(c.code);
  });
  it("writes the tutorial's layer as the tutorial does", () => {
    const config: LayerConfig = { outChannels: 6, kernelSize: [3, 3], stride: [1, 1], padding: [0, 0], dilation: [1, 1], groups: 1, bias: true, paddingMode: 'zeros' };
    expect(conv2dCode(config, 3)).toBe('nn.Conv2d(3, 6, kernel_size=3, stride=1, padding=0)');
    expect(conv2dCode({ ...config, kernelSize: [3, 5], padding: 'same', paddingMode: 'circular' }, 3, 0)).toBe(
      "torch.manual_seed(0)\nnn.Conv2d(3, 6, kernel_size=(3, 5), stride=1, padding='same', padding_mode='circular')",
    );
  });
});
