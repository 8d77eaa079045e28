import { describe, expect, it } from 'vitest';
import { conv2d } from '../core/conv2d';
import { Conv2dError } from '../core/conv2dOptions';
import { tensor } from '../core/tensor';
import { loadConvErrorFixtures, loadConvFixtures } from './fixtures/loadConvFixtures';

// The hand-checked examples of the tutorial ConvBoard grew from (docs/semantics.md).
const INPUT = [
  [1, 2, 0, 3, 1],
  [0, 1, 2, 3, 1],
  [1, 2, 1, 0, 0],
  [5, 2, 3, 1, 1],
  [2, 1, 0, 1, 1],
];
const KERNEL = [
  [1, 2, 1],
  [0, 1, 0],
  [2, 1, 0],
];

const x = tensor([1, 1, 5, 5], Float32Array.from(INPUT.flat()));
const k = tensor([1, 1, 3, 3], Float32Array.from(KERNEL.flat()));
const rows = (data: Float32Array, width: number): number[][] =>
  Array.from({ length: data.length / width }, (_, i) => Array.from(data.subarray(i * width, (i + 1) * width)));

describe("the tutorial's 5x5 input and 3x3 kernel", () => {
  it('stride 1 gives the tutorial\'s 3x3 result', () => {
    const y = conv2d(x, k, null, { stride: 1 });
    expect(y.shape).toEqual([1, 1, 3, 3]);
    expect(rows(y.data, 3)).toEqual([[10, 12, 12], [18, 16, 16], [13, 9, 3]]);
  });

  it('stride 2 gives the tutorial\'s 2x2 result', () => {
    const y = conv2d(x, k, null, { stride: 2 });
    expect(y.shape).toEqual([1, 1, 2, 2]);
    expect(rows(y.data, 2)).toEqual([[10, 12], [13, 3]]);
  });

  it('stride 1 padding 1 gives a 5x5 result whose centre is the unpadded one', () => {
    const y = conv2d(x, k, null, { stride: 1, padding: 1 });
    expect(y.shape).toEqual([1, 1, 5, 5]);
    // Values printed by PyTorch 1.13 (F.conv2d(x, k, stride=1, padding=1)); corners checked by hand:
    // top-left = 1*1 + 0*2 + 1*0 + 0*1 = 1, bottom-right = 1*1 + 2*1 + 0*1 + 1*1 = 4.
    expect(rows(y.data, 5)).toEqual([
      [1, 3, 4, 10, 8],
      [5, 10, 12, 12, 6],
      [7, 18, 16, 16, 8],
      [11, 13, 9, 3, 4],
      [14, 13, 9, 7, 4],
    ]);
  });

  it('agrees with the committed PyTorch fixtures of the same examples', () => {
    const fixtures = loadConvFixtures().filter((c) => c.id.startsWith('tutorial-5x5-'));
    expect(fixtures.map((c) => c.id).sort()).toEqual(['tutorial-5x5-stride1', 'tutorial-5x5-stride1-padding1', 'tutorial-5x5-stride2']);
    for (const c of fixtures) {
      expect(Array.from(c.input), c.id).toEqual(INPUT.flat());
      const y = conv2d(x, k, null, c.options);
      expect(Array.from(y.data), c.id).toEqual(Array.from(c.expected));
    }
  });
});

describe("the tutorial's shape checks: x (1,3,28,28), w (16,3,5,5)", () => {
  const fixtures = loadConvFixtures().filter((c) => c.id.startsWith('tutorial-28x28-'));
  const byId = new Map(fixtures.map((c) => [c.id, c]));

  it.each([
    ['tutorial-28x28-stride1-padding1', { stride: 1, padding: 1 }, [1, 16, 26, 26]],
    ['tutorial-28x28-stride2-padding2', { stride: 2, padding: 2 }, [1, 16, 14, 14]],
    ['tutorial-28x28-nopadding', {}, [1, 16, 24, 24]],
  ] as const)('%s -> %j', (id, options, shape) => {
    const c = byId.get(id)!;
    expect(c.inputShape).toEqual([1, 3, 28, 28]);
    expect(c.weightShape).toEqual([16, 3, 5, 5]);
    expect(c.options).toEqual(options);
    const y = conv2d(tensor(c.inputShape, c.input), tensor(c.weightShape, c.weight), c.bias, options);
    expect(y.shape).toEqual(shape);
    expect(c.outputShape).toEqual(shape);
    let err = 0;
    for (let i = 0; i < y.data.length; i++) err = Math.max(err, Math.abs(y.data[i]! - c.expected[i]!));
    expect(err).toBeLessThanOrEqual(1e-4 * Math.max(1, c.maxAbsExpected));
  });
});

describe("docs/semantics.md's example refusals", () => {
  const cases: [string, () => unknown, string][] = [
    ['channels', () => conv2d(tensor([1, 4, 8, 8]), tensor([6, 3, 3, 3]), null), 'Given groups=1, weight of size [6, 3, 3, 3], expected input[1, 4, 8, 8] to have 3 channels, but got 4 channels instead'],
    ['kernel size', () => conv2d(tensor([1, 3, 2, 2]), tensor([6, 3, 3, 3]), null), "Calculated padded input size per channel: (2 x 2). Kernel size: (3 x 3). Kernel size can't be greater than actual input size"],
    ['same with stride', () => conv2d(tensor([1, 3, 8, 8]), tensor([6, 3, 3, 3]), null, { padding: 'same', stride: 2 }), "padding='same' is not supported for strided convolutions"],
    ['negative padding', () => conv2d(tensor([1, 3, 8, 8]), tensor([6, 3, 3, 3]), null, { padding: -1 }), 'negative padding is not supported'],
    ['stride 0', () => conv2d(tensor([1, 3, 8, 8]), tensor([6, 3, 3, 3]), null, { stride: 0 }), 'non-positive stride is not supported'],
    // docs/semantics.md quotes this one without the "Argument #4: " prefix that PyTorch 1.13 really prints.
    ['reflect too large', () => conv2d(tensor([1, 3, 4, 3]), tensor([6, 3, 3, 3]), null, { padding: 3, paddingMode: 'reflect' }),
      'Argument #4: Padding size should be less than the corresponding input dimension, but got: padding (3, 3) at dimension 3 of input 4'],
  ];
  it.each(cases)('%s', (_name, run, message) => {
    expect(run).toThrow(Conv2dError);
    expect(run).toThrow(message);
    expect(loadConvErrorFixtures().some((e) => e.message === message), 'message captured from PyTorch').toBe(true);
  });
});
