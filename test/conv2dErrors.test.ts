import { describe, expect, it } from 'vitest';
import { conv2d } from '../core/conv2d';
import { Conv2dError, type Conv2dOptions, planConv2d } from '../core/conv2dOptions';
import { tensor } from '../core/tensor';
import { loadConvErrorFixtures, loadConvFixtures } from './fixtures/loadConvFixtures';

const errors = loadConvErrorFixtures();

/** The Conv2dError planConv2d throws, or a failure if it accepts the configuration. */
function refusal(input: readonly number[], weight: readonly number[], bias: readonly number[] | null, options: Conv2dOptions): Conv2dError {
  try {
    planConv2d(input, weight, bias, options);
  } catch (e) {
    if (e instanceof Conv2dError) return e;
    throw e;
  }
  throw new Error(`accepted: input ${JSON.stringify(input)}, weight ${JSON.stringify(weight)}, options ${JSON.stringify(options)}`);
}

describe("configurations PyTorch 1.13 refuses are refused with PyTorch's message", () => {
  it('covers every kind of refusal the issue lists', () => {
    const ids = errors.map((e) => e.id).join(' ');
    for (const kind of [
      'channels-mismatch', 'kernel-larger', 'same-strided', 'padding-negative', 'stride-zero', 'dilation-zero',
      'reflect-padding-too-large', 'circular-padding-too-large', 'input-rank', 'weight-rank', 'bias-wrong-size',
      'cout-not-divisible-by-groups', 'empty-height', 'kernel-zero',
    ]) {
      expect(ids, kind).toContain(kind);
    }
    expect(errors.length).toBeGreaterThanOrEqual(100);
  });

  // Every message is PyTorch's first line verbatim: no fixture needs an exception. Where PyTorch's
  // message would be about internals (the padded input for reflect/replicate/circular and for an
  // asymmetric 'same', the weight rank reported through `stride`), planConv2d reproduces them anyway,
  // because users paste these messages into searches and compare them with their notebook.
  it.each(errors.map((e) => [e.id, e] as const))('%s', (_id, e) => {
    expect(refusal(e.inputShape, e.weightShape, e.biasShape, e.options).message).toBe(e.message);
  });

  it('conv2d refuses before allocating or computing anything', () => {
    for (const e of errors.filter((x) => x.inputShape.length >= 1 && x.weightShape.length >= 1)) {
      const input = tensor(e.inputShape);
      const weight = tensor(e.weightShape);
      const bias = e.biasShape && e.biasShape.length === 1 ? new Float32Array(e.biasShape[0]!) : null;
      if (e.biasShape && e.biasShape.length !== 1) continue; // conv2d takes bias as a flat array
      expect(() => conv2d(input, weight, bias, e.options), e.id).toThrow(e.message);
    }
  });
});

describe('where ConvBoard deliberately differs from PyTorch 1.13', () => {
  it('refuses negative padding in every padding mode (nn.Conv2d would silently crop with F.pad)', () => {
    for (const paddingMode of ['zeros', 'reflect', 'replicate', 'circular'] as const) {
      for (const padding of [-1, [1, -2], [-3, 0]] as const) {
        const e = refusal([1, 3, 8, 8], [6, 3, 3, 3], null, { padding, paddingMode });
        expect(e.message, `${paddingMode} ${JSON.stringify(padding)}`).toBe('negative padding is not supported');
      }
    }
  });

  it('refuses input without channels (PyTorch 1.13 returns a [N, 0, ...] result for a 6-channel layer)', () => {
    expect(refusal([1, 0, 5, 5], [6, 0, 3, 3], [6], {}).message).toMatch(/^input\[1, 0, 5, 5\] has no channels/);
    expect(refusal([0, 5, 5], [6, 0, 3, 3], null, { paddingMode: 'reflect' }).message).toMatch(/^input\[0, 5, 5\] has no channels/);
  });

  it("names the kernel or the dilation where PyTorch's 'same' would crop the input and fail on the remainder", () => {
    // PyTorch: 'The input size 1, plus negative padding -1 and 0 resulted in a negative output size, ...'
    expect(refusal([1, 2, 1, 10], [2, 2, 0, 2], [2], { padding: 'same' }).message)
      .toBe('kernel size should be greater than zero, but got kernel_height: 0 kernel_width: 2');
    // PyTorch: 'Only zero batch or zero channel inputs are supported, but got input shape: [3, 2, 0, 4]'
    expect(refusal([3, 2, 2, 1], [4, 1, 0, 2], [4], { padding: 'same', dilation: [2, 3], groups: 2, paddingMode: 'replicate' }).message)
      .toBe('could not create a descriptor for a dilated convolution forward propagation primitive');
    // PyTorch: 'Negative padding value is resulting in an empty dimension'
    expect(refusal([1, 3, 6], [5, 1, 5, 2], [5], { padding: 'same', dilation: -1, paddingMode: 'circular' }).message)
      .toBe('dilation should be greater than zero, but got [-1, -1]');
    // PyTorch: 'input (H: 1, W: 1)is too small. Calculated output H: -1 W: -3'
    expect(refusal([2, 1, 1, 1], [3, 1, 3, 5], [3], { padding: 'same', dilation: -1, paddingMode: 'reflect' }).message)
      .toBe('non-positive dilation is not supported');
  });

  it('refuses a non-positive dilation or an empty kernel even for an empty batch (PyTorch returns an empty result)', () => {
    expect(refusal([0, 3, 8, 8], [6, 3, 3, 3], null, { dilation: 0 }).message).toBe('dilation should be greater than zero, but got [0, 0]');
    expect(refusal([0, 3, 8, 8], [6, 3, 0, 3], null, {}).message).toBe('kernel size should be greater than zero, but got kernel_height: 0 kernel_width: 3');
  });

  it('accepts circular padding of unbatched input, as current PyTorch does (1.13 refuses it by mistake)', () => {
    const unbatchedCircular = loadConvFixtures().filter((k) => k.tags.includes('unbatchedCircular'));
    expect(unbatchedCircular.length).toBeGreaterThan(0);
    for (const k of unbatchedCircular) {
      expect(() => planConv2d(k.inputShape, k.weightShape, null, k.options), k.id).not.toThrow();
    }
  });

  it('accepts an empty batch and returns an empty result, as PyTorch does', () => {
    const p = planConv2d([0, 3, 4, 5], [2, 3, 3, 2], [2], { padding: 1, paddingMode: 'reflect' });
    expect([p.n, p.cOut, p.hOut, p.wOut]).toEqual([0, 2, 4, 6]);
  });

  it('words what Python itself would reject in its own way, in one line naming the option', () => {
    const cases: [Conv2dOptions, RegExp][] = [
      [{ stride: 1.5 }, /^stride must be an integer or a pair of integers, got 1\.5$/],
      [{ padding: [1, Number.NaN] }, /^padding must be an integer or a pair of integers/],
      [{ dilation: [] as unknown as [number, number] }, /^dilation must be an integer or a pair of integers, got \[\]$/],
      [{ groups: 2.5 }, /^groups must be an integer, got 2\.5$/],
      [{ paddingMode: 'mirror' as 'reflect' }, /^padding_mode must be one of 'zeros', 'reflect', 'replicate', 'circular', but got padding_mode='mirror'$/],
      [{ padding: 'full' as 'same', paddingMode: 'reflect' }, /^Invalid padding string: 'full'$/],
    ];
    for (const [options, message] of cases) {
      expect(refusal([1, 3, 8, 8], [6, 3, 3, 3], null, options).message, JSON.stringify(options)).toMatch(message);
    }
    expect(refusal([1, 3, 8.5, 8], [6, 3, 3, 3], null, {}).message).toBe('invalid input shape [1, 3, 8.5, 8]');
    expect(refusal([1, 3, 8, 8], [6, 3, -3, 3], null, {}).message).toBe('invalid weight shape [6, 3, -3, 3]');
  });
});
